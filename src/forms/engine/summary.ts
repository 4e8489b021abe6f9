import type { Translate } from '../../i18n.js';
import type { FormDefinition } from '../types.js';
import type { StoredAnswers } from './navigation.js';
import { chunkMessages } from '../../message-chunks.js';
import { answerLines } from './render.js';

/** A response as messages people can read: a header and every visible answer in full, split to fit Telegram. */
export function summaryMessages(form: FormDefinition, answers: StoredAnswers, t: Translate, header: string): string[] {
  return chunkMessages([header, ...answerLines(form, answers, t).map((l) => l.line)], { separator: '\n\n' });
}
