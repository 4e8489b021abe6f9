import { Api } from 'grammy';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type ChatEvent, FakeBotApi } from '../src/playground/bot-api-server.js';

async function server() {
  const api = await new FakeBotApi().start();
  onTestFinished(() => api.close());
  return { api, bot: new Api(api.token, { apiRoot: api.apiRoot }) };
}

describe('the embedded Bot API server (shared by the playground and the tests)', () => {
  it('keeps files people send, answers getFile with a path, and serves the file there only with the right token', async () => {
    const { api, bot } = await server();
    const fileId = api.putFile({ name: 'cv.pdf', type: 'application/pdf', content: Buffer.from('%PDF-1.4 CV') });
    const file = await bot.getFile(fileId);
    expect(file.file_size).toBe(11);
    const right = await fetch(`${api.apiRoot}/file/bot${api.token}/${file.file_path}`);
    expect(right.status).toBe(200);
    expect(await right.text()).toBe('%PDF-1.4 CV');
    expect((await fetch(`${api.apiRoot}/file/bot123:wrong/${file.file_path}`)).status).toBe(404);
  });

  it('stores the command menus per scope and language and picks a person’s menu as Telegram does', async () => {
    const { api, bot } = await server();
    await bot.setMyCommands([{ command: 'start', description: 'Start' }]);
    await bot.setMyCommands([{ command: 'start', description: 'Почати' }], { language_code: 'uk' });
    await bot.setMyCommands([{ command: 'call', description: 'The call' }], { scope: { type: 'chat', chat_id: 42 } });
    expect(api.commandsFor(7, 'uk')).toEqual([{ command: 'start', description: 'Почати' }]);
    expect(api.commandsFor(7, 'pl')).toEqual([{ command: 'start', description: 'Start' }]);
    expect(api.commandsFor(42, 'uk')).toEqual([{ command: 'call', description: 'The call' }]);
    expect(await bot.getMyCommands({ language_code: 'uk' })).toEqual([{ command: 'start', description: 'Почати' }]);
  });

  it('tells its followers about messages, edits, deletions and button answers, in the chat they belong to', async () => {
    const { api, bot } = await server();
    const events: ChatEvent[] = [];
    // As the page gets them: serialised when they happen.
    api.subscribe((e) => events.push(JSON.parse(JSON.stringify(e)) as ChatEvent));
    api.pushUpdate({ callback_query: { id: 'cb-1', from: { id: 5, is_bot: false, first_name: 'Ann' }, chat_instance: 'x', data: 'd' } });
    const sent = await bot.sendMessage(5, '<b>Hi</b>', { parse_mode: 'HTML' });
    await bot.editMessageText(5, sent.message_id, 'Bye');
    await bot.answerCallbackQuery('cb-1', { text: 'Saved', show_alert: true });
    await bot.deleteMessage(5, sent.message_id);
    expect(events.map((e) => e.type)).toEqual(['message', 'edit', 'callback_answer', 'delete']);
    expect(events[0]).toMatchObject({ chatId: 5, entry: { from: 'bot', source: { text: '<b>Hi</b>', parseMode: 'HTML' } } });
    expect(events[1]).toMatchObject({ chatId: 5, entry: { edited: true, message: { text: 'Bye' } } });
    expect(events[2]).toEqual({ type: 'callback_answer', chatId: 5, text: 'Saved', showAlert: true });
    expect(api.chat(5)).toEqual([]);
  });
});
