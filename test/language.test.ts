import { describe, expect, it } from 'vitest';
import { TelegramUser } from './support/telegram-user.js';
import { startTestBot } from './support/test-bot.js';

describe('/language', () => {
  it('offers the five languages and switches to the chosen one', async () => {
    const bot = await startTestBot();
    const olena = bot.user({ id: 11, first_name: 'Olena', language_code: 'en' });
    await olena.send('/language');
    expect(olena.buttons()).toEqual(['Українська', '✓ English', 'Polski', 'Latviešu', 'Русский']);

    const switched = await olena.press('Українська');
    expect(switched.text).toContain('українською');
    expect((await olena.send('/help')).text).toContain('супроводжує програму');
  });

  it('keeps the choice across a restart of the bot, whatever Telegram says', async () => {
    const first = await startTestBot();
    const jan = first.user({ id: 12, first_name: 'Jan', language_code: 'en' });
    await jan.send('/language');
    await jan.press('Polski');

    const second = await first.restart();
    const again = second.user({ id: 12, first_name: 'Jan', language_code: 'en' });
    expect((await again.send('/start')).text).toMatch(/Dzień dobry, Jan!/);
  });

  it('follows the Telegram language until the person chooses one', async () => {
    const bot = await startTestBot();
    expect((await new TelegramUser(bot.api, { id: 13, first_name: 'A', language_code: 'ru' }).send('/help')).text).toContain('сопровождает');
    // The same person switched their Telegram app to Latvian.
    expect((await new TelegramUser(bot.api, { id: 13, first_name: 'A', language_code: 'lv' }).send('/help')).text).toContain(
      'pavada mentoringa programmu',
    );
  });

  it('refuses a forged language button without changing anything', async () => {
    const bot = await startTestBot();
    const user = bot.user({ id: 14, language_code: 'en' });
    await user.send('/language');
    const forged = await user.pressData('language:xx');
    expect(forged.callbackAnswer).toBe('That language is not available. Please choose one of the buttons.');
    expect((await user.send('/help')).text).toContain('guides a mentoring programme');
  });

  it('shows the chat menu in the chosen language', async () => {
    const bot = await startTestBot();
    const user = bot.user({ id: 15, language_code: 'en' });
    await user.send('/language');
    await user.press('Latviešu');
    const menu = bot.api.callsOf('setMyCommands').filter((c) => (c.payload.scope as { chat_id?: number })?.chat_id === 15).at(-1);
    expect(menu?.payload.commands).toContainEqual({ command: 'language', description: 'Izvēlēties valodu' });
  });
});

