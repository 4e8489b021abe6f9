import { describe, expect, it } from 'vitest';
import { startTestBot } from './support/test-bot.js';

const greetings: Record<string, RegExp> = {
  uk: /Вітаю, Олена!/,
  en: /Hello, Olena!/,
  pl: /Dzień dobry, Olena!/,
  lv: /Sveiki, Olena!/,
  ru: /Здравствуйте, Olena!/,
};

describe('/start', () => {
  it('greets each person in their Telegram language', async () => {
    const bot = await startTestBot();
    let id = 100;
    for (const [language, greeting] of Object.entries(greetings)) {
      const name = language === 'uk' ? 'Олена' : 'Olena';
      const replies = await bot.user({ id: id++, first_name: name, language_code: language }).send('/start');
      expect(replies.text).toMatch(greeting);
      expect(replies.text).toContain('/language');
    }
  });

  it('falls back to English for a language the bot does not speak', async () => {
    const bot = await startTestBot();
    const replies = await bot.user({ id: 7, first_name: 'Jan', language_code: 'de' }).send('/start');
    expect(replies.text).toMatch(/Hello, Jan!/);
  });

  it('shows coordinators their commands and others only their own', async () => {
    const bot = await startTestBot({ env: { ADMIN_IDS: '500' } });
    const coordinator = await bot.user({ id: 500 }).send('/start');
    const member = await bot.user({ id: 501 }).send('/start');
    expect(coordinator.text).toContain('/grant');
    expect(member.text).not.toContain('/grant');
  });

  it('escapes names so that a name cannot inject formatting', async () => {
    const bot = await startTestBot();
    const replies = await bot.user({ id: 8, first_name: '<b>Eve</b>' }).send('/start');
    expect(replies.calls[0]!.error).toBeUndefined();
    expect(replies.text).toContain('&lt;b&gt;Eve&lt;/b&gt;');
  });
});
