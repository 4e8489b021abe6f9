import type { Context } from 'grammy';
import type { Message } from 'grammy/types';
import { escapeHtml, type Translate } from '../../i18n.js';
import { type AnswerValue, type FormDefinition, type Question, textKeys } from '../types.js';
import { choiceOptions, formatAnswer } from './render.js';
import type { Input } from './validation.js';

/** What a message offers as an answer. */
export function toInput(message: Message): Input {
  if (message.text !== undefined) return { kind: 'text', text: message.text };
  if (message.document) {
    return {
      kind: 'document',
      fileId: message.document.file_id,
      fileName: message.document.file_name,
      mimeType: message.document.mime_type,
      size: message.document.file_size,
    };
  }
  if (message.photo) return { kind: 'photo' };
  return { kind: 'other' };
}

/**
 * The value a choice button stands for (its argument: the option's index, or the scale's
 * number); undefined when the button does not fit the question (forged, or from an older form).
 */
export function chosenValue(form: FormDefinition, question: Question, argument: string, t: Translate): AnswerValue | undefined {
  if (question.type === 'scale') {
    const value = Number(argument);
    return Number.isInteger(value) && value >= question.min && value <= question.max ? value : undefined;
  }
  if (question.type === 'single_choice' || question.type === 'yes_no') return choiceOptions(form, question, t)[Number(argument)]?.[0];
  return undefined;
}

/** The option a tick button stands for ("other" for the question's own-text choice); undefined when it does not fit. */
export function tickedOption(question: Question, argument: string): string | undefined {
  if (question.type !== 'multiple_choice') return undefined;
  return argument === 'other' && question.other ? 'other' : question.options[Number(argument)];
}

/** The choices a stored multiple-choice answer ticks ("other" for its own text). */
export function storedSelection(question: Question, current: AnswerValue | null | undefined): Set<string> {
  return new Set<string>(
    question.type === 'multiple_choice' && current && typeof current === 'object' && 'choices' in current
      ? [...current.choices, ...(current.other ? ['other'] : [])]
      : [],
  );
}

/** The message a question was put in: enough to edit it. */
export type SentMessage = Pick<Message, 'chat' | 'message_id'>;

/**
 * After a choice, the question message shows the answer and loses its buttons. That is
 * the message the button was on (a run that began with the press did not send it).
 */
export async function markAnswered(ctx: Context, sent: SentMessage | undefined, form: FormDefinition, question: Question, value: AnswerValue, t: Translate) {
  const message = ctx.callbackQuery?.message ?? sent;
  if (!message) return;
  const text = `<b>${escapeHtml(t(textKeys.question(form.id, question.id)))}</b>\n✓ ${formatAnswer(form, question, value, t, 300)}`;
  await ctx.api.editMessageText(message.chat.id, message.message_id, text).catch(() => undefined);
}
