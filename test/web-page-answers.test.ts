import { describe, expect, it } from 'vitest';
import { answerHistory } from '../src/db/form-responses.js';
import { readLocale } from '../src/i18n.js';
import { COORDINATOR_ID, openCall } from './support/application.js';
import { chromiumPath, launchBrowser, openPage, saving } from './support/browser.js';
import { startTestBot, TestClock } from './support/test-bot.js';
import { pageButtonUrl, webEnv } from './support/web.js';
import { joinTeam, registerTeam } from './support/teams.js';

const beforeDeadline = () => new TestClock(new Date('2025-11-10T09:00:00Z'));
const env = { ADMIN_IDS: String(COORDINATOR_ID), ...webEnv };

if (!chromiumPath) console.warn('NOTICE: no Chromium found (/usr/bin/chromium or CHROMIUM_PATH): the form page browser tests are skipped.');

const responseIdOf = (url: string | undefined) => Number(new URL(url!).searchParams.get('r'));
const text = (locale: 'uk' | 'pl' | 'en', key: string) => key.split('.').reduce<any>((tree, part) => tree[part], readLocale(locale));

describe.skipIf(!chromiumPath)('answering on the page (in Chromium)', () => {
  it('saves a long answer while it is typed: closing the page without leaving the field loses nothing, and the history keeps one entry per person', async () => {
    const bot = await startTestBot({ env });
    const { code } = await registerTeam(bot);
    const olenaProfile = { id: 651, first_name: 'Olena', language_code: 'en' };
    const olena = bot.user(olenaProfile);
    const petro = bot.user({ id: 652, first_name: 'Petro', language_code: 'en' });
    await joinTeam(olena, code);
    await joinTeam(petro, code);
    await petro.send('/team');
    await petro.pressCallback('na|s|main');
    await petro.send('Too few people write grant applications.');
    await petro.pressCallback('f|d|challenges|');
    await olena.send('/team');
    const responseId = responseIdOf(pageButtonUrl(olena));
    const { db } = bot.app.deps;
    const stored = async (questionId: string) => {
      const row = await db.formAnswer.findFirst({ where: { responseId, questionId } });
      return row ? JSON.parse(row.value) : undefined;
    };

    const browser = await launchBrowser();
    try {
      const page = await openPage(browser, bot, olenaProfile, responseId);
      const challenges = page.locator('#q-challenges');
      await expect.poll(() => challenges.inputValue()).toBe('Too few people write grant applications.');
      await challenges.fill('');
      // Typed key by key, never leaving the field: each pause saves what is there.
      await challenges.focus();
      expect(await saving(page, () => page.keyboard.type('We lack people', { delay: 10 }))).toBe(200);
      expect(await saving(page, () => page.keyboard.type(' who write grant applications.', { delay: 10 }))).toBe(200);
      await expect.poll(() => page.locator('#q-challenges-state').textContent()).toBe(text('en', 'web.page.saved'));
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('q-challenges');
      expect(await stored('challenges')).toBe('We lack people who write grant applications.');

      await page.locator('#q-reasons').focus();
      expect(await saving(page, () => page.keyboard.type('Our partners abroad asked for it.', { delay: 10 }))).toBe(200);
      // Progress is brought up to date while typing.
      await expect.poll(() => page.locator('#progress').textContent()).toMatch(/^2 of \d+ answered$/);
      await page.close();
      expect(await stored('reasons')).toBe('Our partners abroad asked for it.');

      // Closed straight after typing, before the pause: the page sends what was typed as it goes.
      const again = await openPage(browser, bot, olenaProfile, responseId);
      await expect.poll(() => again.locator('#q-reasons').inputValue()).toBe('Our partners abroad asked for it.');
      await again.locator('#q-learning_from_others').focus();
      await again.keyboard.type('Lublin', { delay: 0 });
      await again.close({ runBeforeUnload: true });
      await expect.poll(() => stored('learning_from_others')).toBe('Lublin');
    } finally {
      await browser.close();
    }
    const olenaRow = await db.person.findFirstOrThrow({ where: { telegramId: 651n } });
    const petroRow = await db.person.findFirstOrThrow({ where: { telegramId: 652n } });
    const current = await db.formAnswer.findFirstOrThrow({ where: { responseId, questionId: 'challenges' } });
    expect(current.answeredById).toBe(olenaRow.id);
    // Petro's answer is kept; Olena's words on the way to her answer are not separate entries.
    const history = await answerHistory(db, responseId, 'challenges');
    expect(history.map((h) => [JSON.parse(h.value), h.answeredById])).toEqual([['Too few people write grant applications.', petroRow.id]]);
    // The chat goes on at the first question still unanswered.
    await olena.pressCallback('na|s|main');
    expect(olena.lastBotText()).toContain(text('en', 'forms.needs_analysis.questions.themes.text').slice(0, 30));
  });

  it('offers Skip for optional questions only, as the chat does, and stores the skip', async () => {
    const bot = await startTestBot({ env, clock: beforeDeadline() });
    await openCall(bot);
    const profile = { id: 661, language_code: 'en' };
    const mentor = bot.user(profile);
    await mentor.send('/apply');
    const responseId = responseIdOf(pageButtonUrl(mentor));
    const browser = await launchBrowser();
    try {
      const page = await openPage(browser, bot, profile, responseId);
      await page.locator('h1').waitFor();
      expect(await page.locator('#q-full_name-skip').count()).toBe(0);
      expect(await page.locator('#q-expertise_areas-skip').count()).toBe(0);
      const skip = page.locator('#q-phone-skip');
      expect(await skip.textContent()).toBe(text('en', 'web.page.skip'));
      // By keyboard: Enter on the focused button.
      await skip.focus();
      expect(await saving(page, () => page.keyboard.press('Enter'))).toBe(200);
      await expect.poll(() => page.locator('#q-phone-state').textContent()).toBe(text('en', 'web.page.saved'));
      await page.reload();
      await expect.poll(() => page.locator('#q-phone-state').textContent()).toBe(text('en', 'form.skipped'));
      expect(await page.locator('#q-phone-skip').isDisabled()).toBe(true);
      // An optional choice question too.
      expect(await saving(page, () => page.locator('#q-preferences-skip').click())).toBe(200);
    } finally {
      await browser.close();
    }
    const answers = await bot.app.deps.db.formAnswer.findMany({ where: { responseId }, orderBy: { questionId: 'asc' } });
    expect(answers.map((a) => [a.questionId, JSON.parse(a.value)])).toEqual([
      ['phone', null],
      ['preferences', null],
    ]);
    // The chat takes the skip as its own: it asks the next question, not the phone.
    await mentor.send('Anna Kowalska');
    expect((await mentor.send('anna@example.org')).text).toContain(text('en', 'forms.application.questions.country.text'));
  });

  it('sends the CV through the chat: the page has the chat ask for it, the chat takes the file, and the page shows it came', async () => {
    const bot = await startTestBot({ env, clock: beforeDeadline() });
    await openCall(bot);
    const profile = { id: 671, language_code: 'en' };
    const mentor = bot.user(profile);
    await mentor.send('/apply');
    const responseId = responseIdOf(pageButtonUrl(mentor));
    const browser = await launchBrowser();
    try {
      const page = await openPage(browser, bot, profile, responseId);
      await expect.poll(() => page.locator('#q-cv-how').textContent()).toBe(text('en', 'web.page.file_or_link'));
      expect(await page.locator('#q-cv-file').textContent()).toBe(text('en', 'web.page.file_none'));
      expect(await page.locator('input[type="file"]').count()).toBe(0);
      // The link field is described by what to do and by what has come.
      expect(await page.getAttribute('#q-cv', 'aria-describedby')).toContain('q-cv-file');

      await page.locator('#q-cv-ask').click();
      await expect.poll(() => page.locator('#q-cv-state').textContent()).toBe(text('en', 'web.page.file_asked'));
      const events = await page.evaluate(() => (window as unknown as { __telegramEvents: Array<[string]> }).__telegramEvents.map((e) => e[0]));
      expect(events).toContain('web_app_close');
      await expect.poll(() => mentor.lastBotText()).toContain(text('en', 'forms.application.questions.cv.text'));

      // The chat takes the file as its own question's answer, then goes on at the first unanswered question.
      const sent = await mentor.sendDocument({ file_name: 'cv.pdf', mime_type: 'application/pdf', file_size: 120_000 });
      expect(sent.text).toContain(text('en', 'forms.application.questions.full_name.text'));
      await page.reload();
      await expect.poll(() => page.locator('#q-cv-file').textContent()).toBe(text('en', 'web.page.file_received').replace('{{name}}', 'cv.pdf'));
      expect(await page.locator('#q-cv').inputValue()).toBe('');
    } finally {
      await browser.close();
    }
    const stored = await bot.app.deps.db.formAnswer.findFirstOrThrow({ where: { responseId, questionId: 'cv' } });
    expect(JSON.parse(stored.value)).toMatchObject({ kind: 'file', fileName: 'cv.pdf' });
    // The full name is still asked in the chat, and a text there is its answer.
    await mentor.send('Anna Kowalska');
    expect(JSON.parse((await bot.app.deps.db.formAnswer.findFirstOrThrow({ where: { responseId, questionId: 'full_name' } })).value)).toBe('Anna Kowalska');
  });

  it('opens at the section whose button was pressed in the chat', async () => {
    const bot = await startTestBot({ env });
    const { code } = await registerTeam(bot);
    const profile = { id: 681, first_name: 'Olena', language_code: 'en' };
    const olena = bot.user(profile);
    await joinTeam(olena, code);
    await olena.send('/team');
    const sectionUrl = olena
      .botMessages()
      .flatMap((m) => ((m.reply_markup as { inline_keyboard?: Array<Array<{ web_app?: { url: string } }>> } | undefined)?.inline_keyboard ?? []).flat())
      .map((b) => b.web_app?.url)
      .find((url) => url && new URL(url).searchParams.get('s') === 'local_context');
    expect(sectionUrl).toBeDefined();
    const browser = await launchBrowser();
    try {
      const page = await openPage(browser, bot, profile, responseIdOf(sectionUrl), { section: 'local_context' });
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('title-local_context');
      const top = await page.evaluate(() => document.getElementById('title-local_context')!.getBoundingClientRect().top);
      expect(top).toBeGreaterThanOrEqual(0);
      expect(top).toBeLessThan(100);
      // The first question after the heading is one Tab away.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('q-situation_trends');
    } finally {
      await browser.close();
    }
  });
});
