import type { ResponseSnapshot } from '../db/form-responses.js';
import type { FormBehaviour } from '../forms/engine/form-conversation.js';
import { isRequired, missingRequired, visibleQuestions } from '../forms/engine/navigation.js';
import { choiceOptions, expectation, formatAnswer } from '../forms/engine/render.js';
import { maxLengthOf } from '../forms/engine/validation.js';
import { type AnswerValue, type FormDefinition, type Question, textKeys } from '../forms/types.js';
import type { Translate } from '../i18n.js';
import type { Locale } from '../locales.js';

/** One question as the page shows it. Texts are plain (the page sets them as text, never as HTML). */
export interface QuestionView {
  id: string;
  type: Question['type'];
  text: string;
  hint?: string;
  /** What to enter, as the chat says it (e.g. "up to 200 characters"). */
  expect?: string;
  required: boolean;
  options?: Array<{ value: string | number | boolean; label: string }>;
  other?: boolean;
  maxSelected?: number;
  maxLength?: number;
  consentText?: string;
  acceptUrl?: boolean;
  /** The stored value; null when skipped; absent when not answered. */
  answer?: AnswerValue | null;
  /** The stored value as people read it (for files sent in chat). */
  answerText?: string;
}

export interface FormView {
  responseId: number;
  formId: string;
  locale: Locale;
  title: string;
  status: ResponseSnapshot['status'];
  /** No more answers are taken (submitted and locked, or withdrawn). */
  locked: boolean;
  sections: Array<{ id: string; title: string; questions: QuestionView[] }>;
  progress: { answered: number; total: number; missingRequired: number };
  /** Submit is offered: everything required is answered and the form has a submit. */
  canSubmit: boolean;
  submitLabel?: string;
  /** The page's own texts, in the person's language. */
  texts: Record<string, string>;
}

/** Telegram HTML in the locales (<b>, <i>, escaped entities) as plain text. */
export function plainText(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/** Keys of the page's own texts (locales/<lang>/web.json) and of the chat's texts it reuses. */
const PAGE_TEXTS = {
  loading: 'web.page.loading',
  saving: 'web.page.saving',
  saved: 'web.page.saved',
  save_failed: 'web.page.save_failed',
  progress: 'web.page.progress',
  missing: 'web.page.missing',
  submitting: 'web.page.submitting',
  submitted: 'web.page.submitted',
  locked: 'web.page.locked',
  file_in_chat: 'web.page.file_in_chat',
  file_or_link: 'web.page.file_or_link',
  file_ask_button: 'web.page.file_ask_button',
  file_asked: 'web.page.file_asked',
  file_received: 'web.page.file_received',
  file_none: 'web.page.file_none',
  skip: 'web.page.skip',
  not_found: 'web.page.not_found',
  server_error: 'web.page.server_error',
  network: 'web.page.network',
  other_text: 'web.page.other_text',
  sections: 'web.page.sections',
  reload: 'web.page.reload',
  unauthorized: 'web.page.unauthorized',
  forbidden: 'web.page.forbidden',
  error: 'errors.generic',
  optional: 'form.optional',
  required: 'web.page.required',
  other: 'form.buttons.other',
  agree: 'form.buttons.agree',
  skipped: 'form.skipped',
} as const;

export function pageTexts(t: Translate): Record<string, string> {
  return Object.fromEntries(Object.entries(PAGE_TEXTS).map(([name, key]) => [name, plainText(t(key, { answered: '{answered}', total: '{total}', count: '{count}', name: '{name}' }))]));
}

export function formView(
  form: FormDefinition,
  response: ResponseSnapshot,
  behaviour: FormBehaviour | undefined,
  t: Translate,
  locale: Locale,
  consentText: string | null,
): FormView {
  const answers = response.answers;
  const visible = new Set(visibleQuestions(form, answers).map((q) => q.id));
  const locked = response.status === 'withdrawn' || (behaviour?.lockedWhenSubmitted === true && response.status === 'submitted');
  const missing = missingRequired(form, answers).length;
  const optional = (key: string) => {
    const text = t(key, { defaultValue: '' });
    return text && text !== key ? plainText(text) : undefined;
  };
  const question = (q: Question): QuestionView => {
    const view: QuestionView = {
      id: q.id,
      type: q.type,
      text: plainText(t(textKeys.question(form.id, q.id))),
      hint: optional(textKeys.hint(form.id, q.id)),
      expect: plainText(expectation(q, t)) || undefined,
      required: isRequired(q),
      maxLength: maxLengthOf(q),
    };
    if (q.type === 'single_choice' || q.type === 'multiple_choice' || q.type === 'yes_no' || q.type === 'scale') {
      view.options = choiceOptions(form, q, t).map(([value, label]) => ({ value, label: plainText(label) }));
    }
    if (q.type === 'multiple_choice') {
      view.other = q.other === true;
      view.maxSelected = q.maxSelected;
    }
    if (q.type === 'consent') view.consentText = consentText ?? plainText(t(textKeys.consent(form.id, q.id)));
    if (q.type === 'document') view.acceptUrl = q.acceptUrl === true;
    if (q.id in answers) {
      const value = answers[q.id]!;
      view.answer = value;
      view.answerText = plainText(formatAnswer(form, q, value, t));
    }
    return view;
  };
  const answered = [...visible].filter((id) => id in answers).length;
  return {
    responseId: response.id,
    formId: form.id,
    locale,
    title: plainText(t(textKeys.title(form.id))),
    status: response.status,
    locked,
    sections: form.sections
      .map((s) => ({ id: s.id, title: plainText(t(textKeys.section(form.id, s.id))), questions: s.questions.filter((q) => visible.has(q.id)).map(question) }))
      .filter((s) => s.questions.length > 0),
    progress: { answered, total: visible.size, missingRequired: missing },
    canSubmit: !locked && missing === 0 && behaviour !== undefined,
    submitLabel: behaviour ? plainText(t(behaviour.submitLabelKey)) : undefined,
    texts: pageTexts(t),
  };
}
