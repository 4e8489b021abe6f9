import { describe, expect, it } from 'vitest';
import { renderQuestion } from '../src/forms/engine/render.js';
import { FORMS } from '../src/forms/index.js';
import type { FormDefinition } from '../src/forms/types.js';
import { createI18n } from '../src/i18n.js';
import { LOCALES } from '../src/locales.js';

const forms = Object.values(FORMS) as FormDefinition[];

describe('a question states its format once', () => {
  it.each(LOCALES)('%s: no limit, range, example or file type is said twice in one question', async (locale) => {
    const t = (await createI18n('en')).t(locale);
    const repeats: string[] = [];
    for (const form of forms) {
      for (const question of form.sections.flatMap((s) => s.questions)) {
        const { text } = renderQuestion(form, question, {}, t, { returnToReview: false });
        // What a format is made of: numbers (limits, ranges, examples; with their digit grouping), file types, "https://".
        const tokens = text.match(/\+?\d(?:[\d\s\u00a0]|[,.](?=\d))+\d|\b(PDF|DOCX?|https:\/\/)/g) ?? [];
        const seen = new Set<string>();
        for (const token of tokens.map((x) => x.replace(/\s/g, ''))) {
          if (seen.has(token)) repeats.push(`${form.id}.${question.id}: ${token}`);
          seen.add(token);
        }
      }
    }
    expect(repeats).toEqual([]);
  });
});
