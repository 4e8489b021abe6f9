import type { Answers, AnswerValue, FormDefinition, Question, Section } from '../types.js';

/** Stored answers: a value, or null for a question the person chose to skip. */
export type StoredAnswers = Record<string, AnswerValue | null>;

export function isRequired(question: Question): boolean {
  return question.required !== false;
}

/** Answers that count for `showIf`: skipped questions have no answer. */
export function givenAnswers(stored: StoredAnswers): Answers {
  return Object.fromEntries(Object.entries(stored).filter(([, v]) => v !== null)) as Answers;
}

/** The questions the person sees, in order, given what they answered so far. */
export function visibleQuestions(form: FormDefinition, stored: StoredAnswers, sectionId?: string): Question[] {
  const answers = givenAnswers(stored);
  return form.sections
    .filter((s) => sectionId === undefined || s.id === sectionId)
    .flatMap((s) => s.questions.filter((q) => !q.showIf || q.showIf(answers)));
}

export function findQuestion(form: FormDefinition, questionId: string): { section: Section; question: Question } | undefined {
  for (const section of form.sections) {
    const question = section.questions.find((q) => q.id === questionId);
    if (question) return { section, question };
  }
  return undefined;
}

/** The first visible question with neither an answer nor a skip. */
export function firstUnanswered(form: FormDefinition, stored: StoredAnswers, sectionId?: string): Question | undefined {
  return visibleQuestions(form, stored, sectionId).find((q) => !(q.id in stored));
}

/** Required visible questions still without an answer (a skip does not count for them). */
export function missingRequired(form: FormDefinition, stored: StoredAnswers, sectionId?: string): Question[] {
  return visibleQuestions(form, stored, sectionId).filter((q) => isRequired(q) && (stored[q.id] === undefined || stored[q.id] === null));
}

export function isComplete(form: FormDefinition, stored: StoredAnswers): boolean {
  return missingRequired(form, stored).length === 0;
}

/** Position of a question among the visible ones, counted from 1. */
export function positionOf(form: FormDefinition, stored: StoredAnswers, questionId: string, sectionId?: string) {
  const visible = visibleQuestions(form, stored, sectionId);
  return { index: visible.findIndex((q) => q.id === questionId) + 1, total: Math.max(visible.length, mostVisible(form, stored, sectionId)) };
}

/** Beyond this many combinations of pending choices the total is counted from the answers given only. */
const MAX_COMBINATIONS = 256;

/**
 * The most questions the person can still be shown, over every way they may answer the
 * choice questions that decide whether another question is asked: "question 1 of 7"
 * stays 7 when a later question depends on the first answer, instead of growing as
 * they go. It can only come down.
 */
function mostVisible(form: FormDefinition, stored: StoredAnswers, sectionId?: string): number {
  const questions = form.sections.flatMap((s) => s.questions);
  const conditions = questions.filter((q) => q.showIf).map((q) => q.showIf!);
  if (conditions.length === 0) return 0;
  const given = givenAnswers(stored);
  const decides = (id: string, value: AnswerValue) => conditions.some((c) => c(given) !== c({ ...given, [id]: value }));
  const pending = questions
    .filter((q) => !(q.id in stored))
    .flatMap((q) => {
      const values: AnswerValue[] = q.type === 'yes_no' ? [true, false] : q.type === 'single_choice' ? [...q.options] : [];
      return values.some((v) => decides(q.id, v)) ? [{ id: q.id, values }] : [];
    });
  if (pending.length === 0 || pending.reduce((n, p) => n * p.values.length, 1) > MAX_COMBINATIONS) return 0;
  let most = 0;
  const tryFrom = (k: number, answers: StoredAnswers): void => {
    if (k === pending.length) {
      most = Math.max(most, visibleQuestions(form, answers, sectionId).length);
      return;
    }
    for (const value of pending[k]!.values) tryFrom(k + 1, { ...answers, [pending[k]!.id]: value });
  };
  tryFrom(0, stored);
  return most;
}

/** The visible question before this one, for the Back button. */
export function previousQuestion(form: FormDefinition, stored: StoredAnswers, questionId: string, sectionId?: string): Question | undefined {
  const visible = visibleQuestions(form, stored, sectionId);
  const index = visible.findIndex((q) => q.id === questionId);
  return index > 0 ? visible[index - 1] : undefined;
}

/** The visible question after this one, for Keep current answer. */
export function nextQuestion(form: FormDefinition, stored: StoredAnswers, questionId: string, sectionId?: string): Question | undefined {
  const visible = visibleQuestions(form, stored, sectionId);
  const index = visible.findIndex((q) => q.id === questionId);
  return index >= 0 ? visible[index + 1] : undefined;
}

export interface SectionProgress {
  sectionId: string;
  answered: number;
  total: number;
  missingRequired: number;
}

export function sectionProgress(form: FormDefinition, stored: StoredAnswers): SectionProgress[] {
  return form.sections.map((section) => {
    const visible = visibleQuestions(form, stored, section.id);
    return {
      sectionId: section.id,
      answered: visible.filter((q) => q.id in stored).length,
      total: visible.length,
      missingRequired: missingRequired(form, stored, section.id).length,
    };
  });
}

/** "▰▰▰▱▱▱▱▱▱▱" for 3 of 10. */
export function progressBar(done: number, total: number, width = 10): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return '▰'.repeat(filled) + '▱'.repeat(width - filled);
}
