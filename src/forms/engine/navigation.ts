import type { Answers, AnswerValue, FormDefinition, Question, Section } from '../types.js';

/** Stored answers: a value, or null for a question the person chose to skip. */
export type StoredAnswers = Record<string, AnswerValue | null>;

export function isRequired(question: Question): boolean {
  return question.required !== false;
}

/** Answers that count for `showIf`: skipped questions have no answer. */
export function givenAnswers(stored: StoredAnswers): Answers {
  const answers: Answers = {};
  for (const key of Object.keys(stored)) {
    const value = stored[key];
    if (value === null) continue;
    // Assigning "__proto__" would set the prototype instead of adding the answer.
    if (key === '__proto__') Object.defineProperty(answers, key, { value, writable: true, enumerable: true, configurable: true });
    else answers[key] = value!;
  }
  return answers;
}

/**
 * The questions of a form, or of one of its sections, split once: the ones always
 * asked, and the few with a `showIf`. Every message of a form asks where the person
 * is, and most questions never depend on an answer, so only the conditions are
 * evaluated per call. Form definitions are constants, never changed once made.
 */
interface Part {
  questions: readonly Question[];
  /** How many of `questions` have no `showIf`. */
  always: number;
  conditional: readonly Question[];
}

interface Layout {
  whole: Part;
  sections: Map<string, Part>;
  /** The first place of each question id, as `findQuestion` finds it. */
  places: Map<string, { section: Section; question: Question }>;
  conditions: ReadonlyArray<(answers: Answers) => boolean>;
  /** Questions whose answer may decide a `showIf`, with every answer they can take. */
  choices: ReadonlyArray<{ id: string; values: readonly AnswerValue[] }>;
}

const NO_QUESTIONS: Part = { questions: [], always: 0, conditional: [] };
const layouts = new WeakMap<FormDefinition, Layout>();

function partOf(questions: readonly Question[]): Part {
  const conditional = questions.filter((q) => q.showIf);
  return { questions, always: questions.length - conditional.length, conditional };
}

function layoutOf(form: FormDefinition): Layout {
  let layout = layouts.get(form);
  if (layout) return layout;
  const questions = form.sections.flatMap((s) => s.questions);
  const sections = new Map<string, Part>();
  for (const id of new Set(form.sections.map((s) => s.id))) {
    sections.set(id, partOf(form.sections.filter((s) => s.id === id).flatMap((s) => s.questions)));
  }
  const places = new Map<string, { section: Section; question: Question }>();
  for (const section of form.sections) {
    for (const question of section.questions) if (!places.has(question.id)) places.set(question.id, { section, question });
  }
  const whole = partOf(questions);
  layout = {
    whole,
    sections,
    places,
    conditions: whole.conditional.map((q) => q.showIf!),
    choices: questions.flatMap<{ id: string; values: readonly AnswerValue[] }>((q) =>
      q.type === 'yes_no' ? [{ id: q.id, values: [true, false] }] : q.type === 'single_choice' ? [{ id: q.id, values: [...q.options] }] : [],
    ),
  };
  layouts.set(form, layout);
  return layout;
}

function partFor(form: FormDefinition, sectionId: string | undefined): Part {
  const layout = layoutOf(form);
  return sectionId === undefined ? layout.whole : (layout.sections.get(sectionId) ?? NO_QUESTIONS);
}

/** The questions the person sees, in order, given what they answered so far. */
export function visibleQuestions(form: FormDefinition, stored: StoredAnswers, sectionId?: string): Question[] {
  const part = partFor(form, sectionId);
  if (part.conditional.length === 0) return part.questions.slice();
  const answers = givenAnswers(stored);
  return part.questions.filter((q) => !q.showIf || q.showIf(answers));
}

export function findQuestion(form: FormDefinition, questionId: string): { section: Section; question: Question } | undefined {
  return layoutOf(form).places.get(questionId);
}

/** The first visible question with neither an answer nor a skip. */
export function firstUnanswered(form: FormDefinition, stored: StoredAnswers, sectionId?: string): Question | undefined {
  const part = partFor(form, sectionId);
  let answers: Answers | undefined;
  for (const q of part.questions) {
    if (q.id in stored) continue;
    if (!q.showIf || q.showIf((answers ??= givenAnswers(stored)))) return q;
  }
  return undefined;
}

/** Required visible questions still without an answer (a skip does not count for them). */
export function missingRequired(form: FormDefinition, stored: StoredAnswers, sectionId?: string): Question[] {
  return missingAmong(visibleQuestions(form, stored, sectionId), stored);
}

function missingAmong(visible: readonly Question[], stored: StoredAnswers): Question[] {
  return visible.filter((q) => isRequired(q) && (stored[q.id] === undefined || stored[q.id] === null));
}

export function isComplete(form: FormDefinition, stored: StoredAnswers): boolean {
  return missingRequired(form, stored).length === 0;
}

/** Position of a question among the visible ones, counted from 1. */
export function positionOf(form: FormDefinition, stored: StoredAnswers, questionId: string, sectionId?: string) {
  return positionAmong(visibleQuestions(form, stored, sectionId), form, stored, questionId, sectionId);
}

/** `positionOf` for a caller that already has `visibleQuestions(form, stored, sectionId)`. */
export function positionAmong(visible: readonly Question[], form: FormDefinition, stored: StoredAnswers, questionId: string, sectionId?: string) {
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
  const { conditions, choices } = layoutOf(form);
  if (conditions.length === 0) return 0;
  // One answers object, tried with each pending answer and put back after: this runs
  // for every message of a form, up to MAX_COMBINATIONS times, so it makes no copies.
  const given = givenAnswers(stored);
  const shown = conditions.map((c) => c(given));
  const pending: Array<{ id: string; values: readonly AnswerValue[] }> = [];
  let combinations = 1;
  for (const choice of choices) {
    if (choice.id in stored || !decidesAny(choice.id, choice.values, given, conditions, shown)) continue;
    pending.push(choice);
    combinations *= choice.values.length;
  }
  if (pending.length === 0 || combinations > MAX_COMBINATIONS) return 0;
  const part = partFor(form, sectionId);
  // No condition among the counted questions: every combination shows them all.
  if (part.conditional.length === 0) return part.always;
  return mostFrom(0, pending, given, part);
}

/** Whether some answer to this question changes whether a conditional question is asked. */
function decidesAny(id: string, values: readonly AnswerValue[], given: Answers, conditions: Layout['conditions'], shown: boolean[]): boolean {
  let decides = false;
  for (let v = 0; v < values.length && !decides; v++) {
    given[id] = values[v]!;
    for (let c = 0; c < conditions.length && !decides; c++) decides = conditions[c]!(given) !== shown[c];
  }
  delete given[id];
  return decides;
}

/** The most questions of the part shown, over every answer to the pending choices from the k-th on. */
function mostFrom(k: number, pending: ReadonlyArray<{ id: string; values: readonly AnswerValue[] }>, given: Answers, part: Part): number {
  if (k === pending.length) {
    let count = part.always;
    for (const q of part.conditional) if (q.showIf!(given)) count++;
    return count;
  }
  const { id, values } = pending[k]!;
  let most = 0;
  for (const value of values) {
    given[id] = value;
    most = Math.max(most, mostFrom(k + 1, pending, given, part));
  }
  delete given[id];
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
      missingRequired: missingAmong(visible, stored).length,
    };
  });
}

/** "▰▰▰▱▱▱▱▱▱▱" for 3 of 10. */
export function progressBar(done: number, total: number, width = 10): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return '▰'.repeat(filled) + '▱'.repeat(width - filled);
}
