import { describe, expect, it } from 'vitest';
import { FORMS } from '../src/forms/index.js';
import { summaryLabel } from '../src/forms/engine/render.js';
import { createI18n } from '../src/i18n.js';
import { LOCALES } from '../src/locales.js';
import { chunkMessages } from '../src/message-chunks.js';
import { answerApplication, COORDINATOR_ID, openCall } from './support/application.js';
import { startTestBot, TestClock } from './support/test-bot.js';

/** 1,900 characters of real-looking prose, with a marker at the very end. */
const LONG_EXPERIENCE = `${'Coordinated cross-border cooperation projects between municipalities of Ukraine and Poland. '.repeat(20)}END-OF-ANSWER`;

describe('summaries of a form', () => {
  it('label each answer by its short name and show long answers in full, in the review, the receipt and /myapplication', async () => {
    const bot = await startTestBot({ env: { ADMIN_IDS: String(COORDINATOR_ID) }, clock: new TestClock(new Date('2025-11-10T09:00:00Z')) });
    await openCall(bot);
    const mentor = bot.user({ id: 311, first_name: 'Olena', language_code: 'en' });
    await mentor.send('/apply');
    const review = await answerApplication(mentor, { name: 'Olena Bondar', withCv: true, experience: LONG_EXPERIENCE });

    for (const shown of [review, await mentor.pressCallback('f|s|review|'), await mentor.send('/myapplication')]) {
      expect(shown.text).toContain('1. <b>Name</b>\nOlena Bondar');
      expect(shown.text).toContain('<b>CV</b>');
      expect(shown.text).toContain('<b>Consent</b>');
      expect(shown.text).not.toContain('Please write your first name and surname');
      expect(shown.text).toContain(LONG_EXPERIENCE);
      for (const text of shown.texts) expect(text.length).toBeLessThanOrEqual(4096);
    }
  });

  it('in Ukrainian too', async () => {
    const bot = await startTestBot({ env: { ADMIN_IDS: String(COORDINATOR_ID) }, clock: new TestClock(new Date('2025-11-10T09:00:00Z')) });
    await openCall(bot);
    const mentor = bot.user({ id: 312, first_name: 'Oksana', language_code: 'uk' });
    await mentor.send('/apply');
    const review = await answerApplication(mentor, { name: 'Оксана Бондар' });
    expect(review.text).toContain('1. <b>Ім’я</b>\nОксана Бондар');
    expect(review.text).toContain('<b>Резюме</b>');
  });

  it('label questions without a short name by their first sentence, never ending on a colon', async () => {
    const i18n = await createI18n('en');
    const form = FORMS.team_registration;
    const contact = form.sections.flatMap((s) => s.questions).find((q) => q.id === 'contact_name')!;
    expect(summaryLabel(form, contact, i18n.t('en'))).toBe('Contact person');
    for (const locale of LOCALES) {
      for (const definition of Object.values(FORMS)) {
        for (const question of definition.sections.flatMap((s) => s.questions)) {
          expect(summaryLabel(definition, question, i18n.t(locale)), `${locale} ${definition.id}.${question.id}`).not.toMatch(/:$/);
        }
      }
    }
  });

  it('split a line longer than a message at a space, losing nothing', () => {
    const words = Array.from({ length: 1500 }, (_, i) => `word${i}`);
    const messages = chunkMessages(['<b>Experience</b>', words.join(' ')]);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(3900);
    expect(messages.join(' ').split(/\s+/).filter((w) => w.startsWith('word'))).toEqual(words);
  });
});
