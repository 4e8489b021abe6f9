import { describe, expect, it } from 'vitest';
import { COORDINATOR_COMMANDS, MEMBER_COMMANDS } from '../src/commands.js';
import { startTestBot } from './support/test-bot.js';

type Scope = { type: string; chat_id?: number } | undefined;
const names = (commands: unknown) => (commands as Array<{ command: string }>).map((c) => c.command);

describe('command menus', () => {
  it('publishes the everyday menu in each language at start, without coordinator commands', async () => {
    const bot = await startTestBot();
    const menus = bot.api.callsOf('setMyCommands').filter((c) => !(c.payload.scope as Scope));
    const languages = menus.map((c) => c.payload.language_code ?? 'default').sort();
    expect(languages).toEqual(['default', 'en', 'lv', 'pl', 'ru', 'uk']);
    for (const menu of menus) expect(names(menu.payload.commands)).toEqual([...MEMBER_COMMANDS]);
    const ukrainian = menus.find((c) => c.payload.language_code === 'uk')!;
    expect(ukrainian.payload.commands).toContainEqual({ command: 'language', description: 'Вибрати мову' });
  });

  it('gives a coordinator the admin commands in their own chat only', async () => {
    const first = await startTestBot({ env: { ADMIN_IDS: '31' } });
    await first.user({ id: 31, language_code: 'pl' }).send('/start');
    await first.user({ id: 32, language_code: 'pl' }).send('/start');
    const forChat = (id: number) =>
      first.api.callsOf('setMyCommands').filter((c) => (c.payload.scope as Scope)?.chat_id === id && !c.error);
    const coordinatorMenu = forChat(31).at(-1)!;
    expect(names(coordinatorMenu.payload.commands)).toEqual([...MEMBER_COMMANDS, ...COORDINATOR_COMMANDS]);
    expect(coordinatorMenu.payload.commands).toContainEqual({ command: 'grant', description: 'Nadaj rolę koordynatora' });
    expect(forChat(32)).toEqual([]);
  });

  it('sets the coordinator menu at start for coordinators the bot already knows', async () => {
    const first = await startTestBot({ env: { ADMIN_IDS: '33' } });
    await first.user({ id: 33, language_code: 'uk' }).send('/start');
    const second = await first.restart();
    const atStart = second.api
      .callsOf('setMyCommands')
      .filter((c) => (c.payload.scope as Scope)?.chat_id === 33)
      .at(-1)!;
    expect(atStart.payload.commands).toContainEqual({ command: 'grant', description: 'Зробити людину координатором' });
  });
});
