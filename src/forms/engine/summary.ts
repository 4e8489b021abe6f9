import type { Translate } from '../../i18n.js';
import type { FormDefinition } from '../types.js';
import type { StoredAnswers } from './navigation.js';
import { chunkMessages } from '../../message-chunks.js';
import { answerLines } from './render.js';

/**
 * A response as messages people can read: a header and every visible answer, split to fit Telegram.
 * Long answers are shortened unless `full` (a coordinator reading an application needs all of it).
 */
export function summaryMessages(form: FormDefinition, answers: StoredAnswers, t: Translate, header: string, full = false): string[] {
  const lines = answerLines(form, answers, t, undefined, full ? Infinity : 200).map((l) => l.line);
  return chunkMessages([header, ...lines], { separator: '\n\n' });
}
