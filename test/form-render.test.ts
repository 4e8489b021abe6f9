import { describe, expect, it } from 'vitest';
import { renderQuestion } from '../src/forms/engine/render.js';
import { goodPracticeForm } from '../src/forms/good-practice.js';
import { createI18n } from '../src/i18n.js';

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
