import { describe, expect, it } from 'vitest';
import {
  findQuestion,
  firstUnanswered,
  isComplete,
  missingRequired,
  nextQuestion,
  positionOf,
  previousQuestion,
  sectionProgress,
  type StoredAnswers,
  visibleQuestions,
} from '../src/forms/engine/navigation.js';
import { expectation } from '../src/forms/engine/render.js';
import { FORMS } from '../src/forms/index.js';
import { validateInput } from '../src/forms/engine/validation.js';
import { createI18n } from '../src/i18n.js';
import type { Answers, AnswerValue, FormDefinition, Question } from '../src/forms/types.js';
import { prng } from '../bench/support/random.js';

const text = (t: string) => ({ kind: 'text' as const, text: t });
const q = <T extends Question>(question: T) => question;

describe('answers are checked by question type', () => {
  it('short and long text respect their limits', () => {
    expect(validateInput(q({ id: 'a', type: 'short_text', maxLength: 5 }), text(' Kyiv '))).toEqual({ value: 'Kyiv' });
    expect(validateInput(q({ id: 'a', type: 'short_text', maxLength: 5 }), text('Zaporizhzhia'))).toEqual({ error: 'too_long', params: { max: 5, length: 12 } });
    expect(validateInput(q({ id: 'a', type: 'long_text' }), text('x'.repeat(4001)))).toMatchObject({ error: 'too_long', params: { max: 4000 } });
    expect(validateInput(q({ id: 'a', type: 'short_text' }), text('   '))).toEqual({ error: 'text_expected' });
    expect(validateInput(q({ id: 'a', type: 'short_text' }), { kind: 'other' })).toEqual({ error: 'text_expected' });
  });

  it('numbers: decimal comma, spaces, integers and range', () => {
    const population = q({ id: 'p', type: 'number', min: 0, max: 50_000_000, integer: true });
    expect(validateInput(population, text('42 000'))).toEqual({ value: 42000 });
    expect(validateInput(population, text('42,5'))).toEqual({ error: 'integer_expected' });
    expect(validateInput(population, text('-3'))).toEqual({ error: 'number_range', params: { min: 0, max: 50_000_000 } });
    expect(validateInput(population, text('many'))).toEqual({ error: 'number_expected' });
    expect(validateInput(q({ id: 'b', type: 'number' }), text('12,75'))).toEqual({ value: 12.75 });
    expect(validateInput(q({ id: 'b', type: 'number', min: 0 }), text('-5'))).toEqual({ error: 'number_min', params: { min: 0 } });
    expect(validateInput(q({ id: 'b', type: 'number', max: 10 }), text('11'))).toEqual({ error: 'number_max', params: { max: 10 } });
  });

  it('say limits as numbers are written in the reader’s language', async () => {
    const i18n = await createI18n('en');
    const population = q({ id: 'p', type: 'number', min: 0, max: 50_000_000, integer: true });
    expect(expectation(population, i18n.t('en'))).toBe('Send a number from 0 to 50,000,000.');
    expect(expectation(population, i18n.t('pl'))).toBe('Wyślij liczbę od 0 do 50\u00a0000\u00a0000.');
    expect(i18n.t('uk')('form.errors.number_min', { min: 0 })).toBe('Число має бути не менше ніж 0.');
  });

  it('e-mail, phone, link and date', () => {
    expect(validateInput(q({ id: 'e', type: 'email' }), text('olena@hromada.gov.ua'))).toEqual({ value: 'olena@hromada.gov.ua' });
    expect(validateInput(q({ id: 'e', type: 'email' }), text('olena@'))).toEqual({ error: 'email_invalid' });
    expect(validateInput(q({ id: 'p', type: 'phone' }), text('+380 67 123 45 67'))).toEqual({ value: '+380 67 123 45 67' });
    expect(validateInput(q({ id: 'p', type: 'phone' }), text('12345'))).toEqual({ error: 'phone_invalid' });
    expect(validateInput(q({ id: 'u', type: 'url' }), text('example.org/report'))).toEqual({ value: 'https://example.org/report' });
    expect(validateInput(q({ id: 'u', type: 'url' }), text('not a link'))).toEqual({ error: 'url_invalid' });
    expect(validateInput(q({ id: 'u', type: 'url' }), text('javascript://alert(1)'))).toEqual({ error: 'url_invalid' });
    expect(validateInput(q({ id: 'd', type: 'date' }), text('21.11.2025'))).toEqual({ value: '2025-11-21' });
    expect(validateInput(q({ id: 'd', type: 'date' }), text('31.02.2025'))).toEqual({ error: 'date_invalid' });
  });

  it('documents: kind, size, or a link where allowed', () => {
    const cv = q({ id: 'cv', type: 'document', mimeTypes: ['application/pdf'], maxBytes: 1024 * 1024, acceptUrl: true });
    const file = { kind: 'document' as const, fileId: 'F1', fileName: 'cv.pdf', mimeType: 'application/pdf', size: 2000 };
    expect(validateInput(cv, file)).toEqual({ value: { kind: 'file', fileId: 'F1', fileName: 'cv.pdf', mimeType: 'application/pdf', size: 2000 } });
    expect(validateInput(cv, { ...file, mimeType: 'image/png' })).toEqual({ error: 'document_type' });
    expect(validateInput(cv, { ...file, size: 5 * 1024 * 1024 })).toEqual({ error: 'document_too_large', params: { max: 1 } });
    expect(validateInput(cv, text('https://cloud.example.org/cv.pdf'))).toEqual({ value: { kind: 'url', url: 'https://cloud.example.org/cv.pdf' } });
    expect(validateInput({ ...cv, acceptUrl: false }, text('https://cloud.example.org/cv.pdf'))).toEqual({ error: 'document_expected' });
    expect(validateInput(cv, { kind: 'other' })).toEqual({ error: 'document_or_link_expected' });
  });

  it('choice questions want their buttons', () => {
    expect(validateInput(q({ id: 'c', type: 'single_choice', options: ['a'] }), text('a'))).toEqual({ error: 'use_buttons' });
    expect(validateInput(q({ id: 'y', type: 'yes_no' }), { kind: 'other' })).toEqual({ error: 'use_buttons' });
  });
});

describe('moving through a form', () => {
  const form: FormDefinition = {
    id: 'test',
    sections: [
      { id: 's1', questions: [q({ id: 'ready', type: 'yes_no' }), q({ id: 'why_not', type: 'short_text', showIf: (a) => a.ready === false })] },
      { id: 's2', questions: [q({ id: 'phone', type: 'phone', required: false }), q({ id: 'name', type: 'short_text' })] },
    ],
  };

  it('shows a question only when earlier answers make it relevant', () => {
    expect(visibleQuestions(form, { ready: true }).map((x) => x.id)).toEqual(['ready', 'phone', 'name']);
    expect(visibleQuestions(form, { ready: false }).map((x) => x.id)).toEqual(['ready', 'why_not', 'phone', 'name']);
    expect(positionOf(form, { ready: false }, 'phone')).toEqual({ index: 3, total: 4 });
  });

  it('counts a question that a pending answer may bring in, so the total does not grow as the person goes', () => {
    expect(positionOf(form, {}, 'ready')).toEqual({ index: 1, total: 4 });
    expect(positionOf(form, { ready: true }, 'phone')).toEqual({ index: 2, total: 3 });
    // One of two questions follows, whichever kind is chosen: "1 of 7", then "2 of 7".
    const registration = FORMS.team_registration;
    expect(positionOf(registration, {}, 'kind').total).toBe(7);
    expect(positionOf(registration, { kind: 'municipality' }, 'name').total).toBe(7);
    expect(positionOf(registration, { kind: 'person' }, 'name').total).toBe(7);
  });

  it('continues at the first unanswered question; a skip counts as answered but not as given', () => {
    expect(firstUnanswered(form, { ready: true })?.id).toBe('phone');
    expect(firstUnanswered(form, { ready: true, phone: null })?.id).toBe('name');
    expect(missingRequired(form, { ready: true, phone: null }).map((x) => x.id)).toEqual(['name']);
    expect(isComplete(form, { ready: true, phone: null, name: 'Olena' })).toBe(true);
    expect(isComplete(form, { ready: false, phone: null, name: 'Olena' })).toBe(false);
  });

  it('ignores answers to questions the form no longer has', () => {
    expect(isComplete(form, { ready: true, name: 'Olena', removed_question: 'x' })).toBe(true);
    expect(previousQuestion(form, { ready: true }, 'phone')?.id).toBe('ready');
  });
});

/**
 * Where the person is in a form, worked out the plain way: the navigation code keeps
 * what it can per form, and must still say the same at every step of every form.
 */
const reference = {
  given(stored: StoredAnswers): Answers {
    return Object.fromEntries(Object.entries(stored).filter(([, v]) => v !== null)) as Answers;
  },
  visible(form: FormDefinition, stored: StoredAnswers, sectionId?: string): Question[] {
    const answers = reference.given(stored);
    return form.sections.filter((s) => sectionId === undefined || s.id === sectionId).flatMap((s) => s.questions.filter((q) => !q.showIf || q.showIf(answers)));
  },
  firstUnanswered(form: FormDefinition, stored: StoredAnswers, sectionId?: string): Question | undefined {
    return reference.visible(form, stored, sectionId).find((q) => !(q.id in stored));
  },
  positionOf(form: FormDefinition, stored: StoredAnswers, questionId: string, sectionId?: string) {
    const visible = reference.visible(form, stored, sectionId);
    return { index: visible.findIndex((q) => q.id === questionId) + 1, total: Math.max(visible.length, reference.mostVisible(form, stored, sectionId)) };
  },
  mostVisible(form: FormDefinition, stored: StoredAnswers, sectionId?: string): number {
    const questions = form.sections.flatMap((s) => s.questions);
    const conditions = questions.filter((q) => q.showIf).map((q) => q.showIf!);
    if (conditions.length === 0) return 0;
    const given = reference.given(stored);
    const decides = (id: string, value: AnswerValue) => conditions.some((c) => c(given) !== c({ ...given, [id]: value }));
    const pending = questions
      .filter((q) => !(q.id in stored))
      .flatMap((q) => {
        const values: AnswerValue[] = q.type === 'yes_no' ? [true, false] : q.type === 'single_choice' ? [...q.options] : [];
        return values.some((v) => decides(q.id, v)) ? [{ id: q.id, values }] : [];
      });
    if (pending.length === 0 || pending.reduce((n, p) => n * p.values.length, 1) > 256) return 0;
    let most = 0;
    const tryFrom = (k: number, answers: StoredAnswers): void => {
      if (k === pending.length) {
        most = Math.max(most, reference.visible(form, answers, sectionId).length);
        return;
      }
      for (const value of pending[k]!.values) tryFrom(k + 1, { ...answers, [pending[k]!.id]: value });
    };
    tryFrom(0, stored);
    return most;
  },
};

/** Any answer the question accepts. */
function someAnswer(question: Question, random: () => number): AnswerValue {
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
  switch (question.type) {
    case 'single_choice':
      return pick(question.options);
    case 'multiple_choice':
      return { choices: [pick(question.options)] };
    case 'yes_no':
      return random() < 0.5;
    case 'scale':
      return question.min + Math.floor(random() * (question.max - question.min + 1));
    case 'number':
      return question.min ?? 3;
    case 'document':
      return { kind: 'url', url: 'https://example.org/cv.pdf' };
    case 'consent':
      return true;
    case 'date':
      return '2026-05-01';
    default:
      return 'Lviv';
  }
}

/** Nine yes/no questions that each bring in a follow-up, across sections: 512 ways to answer, more than are tried. */
const manyChoices: FormDefinition = {
  id: 'many_choices',
  sections: [0, 1, 2].map((s) => ({
    id: `part_${s}`,
    questions: [0, 1, 2].flatMap((i) => {
      const id = `q${s}${i}`;
      return [q({ id, type: 'yes_no' }), q({ id: `${id}_why`, type: 'short_text', required: false, showIf: (a) => a[id] === false || a.q00 === false })];
    }),
  })),
};

/** A follow-up asked for two answers together, which neither decides alone. */
const together: FormDefinition = {
  id: 'together',
  sections: [
    {
      id: 'only',
      questions: [
        q({ id: 'a', type: 'yes_no' }),
        q({ id: 'b', type: 'yes_no' }),
        q({ id: 'c', type: 'single_choice', options: ['x', 'y', 'z'] }),
        q({ id: 'both_no', type: 'short_text', showIf: (a) => a.a === false && a.b === false }),
        q({ id: 'c_z', type: 'short_text', showIf: (a) => a.c === 'z' }),
      ],
    },
  ],
};

describe('where the person is in a form is the same as the plain way of working it out', () => {
  const forms: FormDefinition[] = [...Object.values(FORMS), manyChoices, together];
  for (const form of forms) {
    it(`at every step of many ways through "${form.id}"`, () => {
      const random = prng(form.id.length * 7919 + 17);
      const questions = form.sections.flatMap((s) => s.questions);
      const sectionIds = [undefined, ...form.sections.map((s) => s.id), 'no_such_section'];
      let checks = 0;
      for (let walk = 0; walk < 12; walk++) {
        const stored: StoredAnswers = {};
        for (let step = 0; step < questions.length + 5; step++) {
          // Mostly the next question, sometimes any one (a hidden or changed answer), sometimes one taken back.
          const roll = random();
          const next = firstUnanswered(form, stored);
          const question = roll < 0.6 && next ? next : questions[Math.floor(random() * questions.length)]!;
          if (roll > 0.92) delete stored[question.id];
          else stored[question.id] = question.required === false && random() < 0.3 ? null : someAnswer(question, random);

          for (const sectionId of sectionIds) {
            const ids = (list: Question[]) => list.map((x) => x.id);
            expect(ids(visibleQuestions(form, stored, sectionId))).toEqual(ids(reference.visible(form, stored, sectionId)));
            expect(firstUnanswered(form, stored, sectionId)?.id).toEqual(reference.firstUnanswered(form, stored, sectionId)?.id);
            const visible = reference.visible(form, stored, sectionId);
            expect(ids(missingRequired(form, stored, sectionId))).toEqual(ids(visible.filter((x) => x.required !== false && (stored[x.id] ?? null) === null)));
            const total = reference.positionOf(form, stored, '', sectionId).total;
            for (const { id } of questions) {
              expect(positionOf(form, stored, id, sectionId)).toEqual({ index: ids(visible).indexOf(id) + 1, total });
              const at = visible.findIndex((x) => x.id === id);
              expect(previousQuestion(form, stored, id, sectionId)?.id).toEqual(at > 0 ? visible[at - 1]!.id : undefined);
              expect(nextQuestion(form, stored, id, sectionId)?.id).toEqual(at >= 0 ? visible[at + 1]?.id : undefined);
              checks++;
            }
          }
          expect(sectionProgress(form, stored)).toEqual(
            form.sections.map((s) => {
              const inSection = reference.visible(form, stored, s.id);
              return {
                sectionId: s.id,
                answered: inSection.filter((x) => x.id in stored).length,
                total: inSection.length,
                missingRequired: inSection.filter((x) => x.required !== false && (stored[x.id] ?? null) === null).length,
              };
            }),
          );
        }
      }
      for (const section of form.sections) for (const question of section.questions) expect(findQuestion(form, question.id)?.section.id).toBe(section.id);
      expect(findQuestion(form, 'no_such_question')).toBeUndefined();
      expect(checks).toBeGreaterThan(500);
    });
  }

  it('counts the questions pending answers may bring in, up to the number of ways it tries', () => {
    // Nine pending yes/no questions: too many ways, so the total is of the answers given.
    expect(positionOf(manyChoices, {}, 'q00')).toEqual({ index: 1, total: 9 });
    // q00 answered yes: eight pending, 256 ways, each may bring in its follow-up.
    expect(positionOf(manyChoices, { q00: true }, 'q01')).toEqual({ index: 2, total: 17 });
    // Neither a nor b alone brings in both_no, so only c's answer is counted as pending.
    expect(positionOf(together, {}, 'a')).toEqual({ index: 1, total: 4 });
    expect(positionOf(together, { a: false }, 'b')).toEqual({ index: 2, total: 5 });
  });
});
