import { describe, expect, it } from 'vitest';
import { COORDINATOR_COMMANDS } from '../src/commands.js';
import { startTestBot } from './support/test-bot.js';

describe('coordinator role', () => {
  it.each(COORDINATOR_COMMANDS)('refuses /%s to someone who is not a coordinator', async (command) => {
    const bot = await startTestBot({ env: { ADMIN_IDS: '60' } });
    const replies = await bot.user({ id: 61, language_code: 'ru' }).send(`/${command} 60`);
    expect(replies.text).toBe('Это доступно только координаторам программы.');
  });

  it('lets a coordinator grant and revoke the role, and the new coordinator can use it', async () => {
    const bot = await startTestBot({ env: { ADMIN_IDS: '62' } });
    const admin = bot.user({ id: 62 });
    const maria = bot.user({ id: 63, first_name: 'Maria', language_code: 'pl' });
    await admin.send('/start');
    expect((await admin.send('/grant 63')).text).toBe('I do not know anyone with id 63. Ask them to open the bot and press Start first.');
    await maria.send('/start');

    const granted = await admin.send('/grant 63');
    expect(granted.text).toBe('Maria is now a coordinator.');
    expect(maria.lastBotText()).toBe('Jesteś teraz koordynatorem tego programu. Wyślij /help, aby zobaczyć swoje polecenia.');
    expect((await maria.send('/coordinators')).text).toContain('Maria');

    expect((await admin.send('/revoke 63')).text).toBe('Maria is no longer a coordinator.');
    expect((await maria.send('/coordinators')).text).toBe('To jest dostępne tylko dla koordynatorów programu.');
  });

  it('cannot take away a role given in ADMIN_IDS', async () => {
    const bot = await startTestBot({ env: { ADMIN_IDS: '64,65' } });
    await bot.user({ id: 65, first_name: 'Petro' }).send('/start');
    expect((await bot.user({ id: 64 }).send('/revoke 65')).text).toContain('Petro is a coordinator through ADMIN_IDS');
  });
});
