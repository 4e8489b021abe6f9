import { describe, expect, it } from 'vitest';
import { startTestBot } from './support/test-bot.js';

describe('people who block the bot', () => {
  it('are marked when they block it and unmarked when they write again', async () => {
    const bot = await startTestBot();
    const user = bot.user({ id: 71 });
    await user.send('/start');
    const memberUpdate = (status: 'kicked' | 'member') => ({
      my_chat_member: {
        chat: { id: 71, type: 'private' as const, first_name: 'P' },
        from: { id: 71, is_bot: false, first_name: 'P' },
        date: 0,
        old_chat_member: { status: 'member' as const, user: bot.api.botInfo },
        new_chat_member: status === 'kicked' ? { status, user: bot.api.botInfo, until_date: 0 } : { status, user: bot.api.botInfo },
      },
    });
    await user.act(memberUpdate('kicked'), { waitForReply: false });
    const person = () => bot.app.deps.db.person.findUnique({ where: { telegramId: 71n } });
    expect((await person())?.blockedAt).toBeInstanceOf(Date);

    await user.send('/help');
    expect((await person())?.blockedAt).toBeNull();
  });
});
