/**
 * Forms are declared as data: sections of questions, each with an id and a type.
 * Texts are i18n keys derived from the ids (see `textKeys` below), present in all
 * five locales. One engine (src/forms/engine) runs every form.
 */

export type AnswerValue =
  | string
  | number
  | boolean
  | string[]
  | { choices: string[]; other?: string }
  | { kind: 'file'; fileId: string; fileName?: string; mimeType?: string; size?: number }
  | { kind: 'url'; url: string };

export type Answers = Record<string, AnswerValue>;

interface QuestionBase {
  /** Stable id: answers are stored under it, so never reuse an id for a different question. */
  id: string;
  /** Defaults to true. */
  required?: boolean;
  /** Show the question only when earlier answers make it relevant. */
  showIf?: (answers: Answers) => boolean;
}

export type Question = QuestionBase &
  (
    | { type: 'short_text'; maxLength?: number }
    /** `multiMessage`: the answer may come in several messages, finished with a Done button. */
    | { type: 'long_text'; maxLength?: number; multiMessage?: boolean }
    | { type: 'number'; min?: number; max?: number; integer?: boolean }
    | { type: 'email' }
    | { type: 'phone' }
    | { type: 'url' }
    /** A calendar date, entered as DD.MM.YYYY or YYYY-MM-DD; stored as YYYY-MM-DD. */
    | { type: 'date' }
    | { type: 'single_choice'; options: readonly string[] }
    /** `other`: adds an "Other" option that asks for text. */
    | { type: 'multiple_choice'; options: readonly string[]; other?: boolean; maxSelected?: number }
    | { type: 'yes_no' }
    | { type: 'scale'; min: number; max: number }
    /** `acceptUrl`: a link may be sent instead of a file. */
    | { type: 'document'; mimeTypes: readonly string[]; maxBytes: number; acceptUrl?: boolean }
    | { type: 'consent' }
  );

export type QuestionType = Question['type'];

export interface Section {
  id: string;
  questions: readonly Question[];
}

export interface FormDefinition {
  /** Also the i18n namespace of the form's texts: `forms.<id>.…`. */
  id: string;
  sections: readonly Section[];
}

/**
 * The i18n keys of a form's texts:
 * - `forms.<form>.title`
 * - `forms.<form>.sections.<section>`
 * - `forms.<form>.questions.<question>.text` (and optional `.hint`, and `.label`, the short name in summaries)
 * - `forms.<form>.questions.<question>.options.<option>` for choices
 * - `forms.<form>.questions.<question>.consent` for the consent text
 */
export const textKeys = {
  title: (form: string) => `forms.${form}.title`,
  section: (form: string, section: string) => `forms.${form}.sections.${section}`,
  question: (form: string, question: string) => `forms.${form}.questions.${question}.text`,
  hint: (form: string, question: string) => `forms.${form}.questions.${question}.hint`,
  label: (form: string, question: string) => `forms.${form}.questions.${question}.label`,
  option: (form: string, question: string, option: string) => `forms.${form}.questions.${question}.options.${option}`,
  consent: (form: string, question: string) => `forms.${form}.questions.${question}.consent`,
};
