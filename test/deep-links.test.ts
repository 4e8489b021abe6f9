import { describe, expect, it } from 'vitest';
import { startTestBot } from './support/test-bot.js';

describe('deep links', () => {
  it('recognises a team invitation link and does not greet as a plain start', async () => {
    const bot = await startTestBot();
    const replies = await bot.user({ id: 21, language_code: 'pl' }).send('/start team_abcDEF123');
    expect(replies.texts).toHaveLength(1);
    expect(replies.text).not.toMatch(/Dzień dobry/);
  });

  it('treats an unknown start payload as a plain /start', async () => {
    const bot = await startTestBot();
    const replies = await bot.user({ id: 22, first_name: 'Ivan', language_code: 'uk' }).send('/start something_else');
    expect(replies.text).toMatch(/Вітаю, Ivan!/);
  });
});
