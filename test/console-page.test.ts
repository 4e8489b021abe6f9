import { describe, expect, it } from 'vitest';
import { readLocale } from '../src/i18n.js';
import { COORDINATOR_ID } from './support/application.js';
import { chromiumPath, DARK_THEME, launchBrowser, LIGHT_THEME, openConsole, topLeftColour } from './support/browser.js';
import { coordinatorProfile, seedApplication, startCoordinator } from './support/console.js';
import { seedMentor, seedTeam } from './support/matching-seed.js';
import { seedPairs } from './support/progress-seed.js';
import { startTestBot, type TestBot, TestClock } from './support/test-bot.js';
import { initDataFor, webEnv } from './support/web.js';

const env = { ADMIN_IDS: String(COORDINATOR_ID), ...webEnv };
const clock = () => new TestClock(new Date('2025-11-10T09:00:00Z'));
/** A busy machine (CI with two cores) can take a few seconds for what is instant here. */
const slow = { timeout: 10_000 };
const page = (locale: 'en' | 'uk' | 'pl', key: string) => (readLocale(locale) as any).console.page[key] as string;

if (!chromiumPath) console.warn('NOTICE: no Chromium found (/usr/bin/chromium or CHROMIUM_PATH): the coordinator console browser tests are skipped.');

const received = (bot: TestBot, chatId: number) =>
  bot.api.callsOf('sendMessage').filter((c) => Number(c.payload.chat_id) === chatId && !c.error).map((c) => String(c.payload.text));

describe.skipIf(!chromiumPath)('the coordinators’ console (in Chromium)', () => {
  it('a coordinator filters, opens an application, accepts three at once, and the applicants get their messages', async () => {
    const bot = await startTestBot({ env, clock: clock() });
    await startCoordinator(bot);
    for (let i = 0; i < 3; i++) await seedApplication(bot, 730 + i, { name: `Polish Applicant ${i}`, country: 'Poland', languages: ['pl'] });
    await seedApplication(bot, 740, { name: 'Ilze Ozola', country: 'Latvia', languages: ['lv'] }, 'lv');
    const heard = [730, 731, 732, 740].map((id) => received(bot, id).length);
    const browser = await launchBrowser();
    try {
      const console = await openConsole(browser, bot, coordinatorProfile);
      await expect.poll(() => console.locator('#total').textContent(), { timeout: 10_000 }).toBe('Applications found: 4');
      await console.locator('#filter-country').selectOption('Poland');
      await expect.poll(() => console.locator('#total').textContent(), slow).toBe('Applications found: 3');
      expect(await console.locator('tr[data-id]').count()).toBe(3);

      await console.getByRole('button', { name: 'Polish Applicant 1' }).click();
      await expect.poll(() => console.locator('#detail [data-question="motivation"]').textContent(), slow).toBe('I want to help, says Polish Applicant 1.');

      for (const box of await console.locator('tr[data-id] input[type="checkbox"]').all()) await box.check();
      await expect.poll(() => console.locator('#selected-count').textContent(), slow).toBe('Selected: 3');
      await console.locator('#bulk-accepted').click();
      await expect.poll(() => console.locator('#review li').count(), slow).toBe(3);
      // Nothing is sent before Send; the text can be changed first.
      expect([730, 731, 732].map((id) => received(bot, id).length)).toEqual(heard.slice(0, 3));
      const first = console.locator('#review textarea').first();
      await first.fill('Welcome to the programme!');
      await console.locator('#review li').first().getByRole('button', { name: page('en', 'save_text') }).click();
      await expect.poll(() => console.locator('#review li').first().locator('.hint').textContent(), slow).toBe(page('en', 'text_saved'));
      await console.locator('#review-send').click();
      await expect.poll(() => console.locator('#notice').textContent(), { timeout: 10_000 }).toContain('Sent: 3');
      await expect.poll(() => console.locator('#review').isHidden(), slow).toBe(true);
    } finally {
      await browser.close();
    }
    const latest = [730, 731, 732].map((id) => received(bot, id).at(-1));
    expect(latest.filter((t) => t === 'Welcome to the programme!')).toHaveLength(1);
    expect(latest.filter((t) => t?.includes('congratulations'))).toHaveLength(2);
    expect(received(bot, 740)).toHaveLength(heard[3]!);
    expect(await bot.app.deps.db.mentor.count()).toBe(3);
  });

  it('a coordinator pins a mentor, runs the assignment, publishes, and the pair is told', async () => {
    const bot = await startTestBot({ env, clock: clock() });
    await startCoordinator(bot);
    const { db } = bot.app.deps;
    await seedMentor(db, { name: 'Olga Best', telegramId: 821, themes: ['grant_funding', 'international_projects'], languages: ['uk'] });
    const petr = await seedMentor(db, { name: 'Petr Second', telegramId: 822, themes: ['grant_funding'], languages: ['uk'] });
    const team = await seedTeam(db, { name: 'Bucha', themes: ['grant_funding', 'international_projects'], languages: ['uk'], members: [{ name: 'Oksana Member', telegramId: 831 }] });
    const browser = await launchBrowser();
    try {
      const console = await openConsole(browser, bot, coordinatorProfile, { desktop: true });
      await console.locator('#tab-matching').click();
      await console.locator(`button[data-team="${team.id}"]`).click();
      const second = console.locator(`.candidate[data-mentor="${petr.id}"]`);
      await expect.poll(() => second.locator('[data-criterion="themes"] td').first().textContent(), slow).toBe('12');
      await second.locator('button.pin').click();
      await expect.poll(() => console.locator('#notice').textContent(), slow).toContain('Petr Second');
      await console.locator('#run-assignment').click();
      await expect.poll(() => console.locator('#proposed tbody tr').first().textContent(), slow).toContain('📌 Petr Second');
      expect(await db.pair.count()).toBe(0);
      await console.locator('#publish').click();
      await console.locator('#publish-confirm').click();
      await expect.poll(() => console.locator('#current tbody tr').first().textContent(), slow).toContain('Petr Second');
    } finally {
      await browser.close();
    }
    await expect.poll(() => received(bot, 822).join('\n'), slow).toContain('Bucha');
    expect(received(bot, 831).join('\n')).toContain('Petr Second');
    expect(received(bot, 821)).toEqual([]);
  });

  it('the dashboard shows a pair that has gone quiet, with the chart, in Ukrainian and the dark theme', async () => {
    const bot = await startTestBot({ env, clock: clock() });
    const ukrainian = { ...coordinatorProfile, language_code: 'uk' };
    await bot.user(ukrainian).send('/start');
    await seedPairs(bot.app.deps.db, { publishedAt: new Date('2025-09-01T10:00:00Z') });
    const browser = await launchBrowser();
    try {
      const console = await openConsole(browser, bot, ukrainian, { tab: 'dashboard', theme: DARK_THEME });
      await expect.poll(() => console.locator('#quiet-list li').count(), { timeout: 10_000 }).toBe(2);
      expect(await console.locator('#quiet-list').textContent()).toContain('Bucha');
      expect(await console.locator('h1').textContent()).toBe(page('uk', 'title'));
      expect(await console.getAttribute('html', 'lang')).toBe('uk');
      // The first chart loads the chart libraries: slower than the rest on a busy machine.
      await expect.poll(() => console.locator('#chart img').count(), { timeout: 20_000 }).toBe(1);
      expect(topLeftColour(await console.screenshot())).toBe(DARK_THEME.bg_color);
      expect(await console.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    } finally {
      await browser.close();
    }
  });

  it('a mentor opening the console sees the refusal and no data, on a phone and on a desktop', async () => {
    const bot = await startTestBot({ env, clock: clock() });
    await startCoordinator(bot);
    await seedApplication(bot, 750, { name: 'Secret Applicant' });
    const mentor = { id: 751, first_name: 'Mallory', language_code: 'en' };
    await bot.user(mentor).send('/start');
    const browser = await launchBrowser();
    try {
      for (const desktop of [false, true]) {
        const console = await openConsole(browser, bot, mentor, { desktop, theme: LIGHT_THEME });
        await expect.poll(() => console.locator('#status').textContent(), slow).toBe("This is for the programme's coordinators only.");
        expect(await console.content()).not.toContain('Secret Applicant');
      }
      const forged = initDataFor(bot, coordinatorProfile).replace(/hash=[0-9a-f]+/, `hash=${'1'.repeat(64)}`);
      const refused = await openConsole(browser, bot, coordinatorProfile, { initData: forged });
      await expect.poll(() => refused.locator('#status').textContent(), slow).toBe(page('en', 'unauthorized'));
      // Before the person is known the refusal is in the language Telegram gives the page, not the browser's (English).
      for (const locale of ['uk', 'pl'] as const) {
        const profile = { ...coordinatorProfile, language_code: locale };
        const forgedLocal = initDataFor(bot, profile).replace(/hash=[0-9a-f]+/, `hash=${'1'.repeat(64)}`);
        const local = await openConsole(browser, bot, profile, { initData: forgedLocal });
        await expect.poll(() => local.locator('#status').textContent(), slow).toBe(page(locale, 'unauthorized'));
        expect(await local.locator('html').getAttribute('lang')).toBe(locale);
      }
    } finally {
      await browser.close();
    }
  });
});
