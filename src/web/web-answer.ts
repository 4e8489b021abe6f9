import { isRequired } from '../forms/engine/navigation.js';
import { type Rejection, validateInput } from '../forms/engine/validation.js';
import type { AnswerValue, Question } from '../forms/types.js';

/** The longest "Other" text, as in chat. */
const OTHER_MAX_LENGTH = 200;

/**
 * Checks what the page sent for one question. Typed answers go through the chat's
 * own validation (validateInput); choices are checked against the form definition,
 * as the chat's buttons are. `null` skips an optional question, as Skip does in chat.
 * Error keys live under `form.errors.` like the chat's.
 */
export function checkWebAnswer(question: Question, raw: unknown): { value: AnswerValue | null } | Rejection {
  if (raw === null || raw === '') return isRequired(question) ? { error: question.type === 'multiple_choice' ? 'choose_at_least_one' : 'text_expected' } : { value: null };
  switch (question.type) {
    case 'short_text':
    case 'long_text':
    case 'number':
    case 'email':
    case 'phone':
    case 'url':
    case 'date':
      return typeof raw === 'string' ? validateInput(question, { kind: 'text', text: raw }) : { error: 'text_expected' };
    case 'document':
      // Files are sent in chat; the page takes a link where the form accepts one.
      if (typeof raw === 'string') return validateInput(question, { kind: 'text', text: raw });
      return { error: question.acceptUrl ? 'document_or_link_expected' : 'document_expected' };
    case 'single_choice':
      return typeof raw === 'string' && question.options.includes(raw) ? { value: raw } : { error: 'use_buttons' };
    case 'yes_no':
      return typeof raw === 'boolean' ? { value: raw } : { error: 'use_buttons' };
    case 'scale':
      return typeof raw === 'number' && Number.isInteger(raw) && raw >= question.min && raw <= question.max ? { value: raw } : { error: 'use_buttons' };
    case 'consent':
      return raw === true ? { value: true } : { error: 'use_buttons' };
    case 'multiple_choice': {
      if (typeof raw !== 'object' || !Array.isArray((raw as { choices?: unknown }).choices)) return { error: 'use_buttons' };
      const { choices, other } = raw as { choices: unknown[]; other?: unknown };
      if (!choices.every((c) => typeof c === 'string' && question.options.includes(c))) return { error: 'use_buttons' };
      const picked = question.options.filter((o) => choices.includes(o));
      const otherText = typeof other === 'string' ? other.trim() : '';
      if (other !== undefined && other !== null && typeof other !== 'string') return { error: 'use_buttons' };
      if (otherText && !question.other) return { error: 'use_buttons' };
      if (otherText.length > OTHER_MAX_LENGTH) return { error: 'too_long', params: { max: OTHER_MAX_LENGTH, length: otherText.length } };
      const count = picked.length + (otherText ? 1 : 0);
      if (count === 0) return isRequired(question) ? { error: 'choose_at_least_one' } : { value: null };
      if (question.maxSelected && count > question.maxSelected) return { error: 'too_many_selected', params: { max: question.maxSelected } };
      return { value: otherText ? { choices: picked, other: otherText } : { choices: picked } };
    }
  }
}
