import { createRequire } from 'node:module';
import { z } from 'zod';
import { parseLocalDate } from '../../domain/time-zone.js';
import type { AnswerValue, Question } from '../types.js';

const require = createRequire(import.meta.url);
let phoneNumberLibrary: typeof import('libphonenumber-js/max') | undefined;

/** The full phone-number metadata takes some 4 MiB: loaded with the first phone number, not at start. */
function phoneNumbers(): typeof import('libphonenumber-js/max') {
  phoneNumberLibrary ??= require('libphonenumber-js/max') as typeof import('libphonenumber-js/max');
  return phoneNumberLibrary;
}

/** What the person sent in answer to a question (a button press is handled by the conversation). */
export type Input =
  | { kind: 'text'; text: string }
  | { kind: 'document'; fileId: string; fileName?: string; mimeType?: string; size?: number }
  | { kind: 'photo' }
  | { kind: 'other' };

export type Rejection = { error: string; params?: Record<string, string | number> };
export type Validation = { value: AnswerValue } | Rejection;

export const DEFAULT_SHORT_TEXT_MAX = 200;
export const DEFAULT_LONG_TEXT_MAX = 4000;

const email = z.email();

export function maxLengthOf(question: Question): number | undefined {
  if (question.type === 'short_text') return question.maxLength ?? DEFAULT_SHORT_TEXT_MAX;
  if (question.type === 'long_text') return question.maxLength ?? DEFAULT_LONG_TEXT_MAX;
  return undefined;
}

/** Checks typed or uploaded input against a question; error keys live under `form.errors.` in the locales. */
export function validateInput(question: Question, input: Input): Validation {
  if (question.type === 'document') return validateDocument(question, input);
  if (input.kind !== 'text') {
    return question.type === 'single_choice' || question.type === 'multiple_choice' || question.type === 'yes_no' || question.type === 'scale' || question.type === 'consent'
      ? { error: 'use_buttons' }
      : { error: 'text_expected' };
  }
  const text = input.text.trim();
  if (text.length === 0) return { error: 'text_expected' };

  switch (question.type) {
    case 'short_text':
    case 'long_text': {
      const max = maxLengthOf(question)!;
      return text.length > max ? { error: 'too_long', params: { max, length: text.length } } : { value: text };
    }
    case 'number': {
      const normalized = text.replace(/[\s\u00a0']/g, '').replace(',', '.');
      if (!/^-?\d+(\.\d+)?$/.test(normalized)) return { error: 'number_expected' };
      const value = Number(normalized);
      if (question.integer && !Number.isInteger(value)) return { error: 'integer_expected' };
      const { min, max } = question;
      if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
        if (min !== undefined && max !== undefined) return { error: 'number_range', params: { min, max } };
        return min !== undefined ? { error: 'number_min', params: { min } } : { error: 'number_max', params: { max: max! } };
      }
      return { value };
    }
    case 'email':
      return email.safeParse(text).success && text.length <= 254 ? { value: text } : { error: 'email_invalid' };
    case 'phone':
      return phoneNumbers().isValidPhoneNumber(text) ? { value: text } : { error: 'phone_invalid' };
    case 'url':
      return parseUrl(text) ? { value: parseUrl(text)! } : { error: 'url_invalid' };
    case 'date': {
      const date = parseLocalDate(text);
      return date ? { value: date } : { error: 'date_invalid' };
    }
    default:
      return { error: 'use_buttons' };
  }
}

function validateDocument(question: Extract<Question, { type: 'document' }>, input: Input): Validation {
  if (input.kind === 'document') {
    if (input.mimeType && !question.mimeTypes.includes(input.mimeType)) return { error: 'document_type' };
    if (!input.mimeType) return { error: 'document_type' };
    if (input.size !== undefined && input.size > question.maxBytes) {
      return { error: 'document_too_large', params: { max: Math.round(question.maxBytes / (1024 * 1024)) } };
    }
    return { value: { kind: 'file', fileId: input.fileId, fileName: input.fileName, mimeType: input.mimeType, size: input.size } };
  }
  if (input.kind === 'text' && question.acceptUrl) {
    const url = parseUrl(input.text.trim());
    return url ? { value: { kind: 'url', url } } : { error: 'document_or_link_expected' };
  }
  // Phones send a picked file as a photo unless "File" is chosen: say how to attach it.
  if (input.kind === 'photo') return { error: question.acceptUrl ? 'photo_not_document_or_link' : 'photo_not_document' };
  return { error: question.acceptUrl ? 'document_or_link_expected' : 'document_expected' };
}

function parseUrl(text: string): string | undefined {
  const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  try {
    const url = new URL(candidate);
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname.includes('.') || /\s/.test(text)) return undefined;
    return url.toString();
  } catch {
    return undefined;
  }
}
