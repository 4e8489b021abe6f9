import { describe, expect, it } from 'vitest';
import { startTestBot } from './support/test-bot.js';

describe('anything the bot does not expect', () => {
  it('answers an unknown command, a sticker and a photo with a pointer to /help', async () => {
    const bot = await startTestBot();
    const user = bot.user({ id: 51, language_code: 'uk' });
    expect((await user.send('/nonsense')).text).toBe('Я не знаю такої команди. Надішліть /help, щоб побачити, що я вмію.');
    expect((await user.sendSticker()).text).toBe('Я не зрозумів. Надішліть /help, щоб побачити, що я вмію.');
    expect((await user.sendPhoto()).text).toBe('Я не зрозумів. Надішліть /help, щоб побачити, що я вмію.');
  });

  it('tells the person a button is no longer active when nobody handles it', async () => {
    const bot = await startTestBot();
    const user = bot.user({ id: 52 });
    await user.send('/start');
    const replies = await user.pressData('form:old-question:3');
    expect(replies.callbackAnswer).toBe('This button is no longer active.');
  });

  it('ignores groups and channels by design', async () => {
    const bot = await startTestBot();
    const before = bot.api.calls.length;
    const update = bot.api.pushUpdate({
      message: {
        message_id: 1,
        date: 0,
        chat: { id: -100, type: 'group', title: 'Town hall' },
        from: { id: 53, is_bot: false, first_name: 'G' },
        text: '/start',
        entities: [{ type: 'bot_command', offset: 0, length: 6 }],
      },
    });
    await bot.api.waitFor(() => bot.api.wasDelivered(update.update_id));
    await bot.api.settle(300);
    expect(bot.api.calls.slice(before).filter((c) => c.method !== 'getUpdates').map((c) => c.method)).toEqual([]);
  });

  it('answers an over-long text without failing', async () => {
    const bot = await startTestBot();
    expect((await bot.user({ id: 54 }).send('x'.repeat(4096))).text).toContain('/help');
  });
});
