import { describe, expect, it } from 'vitest';
import { answerHistory } from '../src/db/form-responses.js';
import { readLocale } from '../src/i18n.js';
import { COORDINATOR_ID, openCall } from './support/application.js';
import { accessibilityViolations, chromiumPath, DARK_THEME, launchBrowser, LIGHT_THEME, openPage, saving, topLeftColour } from './support/browser.js';
import { startTestBot, TestClock } from './support/test-bot.js';
import { initDataFor, pageButtonUrl, webEnv } from './support/web.js';
import { joinTeam, registerTeam } from './support/teams.js';

const beforeDeadline = () => new TestClock(new Date('2025-11-10T09:00:00Z'));
const env = { ADMIN_IDS: String(COORDINATOR_ID), ...webEnv };

if (!chromiumPath) console.warn('NOTICE: no Chromium found (/usr/bin/chromium or CHROMIUM_PATH): the form page browser tests are skipped.');

const responseIdOf = (url: string | undefined) => Number(new URL(url!).searchParams.get('r'));
const text = (locale: 'uk' | 'pl' | 'en', key: string) => key.split('.').reduce<any>((tree, part) => tree[part], readLocale(locale));

describe.skipIf(!chromiumPath)('forms as pages (in Chromium)', () => {
  it('a mentor answers half the application in chat and the rest on the page, submits, and gets the receipt in chat', async () => {
    const bot = await startTestBot({ env, clock: beforeDeadline() });
    await openCall(bot);
    const profile = { id: 601, first_name: 'Anna', language_code: 'en' };
    const mentor = bot.user(profile);
    await mentor.send('/apply');
    const responseId = responseIdOf(pageButtonUrl(mentor));
    for (const answer of ['Anna Kowalska', 'anna@example.org']) await mentor.send(answer);
    await mentor.pressCallback('f|k|phone|');
    for (const answer of ['Poland', 'Gdańsk', 'City hall', 'Head of international relations']) await mentor.send(answer);

    const browser = await launchBrowser();
    try {
      const page = await openPage(browser, bot, profile, responseId);
      // The chat's answers are on the page.
      await expect.poll(() => page.locator('#q-full_name').inputValue()).toBe('Anna Kowalska');
      expect(await page.locator('#q-position').inputValue()).toBe('Head of international relations');
      expect(await page.locator('#submit').isDisabled()).toBe(true);

      // A field is labelled, and a wrong answer is refused with the chat's message.
      await page.getByLabel(/How many years/).fill('61');
      expect(await saving(page, () => page.getByLabel(/How many years/).press('Tab'))).toBe(422);
      await expect.poll(() => page.locator('#q-experience_years-error').textContent()).toContain('60');

      const type = async (id: string, value: string) => {
        await page.locator(`#q-${id}`).fill(value);
        expect(await saving(page, () => page.locator(`#q-${id}`).press('Tab'))).toBe(200);
      };
      const tick = async (id: string) => expect(await saving(page, () => page.locator(`#${id}`).check())).toBe(200);
      await tick('q-expertise_areas-4');
      await type('experience_years', '12');
      await type('experience_description', 'Twelve years of twinning projects.');
      await tick('q-context_knowledge-3');
      await tick('q-working_languages-0');
      await tick('q-english_level-3');
      await tick('q-ready_six_months-0');
      await tick('q-ready_to_travel-0');
      await tick('q-ready_for_meetings-0');
      await type('motivation', 'I want to share what worked in Gdańsk.');
      await tick('q-consent');

      await expect.poll(() => page.locator('#submit').isDisabled()).toBe(false);
      await page.locator('#submit').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#submit-message').textContent()).toBe(text('en', 'web.page.submitted'));
    } finally {
      await browser.close();
    }
    await expect.poll(() => mentor.lastBotText()).toContain('Thank you! Your application has been received.');
    const response = await bot.app.deps.db.formResponse.findUniqueOrThrow({ where: { id: responseId } });
    expect(response.status).toBe('submitted');
  });

  it('two team members answer one needs-analysis section on the page and in chat, and the history keeps both', async () => {
    const bot = await startTestBot({ env });
    const { code } = await registerTeam(bot);
    const olenaProfile = { id: 611, first_name: 'Olena', language_code: 'en' };
    const olena = bot.user(olenaProfile);
    const petro = bot.user({ id: 612, first_name: 'Petro', language_code: 'en' });
    await joinTeam(olena, code);
    await joinTeam(petro, code);
    await olena.send('/team');
    const responseId = responseIdOf(pageButtonUrl(olena));

    await petro.send('/team');
    await petro.pressCallback('na|s|main');
    await petro.send('Too few people write grant applications.');
    await petro.pressCallback('f|d|challenges|');

    const browser = await launchBrowser();
    try {
      const page = await openPage(browser, bot, olenaProfile, responseId);
      await expect.poll(() => page.locator('#q-challenges').inputValue()).toBe('Too few people write grant applications.');
      await page.locator('#q-challenges').fill('We lack people who can write grant applications.');
      expect(await saving(page, () => page.locator('#q-challenges').press('Tab'))).toBe(200);
      await page.locator('#q-reasons').fill('Our partners abroad asked for it.');
      expect(await saving(page, () => page.locator('#q-reasons').press('Tab'))).toBe(200);

      // Nothing typed on the page is lost on closing and opening it again.
      await page.reload();
      await expect.poll(() => page.locator('#q-reasons').inputValue()).toBe('Our partners abroad asked for it.');
    } finally {
      await browser.close();
    }
    const { db } = bot.app.deps;
    const olenaRow = await db.person.findFirstOrThrow({ where: { telegramId: 611n } });
    const petroRow = await db.person.findFirstOrThrow({ where: { telegramId: 612n } });
    const current = await db.formAnswer.findFirstOrThrow({ where: { responseId, questionId: 'challenges' } });
    expect([JSON.parse(current.value), current.answeredById]).toEqual(['We lack people who can write grant applications.', olenaRow.id]);
    const history = await answerHistory(db, responseId, 'challenges');
    expect(history.map((h) => [JSON.parse(h.value), h.answeredById])).toEqual([['Too few people write grant applications.', petroRow.id]]);
  });

  it("a forged, expired or missing signature gets 401 and another person's response 403 on the page, in the person's language, and nothing is written", async () => {
    const bot = await startTestBot({ env, clock: beforeDeadline() });
    await openCall(bot);
    const owner = { id: 621, language_code: 'uk' };
    await bot.user(owner).send('/apply');
    const responseId = responseIdOf(pageButtonUrl(bot.user(owner)));
    const intruder = { id: 622, language_code: 'pl' };
    await bot.user(intruder).send('/start');
    const browser = await launchBrowser();
    try {
      const refused: Array<Promise<[number, unknown]>> = [];
      browser.context.on('response', (r) => {
        if (r.url().includes('/app/api/')) refused.push(r.json().then((body: { error?: unknown }) => [r.status(), body.error]));
      });
      const forged = initDataFor(bot, owner).replace(/hash=[0-9a-f]+/, `hash=${'1'.repeat(64)}`);
      const expired = initDataFor(bot, owner, new Date(Date.now() - 25 * 60 * 60 * 1000));
      // In the language Telegram gives for the person (the API says only "unauthorized"); with no init data at all, the browser's.
      for (const [initData, locale] of [[forged, 'uk'], [expired, 'uk'], ['', 'en']] as const) {
        const page = await openPage(browser, bot, owner, responseId, { initData });
        await expect.poll(() => page.locator('#status').textContent()).toBe(text(locale, 'web.page.unauthorized'));
        expect(await page.getAttribute('html', 'lang')).toBe(locale);
        expect(await page.locator('input, textarea').count()).toBe(0);
      }
      const other = await openPage(browser, bot, intruder, responseId);
      await expect.poll(() => other.locator('#status').textContent()).toBe(text('pl', 'web.page.forbidden'));
      expect(await other.locator('input, textarea').count()).toBe(0);
      await expect.poll(() => refused.length).toBe(4);
      expect(await Promise.all(refused)).toEqual([[401, 'unauthorized'], [401, 'unauthorized'], [401, 'unauthorized'], [403, 'forbidden']]);
    } finally {
      await browser.close();
    }
    expect(await bot.app.deps.db.formAnswer.count({ where: { responseId } })).toBe(0);
  });

  it('passes axe-core checks (WCAG 2.1 AA: labels, names, contrast) in the light, the dark and a pale theme, works by keyboard, and runs under its CSP', async () => {
    const bot = await startTestBot({ env, clock: beforeDeadline() });
    await openCall(bot);
    const profile = { id: 691, language_code: 'en' };
    const mentor = bot.user(profile);
    await mentor.send('/apply');
    await mentor.send('Anna Kowalska');
    const responseId = responseIdOf(pageButtonUrl(mentor));
    const browser = await launchBrowser();
    try {
      // Telegram's own themes, and one whose grey hint and pale button would fall short of AA if used as given.
      const PALE_THEME = { ...LIGHT_THEME, hint_color: '#b0b0b0', link_color: '#6ab3f3', button_color: '#6ab3f3', button_text_color: '#ffffff' };
      for (const theme of [LIGHT_THEME, DARK_THEME, PALE_THEME]) {
        const page = await openPage(browser, bot, profile, responseId, { theme });
        const blocked: string[] = [];
        page.on('console', (m) => {
          if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
        });
        const [opened] = await Promise.all([page.waitForResponse((r) => r.url().includes('/app/api/responses/')), page.reload()]);
        expect(opened.headers()['cache-control']).toBe('no-store');
        await page.locator('h1').waitFor();
        // A refused answer, a skipped one and a saved one, so that their messages are checked too.
        await page.locator('#q-experience_years').fill('61');
        expect(await saving(page, () => page.locator('#q-experience_years').press('Tab'))).toBe(422);
        await expect.poll(() => page.locator('#q-experience_years-error').textContent()).not.toBe('');
        const skip = theme === LIGHT_THEME ? '#q-phone-skip' : theme === DARK_THEME ? '#q-preferences-skip' : '#q-cv-skip';
        expect(await saving(page, () => page.locator(skip).click())).toBe(200);
        const axe = await accessibilityViolations(page);
        expect(axe.violations, `theme ${JSON.stringify(theme)}`).toEqual([]);
        expect(axe.checked).toEqual(expect.arrayContaining(['color-contrast', 'label', 'button-name', 'html-has-lang', 'document-title']));
        expect(blocked).toEqual([]);
        await page.close();
      }

      // Keyboard: Tab goes through the fields in order, Skip included, and a choice is made with the arrow keys.
      const page = await openPage(browser, bot, profile, responseId);
      await page.locator('#q-experience_years').focus();
      const order: string[] = [];
      for (let i = 0; i < 5; i++) {
        await page.keyboard.press('Tab');
        order.push(await page.evaluate(() => document.activeElement?.id ?? ''));
      }
      expect(order).toEqual(['q-experience_description', 'q-context_knowledge-0', 'q-context_comment', 'q-context_comment-skip', 'q-cv']);
      await page.locator('#q-context_knowledge-0').focus();
      expect(await saving(page, () => page.keyboard.press('ArrowRight'))).toBe(200);
    } finally {
      await browser.close();
    }
    const stored = await bot.app.deps.db.formAnswer.findFirstOrThrow({ where: { responseId, questionId: 'context_knowledge' } });
    expect(JSON.parse(stored.value)).toBe(2);
  });

  it('Ukrainian and Polish pages show their texts', async () => {
    const bot = await startTestBot({ env, clock: beforeDeadline() });
    await openCall(bot);
    const browser = await launchBrowser();
    try {
      for (const [id, locale] of [[631, 'uk'], [632, 'pl']] as const) {
        const profile = { id, language_code: locale };
        await bot.user(profile).send('/apply');
        const page = await openPage(browser, bot, profile, responseIdOf(pageButtonUrl(bot.user(profile))));
        await expect.poll(() => page.locator('h1').textContent()).toBe(text(locale, 'forms.application.title'));
        expect(await page.getAttribute('html', 'lang')).toBe(locale);
        expect(await page.locator('#submit').textContent()).toBe(text(locale, 'application.submit_button'));
        expect(await page.locator('label[for="q-full_name"]').textContent()).toBe(text(locale, 'forms.application.questions.full_name.text'));
      }
    } finally {
      await browser.close();
    }
  });

  it('renders the light and the dark theme (a screenshot each, with the theme background)', async () => {
    const bot = await startTestBot({ env, clock: beforeDeadline() });
    await openCall(bot);
    const profile = { id: 641 };
    await bot.user(profile).send('/apply');
    const responseId = responseIdOf(pageButtonUrl(bot.user(profile)));
    const browser = await launchBrowser();
    try {
      for (const theme of [LIGHT_THEME, DARK_THEME]) {
        const page = await openPage(browser, bot, profile, responseId, { theme });
        await page.locator('h1').waitFor();
        const shot = await page.screenshot();
        expect(topLeftColour(shot)).toBe(theme.bg_color);
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme === DARK_THEME ? 'dark' : 'light');
        const events = await page.evaluate(() => (window as unknown as { __telegramEvents: Array<[string]> }).__telegramEvents.map((e) => e[0]));
        expect(events).toContain('web_app_ready');
      }
    } finally {
      await browser.close();
    }
  });
});
