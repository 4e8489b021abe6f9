import { InlineKeyboard } from 'grammy';
import type { BotContext } from '../../context.js';
import { markAsked, rememberFormSession, type ResponseSnapshot, saveAnswerAndMarkAsked } from '../../db/form-responses.js';
import type { FormSessionState } from '../../db/person-state.js';
import { FORMS, isFormId } from '../index.js';
import type { AnswerValue, FormDefinition, Question } from '../types.js';
import { chosenValue, markAnswered, storedSelection, tickedOption, toInput } from './answer-input.js';
import type { FormBehaviours } from './form-conversation.js';
import { findQuestion, firstUnanswered, isRequired, type StoredAnswers } from './navigation.js';
import { formButton, parseFormButton, renderQuestion, selectionShown } from './render.js';
import { maxLengthOf, validateInput } from './validation.js';

/**
 * The everyday form step, taken without the conversations plugin: an acceptable answer to
 * the question last put to the person (typed, or a choice, skip or consent button) followed
 * by the next question; a tick on a multiple-choice question; a part of a first long answer
 * written over several messages (stored as it comes, see FormSession.gathering) and its Done.
 * It does what the form conversation (form-conversation.ts) does for these, in the same order
 * and with the same single write, without building, storing and replaying a conversation
 * for an update that needs none: that is most of a form's updates, and was most of their
 * cost (bench/form-throughput.ts).
 *
 * Everything else goes to the conversation, untouched: a refused answer, a change to a long
 * answer (kept apart until Done), "Other", Back, Keep, the review and what comes after the
 * last question, a locked form, a button of another question. So does an update this
 * function cannot read with certainty. It returns false, having done nothing, for those.
 */
export async function takeDirectStep(ctx: BotContext, session: FormSessionState, behaviours: FormBehaviours): Promise<boolean> {
  const response = session.response;
  // A long answer carried over from another release is the conversation's to handle.
  if (!response || !isFormId(response.formId) || ctx.prefetched.outdatedConversation !== undefined) return false;
  const form = FORMS[response.formId];
  if (behaviours[form.id]?.lockedWhenSubmitted && response.status === 'submitted') return false;
  // Opened from the review (an answer leads back there) or at the review itself: the conversation's.
  if (!session.askedQuestionId || session.returnToReview) return false;
  const question = findQuestion(form, session.askedQuestionId)?.question;
  if (!question) return false;
  const sectionId = session.sectionId ?? undefined;
  const options = { sectionId, returnToReview: false as const, consentText: session.consentText };

  const step = readStep(ctx, form, question, response.answers[question.id], textBeingWritten(session));
  if (!step) return false;
  const { deps, person } = ctx;
  const shown = question.id in response.answers ? { value: response.answers[question.id] ?? null } : undefined;
  const answer = (value: AnswerValue | null) => ({ responseId: response.id, questionId: question.id, value, answeredById: person.id, at: deps.clock.now() });

  if (step.kind === 'part') {
    // Stored at once, with the note that more may follow; the question stays the one asked.
    const asked = { questionId: question.id, returnToReview: false };
    await saveAnswerAndMarkAsked(deps.db, answer(step.text), shown, { personId: person.id, asked, gathering: true });
    const keyboard = new InlineKeyboard().text(ctx.t('form.buttons.done'), formButton('done', question.id));
    await ctx.reply(ctx.t('form.long_text_stored', { length: step.text.length, max: maxLengthOf(question) }), { reply_markup: keyboard });
    return true;
  }

  if (step.kind === 'tick') {
    await ctx.answerCallbackQuery();
    const { keyboard } = renderQuestion(form, question, response.answers, ctx.t, { ...options, selected: step.selected });
    await ctx.editMessageReplyMarkup({ reply_markup: keyboard }).catch(() => undefined);
    return true;
  }

  const answers = { ...response.answers, [question.id]: step.value };
  const next = firstUnanswered(form, answers, sectionId);
  if (!next) return false; // the review or the section's menu comes next

  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery();
    if (step.confirmed) await ctx.reply(ctx.t('form.long_text_saved', { length: String(step.value).length }));
    else if (step.value !== null) await markAnswered(ctx, undefined, form, question, step.value, ctx.t);
  }
  // The answer and the note of the question asked next, in one transaction, before it is sent.
  await saveAnswerAndMarkAsked(deps.db, answer(step.value), shown, { personId: person.id, asked: { questionId: next.id, returnToReview: false } });
  await putQuestion(ctx, form, next, answers, options, response.id);
  return true;
}

/**
 * Opens a form at its first unanswered question, as the conversation would (enter-form.ts),
 * with the response as just read: notes the form and the question in one write, then asks
 * it. False, having done nothing, when the conversation must open it: nothing is left to
 * answer (the review, a section's menu), or it was submitted.
 */
export async function askFirstQuestion(ctx: BotContext, response: ResponseSnapshot, consentText: string | null, sectionId?: string): Promise<boolean> {
  if (!isFormId(response.formId) || response.status === 'submitted') return false;
  const form = FORMS[response.formId];
  const question = firstUnanswered(form, response.answers, sectionId);
  if (!question) return false;
  await rememberFormSession(ctx.deps.db, ctx.person.id, response.id, sectionId, { questionId: question.id, returnToReview: false });
  await putQuestion(ctx, form, question, response.answers, { sectionId, returnToReview: false, consentText }, response.id);
  return true;
}

/** Sends a question noted as asked; if it cannot be sent, the note is taken back. */
async function putQuestion(
  ctx: BotContext,
  form: FormDefinition,
  question: Question,
  answers: StoredAnswers,
  options: { sectionId?: string; returnToReview: false; consentText: string | null },
  responseId: number,
): Promise<void> {
  const { text, keyboard, before } = renderQuestion(form, question, answers, ctx.t, { ...options, selected: storedSelection(question, answers[question.id]) });
  try {
    for (const part of before) await ctx.reply(part);
    await ctx.reply(text, { reply_markup: keyboard });
  } catch (error) {
    // The person never saw it: their next message must not be taken as its answer.
    await markAsked(ctx.deps.db, ctx.person.id, responseId, null);
    throw error;
  }
}

type DirectStep =
  /** `confirmed`: Done on a long answer written over several messages. */
  | { kind: 'answer'; value: AnswerValue | null; confirmed?: boolean }
  | { kind: 'tick'; selected: Set<string> }
  /** A long answer over several messages so far, with the part just sent. */
  | { kind: 'part'; text: string };

/** The stored answer to the asked question while it is a long answer still being written (FormSession.gathering). */
export function textBeingWritten(session: FormSessionState): string | undefined {
  const text = session.askedQuestionId ? session.response?.answers[session.askedQuestionId] : undefined;
  return session.gathering && typeof text === 'string' ? text : undefined;
}

/**
 * What the update does to the question, when it is one of the steps taken here. `current` is
 * the stored answer; `written`, the same while it is a long answer still being written.
 */
function readStep(ctx: BotContext, form: FormDefinition, question: Question, current: AnswerValue | null | undefined, written: string | undefined): DirectStep | undefined {
  if (ctx.message) {
    if (question.type === 'long_text' && question.multiMessage) {
      // A change to an answer given before is kept apart until Done: the conversation's.
      const text = ctx.message.text?.trim();
      if (text === undefined || (written === undefined && current !== undefined && current !== null)) return undefined;
      const checked = validateInput(question, { kind: 'text', text: written === undefined ? text : `${written}\n\n${text}` });
      return 'error' in checked ? undefined : { kind: 'part', text: checked.value as string };
    }
    const checked = validateInput(question, toInput(ctx.message));
    return 'error' in checked ? undefined : { kind: 'answer', value: checked.value };
  }
  const button = parseFormButton(ctx.callbackQuery?.data);
  if (!button || button.questionId !== question.id) return undefined;
  switch (button.action) {
    case 'choose': {
      const value = chosenValue(form, question, button.argument, ctx.t);
      return value === undefined ? undefined : { kind: 'answer', value };
    }
    case 'skip':
      return isRequired(question) ? undefined : { kind: 'answer', value: null };
    case 'agree':
      return question.type === 'consent' ? { kind: 'answer', value: true } : undefined;
    case 'toggle':
    case 'done': {
      if (button.action === 'done' && question.type === 'long_text') {
        return written !== undefined ? { kind: 'answer', value: written, confirmed: true } : undefined;
      }
      if (question.type !== 'multiple_choice') return undefined;
      const message = ctx.callbackQuery?.message;
      // The ticks as the person's message shows them.
      const selected = selectionShown(question, message && 'reply_markup' in message ? message.reply_markup : undefined);
      if (!selected) return undefined;
      if (button.action === 'done') {
        // None ticked is refused, and "Other" asks for its text: both are the conversation's.
        if (selected.size === 0 || selected.has('other')) return undefined;
        return { kind: 'answer', value: { choices: question.options.filter((o) => selected.has(o)) } };
      }
      const option = tickedOption(question, button.argument);
      if (!option) return undefined;
      if (selected.has(option)) selected.delete(option);
      else if (question.maxSelected && selected.size >= question.maxSelected) return undefined; // told by the conversation
      else selected.add(option);
      return { kind: 'tick', selected };
    }
    default:
      return undefined;
  }
}
