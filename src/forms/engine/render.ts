import { InlineKeyboard } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { escapeHtml, type Translate } from '../../i18n.js';
import { type AnswerValue, type FormDefinition, type Question, textKeys } from '../types.js';
import { findQuestion, isRequired, positionAmong, progressBar, type StoredAnswers, visibleQuestions } from './navigation.js';
import { maxLengthOf } from './validation.js';
import { MESSAGE_LIMIT } from '../../message-chunks.js';

/**
 * Button data of form messages: `f|<action>|<question>|<argument>`. The question id
 * is in every button, so a button from an older message can never change the answer
 * to another question.
 */
export const FORM_CALLBACK_PREFIX = 'f|';

export type FormAction =
  | 'choose' // single choice, yes/no, scale: argument = option index or value
  | 'toggle' // multiple choice: argument = option index
  | 'done' // multiple choice or multi-message text finished
  | 'skip'
  | 'back'
  | 'agree' // consent
  | 'trim' // after a too-long text: keep its first characters
  | 'keep' // after Back: keep the stored answer and go on
  | 'review' // back to the review without changing
  | 'change' // from the review: change this question
  | 'submit'
  | 'menu'; // from a section's review: back to the form's menu

const ACTION_CODES: Record<FormAction, string> = {
  choose: 'c',
  toggle: 't',
  done: 'd',
  skip: 'k',
  back: 'b',
  agree: 'a',
  keep: 'p',
  trim: 'l',
  review: 'r',
  change: 'x',
  submit: 's',
  menu: 'm',
};
const ACTIONS_BY_CODE = new Map(Object.entries(ACTION_CODES).map(([action, code]) => [code, action as FormAction]));

export function formButton(action: FormAction, questionId: string, argument = ''): string {
  return `${FORM_CALLBACK_PREFIX}${ACTION_CODES[action]}|${questionId}|${argument}`;
}

export function isFormButton(data: string | undefined): boolean {
  return data?.startsWith(FORM_CALLBACK_PREFIX) ?? false;
}

export function parseFormButton(data: string | undefined): { action: FormAction; questionId: string; argument: string } | undefined {
  if (!data?.startsWith(FORM_CALLBACK_PREFIX)) return undefined;
  const [code, questionId, argument = ''] = data.slice(FORM_CALLBACK_PREFIX.length).split('|');
  const action = code ? ACTIONS_BY_CODE.get(code) : undefined;
  if (!action || !questionId) return undefined;
  return { action, questionId, argument };
}

/** Options of a choice question as [stored value, label] pairs. */
export function choiceOptions(form: FormDefinition, question: Question, t: Translate): Array<[string | number | boolean, string]> {
  switch (question.type) {
    case 'single_choice':
    case 'multiple_choice':
      return question.options.map((o) => [o, t(textKeys.option(form.id, question.id, o))]);
    case 'yes_no':
      return [
        [true, t('form.buttons.yes')],
        [false, t('form.buttons.no')],
      ];
    case 'scale': {
      const values: Array<[number, string]> = [];
      for (let v = question.min; v <= question.max; v++) values.push([v, String(v)]);
      return values;
    }
    default:
      return [];
  }
}

/** What the person is told to send, said before they type. */
export function expectation(question: Question, t: Translate): string {
  switch (question.type) {
    case 'short_text':
      return t('form.expect.text', { max: maxLengthOf(question) });
    case 'long_text':
      return t(question.multiMessage ? 'form.expect.long_text_multi' : 'form.expect.text', { max: maxLengthOf(question) });
    case 'number':
      if (question.min !== undefined && question.max !== undefined) return t('form.expect.number_range', { min: question.min, max: question.max });
      return t('form.expect.number');
    case 'email':
      return t('form.expect.email');
    case 'phone':
      return t('form.expect.phone');
    case 'url':
      return t('form.expect.url');
    case 'date':
      return t('form.expect.date');
    case 'multiple_choice':
      return t('form.expect.multiple_choice');
    case 'document':
      return t(question.acceptUrl ? 'form.expect.document_or_link' : 'form.expect.document', {
        types: documentTypes(question.mimeTypes),
        max: Math.round(question.maxBytes / (1024 * 1024)),
      });
    default:
      return '';
  }
}

const MIME_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/msword': 'DOC',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
};

function documentTypes(mimeTypes: readonly string[]): string {
  return mimeTypes.map((m) => MIME_NAMES[m] ?? m).join(', ');
}

const TICK = '✓ ';

/**
 * The choices ticked on a multiple-choice question's message, as the person sees
 * them; undefined when the message has no such buttons (e.g. it is too old).
 */
export function selectionShown(question: Question, markup: InlineKeyboardMarkup | undefined): Set<string> | undefined {
  if (question.type !== 'multiple_choice' || !markup) return undefined;
  let found = false;
  const selected = new Set<string>();
  for (const button of markup.inline_keyboard.flat()) {
    const parsed = 'callback_data' in button ? parseFormButton(button.callback_data) : undefined;
    if (parsed?.action !== 'toggle' || parsed.questionId !== question.id) continue;
    found = true;
    const option = parsed.argument === 'other' ? 'other' : question.options[Number(parsed.argument)];
    if (option && button.text.startsWith(TICK)) selected.add(option);
  }
  return found ? selected : undefined;
}

export interface QuestionView {
  text: string;
  keyboard: InlineKeyboard;
  /** Sent before the question: a current answer too long to fit in the question's message. */
  before: string[];
}

/** The message that asks a question: where the person is, the question, what to send, and the buttons. */
export function renderQuestion(
  form: FormDefinition,
  question: Question,
  answers: StoredAnswers,
  t: Translate,
  options: { sectionId?: string; returnToReview: boolean; selected?: ReadonlySet<string>; consentText?: string | null },
): QuestionView {
  const found = findQuestion(form, question.id)!;
  const visible = visibleQuestions(form, answers, options.sectionId);
  const { index, total } = positionAmong(visible, form, answers, question.id, options.sectionId);
  let answeredCount = 0;
  for (const q of visible) if (q.id in answers) answeredCount++;
  const lines = [
    `<b>${t(textKeys.section(form.id, found.section.id))}</b> · ${t('form.progress', { index, total })}`,
    progressBar(answeredCount, total),
    '',
    `<b>${t(textKeys.question(form.id, question.id))}</b>${isRequired(question) ? '' : ` <i>${t('form.optional')}</i>`}`,
  ];
  const hintKey = textKeys.hint(form.id, question.id);
  const hint = t(hintKey, { defaultValue: '' });
  if (hint && hint !== hintKey) lines.push(`<i>${hint}</i>`);
  if (question.type === 'consent') lines.push('', options.consentText ? escapeHtml(options.consentText) : t(textKeys.consent(form.id, question.id)));
  const expected = expectation(question, t);
  if (expected) lines.push('', expected);
  const current = answers[question.id];
  const hasCurrent = current !== undefined && current !== null;
  // The whole current answer: a shortened one looks as if part of it was lost.
  let before: string[] = [];
  if (hasCurrent) {
    const shown = t('form.current_answer', { answer: formatAnswer(form, question, current, t), interpolation: { escapeValue: false } });
    if (lines.join('\n').length + shown.length + 2 <= MESSAGE_LIMIT) lines.push('', shown);
    else before = longAnswerMessages(String(current), t);
  }

  const keyboard = new InlineKeyboard();
  if (question.type === 'multiple_choice') {
    const selected = options.selected ?? new Set<string>();
    const choices = choiceOptions(form, question, t);
    choices.forEach(([value, label], i) => {
      keyboard.text(`${selected.has(String(value)) ? TICK : ''}${label}`, formButton('toggle', question.id, String(i))).row();
    });
    if (question.other) {
      keyboard.text(`${selected.has('other') ? TICK : ''}${t('form.buttons.other')}`, formButton('toggle', question.id, 'other')).row();
    }
    keyboard.text(t('form.buttons.done'), formButton('done', question.id)).row();
  } else if (question.type === 'scale') {
    choiceOptions(form, question, t).forEach(([value, label]) => keyboard.text(label, formButton('choose', question.id, String(value))));
    keyboard.row();
  } else if (question.type === 'yes_no' || question.type === 'single_choice') {
    choiceOptions(form, question, t).forEach(([, label], i) => keyboard.text(label, formButton('choose', question.id, String(i))).row());
  } else if (question.type === 'consent') {
    keyboard.text(t('form.buttons.agree'), formButton('agree', question.id)).row();
  }

  const navigation: Array<[string, string]> = [];
  if (index > 1 && !options.returnToReview) navigation.push([t('form.buttons.back'), formButton('back', question.id)]);
  if (!isRequired(question)) navigation.push([t('form.buttons.skip'), formButton('skip', question.id)]);
  if (hasCurrent && !options.returnToReview) navigation.push([t('form.buttons.keep'), formButton('keep', question.id)]);
  if (options.returnToReview) navigation.push([t('form.buttons.to_review'), formButton('review', question.id)]);
  for (const [label, data] of navigation) keyboard.text(label, data);
  return { text: lines.join('\n'), keyboard, before };
}

/** A long text answer over as many messages as it needs, cut before escaping so no entity is split. */
function longAnswerMessages(text: string, t: Translate): string[] {
  const size = MESSAGE_LIMIT - 200;
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(escapeHtml(text.slice(i, i + size)));
  return pieces.map((piece, i) => (i === 0 ? t('form.current_answer', { answer: piece, interpolation: { escapeValue: false } }) : piece));
}

/** A stored answer as people read it. Long texts are cut to `limit` characters. Result is HTML-escaped. */
export function formatAnswer(form: FormDefinition, question: Question, value: AnswerValue | null, t: Translate, limit = Infinity): string {
  if (value === null) return `<i>${t('form.skipped')}</i>`;
  const cut = (text: string) => escapeHtml(text.length > limit ? `${text.slice(0, limit).trimEnd()}…` : text);
  switch (question.type) {
    case 'yes_no':
      return t(value ? 'form.buttons.yes' : 'form.buttons.no');
    case 'consent':
      return t('form.consent_given');
    case 'single_choice':
      return escapeHtml(t(textKeys.option(form.id, question.id, String(value))));
    case 'multiple_choice': {
      const { choices, other } = value as { choices: string[]; other?: string };
      const labels = choices.map((c) => escapeHtml(t(textKeys.option(form.id, question.id, c))));
      if (other) labels.push(`${escapeHtml(t('form.buttons.other'))} ${cut(other)}`);
      return labels.join(', ');
    }
    case 'document': {
      const file = value as { kind: 'file'; fileName?: string } | { kind: 'url'; url: string };
      return file.kind === 'url' ? cut(file.url) : t('form.file', { name: file.fileName ?? '—' });
    }
    default:
      return cut(String(value));
  }
}

/** Numbered lines "n. label — answer" for a review, a receipt or a coordinator's view; answers in full. */
export function answerLines(form: FormDefinition, answers: StoredAnswers, t: Translate, sectionId?: string): Array<{ question: Question; line: string }> {
  return visibleQuestions(form, answers, sectionId).map((question, i) => {
    const value = answers[question.id];
    const answer = value === undefined ? `<i>${t(isRequired(question) ? 'form.not_answered_required' : 'form.not_answered')}</i>` : formatAnswer(form, question, value, t);
    return { question, line: `${i + 1}. <b>${escapeHtml(summaryLabel(form, question, t))}</b>\n${answer}` };
  });
}

/** A question's short name ("CV"); where a form has none, the question's first sentence. */
export function summaryLabel(form: FormDefinition, question: Question, t: Translate): string {
  const key = textKeys.label(form.id, question.id);
  const label = t(key);
  if (label !== key) return label;
  const text = t(textKeys.question(form.id, question.id));
  // "Contact person: name and position" reads as a label up to its colon, without it.
  const firstSentence = (/^.+?[?.!:](?=\s|$)/.exec(text)?.[0] ?? text).replace(/:$/, '');
  return firstSentence.length > 90 ? `${firstSentence.slice(0, 90).trimEnd()}…` : firstSentence;
}
