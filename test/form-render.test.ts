import { describe, expect, it } from 'vitest';
import { renderQuestion } from '../src/forms/engine/render.js';
import { goodPracticeForm } from '../src/forms/good-practice.js';
import { FORMS } from '../src/forms/index.js';
import { teamRegistrationForm } from '../src/forms/team-registration.js';
import { createI18n } from '../src/i18n.js';
import { LOCALES } from '../src/locales.js';

describe('the current answer on a question', () => {
  it('is shown whole, over several escaped messages when it is longer than a message may be', async () => {
    const t = (await createI18n('en')).t('en');
    const question = goodPracticeForm.sections.flatMap((s) => s.questions).find((q) => q.type === 'long_text' && q.maxLength === 4000)!;
    const answer = `${'a'.repeat(3000)} <b>&</b> ${'z'.repeat(990)}`;
    const view = renderQuestion(goodPracticeForm, question, { [question.id]: answer }, t, { returnToReview: true });
    expect(view.before.length).toBeGreaterThan(1);
    for (const text of [...view.before, view.text]) expect(text.length).toBeLessThanOrEqual(4096);
    const shown = view.before.join('').replace(/^Current answer: /, '');
    expect(shown).toBe(answer.replace('<b>', '&lt;b&gt;').replace('&</b>', '&amp;&lt;/b&gt;'));
    expect(view.text).not.toContain('Current answer');
  });

  it('fits in the question message when it is short enough', async () => {
    const t = (await createI18n('en')).t('en');
    const question = goodPracticeForm.sections[0]!.questions[0]!;
    const view = renderQuestion(goodPracticeForm, question, { [question.id]: 'Green <city>' }, t, { returnToReview: false });
    expect(view.before).toEqual([]);
    expect(view.text).toContain('Current answer: Green &lt;city&gt;');
  });
});

describe('the texts of a question message', () => {
  it('are the same when a question is shown again, in every language', async () => {
    const i18n = await createI18n('en');
    for (const locale of LOCALES) {
      const t = i18n.t(locale);
      for (const form of Object.values(FORMS)) {
        for (const question of form.sections.flatMap((s) => s.questions)) {
          const first = renderQuestion(form, question, {}, t, { returnToReview: false });
          const again = renderQuestion(form, question, {}, t, { returnToReview: false });
          expect(again.text).toBe(first.text);
          expect(again.keyboard.inline_keyboard).toEqual(first.keyboard.inline_keyboard);
        }
      }
    }
  });

  it('say where the person is and what they answered, as it changes', async () => {
    const t = (await createI18n('en')).t('en');
    const [kind, name] = teamRegistrationForm.sections[0]!.questions;
    expect(renderQuestion(teamRegistrationForm, kind!, {}, t, { returnToReview: false }).text).toContain('question 1 of 7');
    const second = renderQuestion(teamRegistrationForm, name!, { kind: 'person', name: 'Lviv' }, t, { returnToReview: false }).text;
    expect(second).toContain('question 2 of 7');
    expect(second).toContain('Current answer: Lviv');
    expect(renderQuestion(teamRegistrationForm, name!, { kind: 'person', name: 'Kyiv' }, t, { returnToReview: false }).text).toContain('Current answer: Kyiv');
  });
});
