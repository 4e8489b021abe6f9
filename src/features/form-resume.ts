import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { askedIn, findFormSession, loadResponse } from '../db/form-responses.js';
import type { FormSessionState } from '../db/person-state.js';
import { takeDirectStep, textBeingWritten } from '../forms/engine/direct-step.js';
import { FORM_CONVERSATION, type FormBehaviours, type FormRequest } from '../forms/engine/form-conversation.js';
import { findQuestion } from '../forms/engine/navigation.js';
import { isFormButton, parseFormButton } from '../forms/engine/render.js';
import { FORMS, isFormId } from '../forms/index.js';
import { carriedChange } from '../forms/engine/carried-change.js';

/**
 * Someone in a form answers the question last put to them: the form conversation
 * ends after each question it shows (see form-conversation.ts), and its state may
 * also be gone after a restart or a release. Enter the form again at that question,
 * with the message or button press as the answer to it. The everyday steps are taken
 * without entering it (direct-step.ts).
 */
export function formResumeFeature(behaviours: FormBehaviours) {
  const feature = new Composer<BotContext>();
  feature
    .filter((ctx) => (ctx.message !== undefined && !ctx.message.text?.startsWith('/')) || isFormButton(ctx.callbackQuery?.data))
    .use(async (ctx, next) => {
      // Another conversation waiting for this person's words (a coordinator's own text) goes first.
      if (Object.keys(ctx.conversation.active()).length > 0) return next();
      // Read with the person at the start of this update, when it was (person-context.ts).
      const prefetched = ctx.prefetched.formSession;
      const session = prefetched !== undefined ? prefetched : await findFormSession(ctx.deps.db, ctx.person.id);
      if (!session) {
        if (ctx.callbackQuery) return closedFormButton(ctx);
        return next();
      }
      // Read with the person (with the response): the step needs nothing more to be taken.
      if (prefetched && (await takeDirectStep(ctx, prefetched, behaviours))) return;
      const carried = (await carriedOver(ctx, session)) ?? beingWritten(prefetched);
      // The session is there already: enter the conversation without writing it again.
      await ctx.conversation.enter(FORM_CONVERSATION, {
        responseId: session.responseId,
        personId: ctx.person.id,
        sectionId: session.sectionId ?? undefined,
        resume: { asked: askedIn(session), ...(carried?.text !== undefined ? { carried: { questionId: carried.questionId, text: carried.text } } : {}) },
        // The response as read with the person, so that the form does not read it again.
        ...(prefetched?.response ? { known: { response: prefetched.response, consentText: prefetched.consentText, locale: ctx.locale } } : {}),
      } satisfies FormRequest);
    });
  return feature;
}

/**
 * The bot was updated while the person was on this question: what they had written of a long
 * answer is carried over (see carried-change.ts), and they are told, either way.
 */
async function carriedOver(ctx: BotContext, session: { responseId: number; askedQuestionId: string | null; response?: { formId: string } }) {
  const outdated = ctx.prefetched.outdatedConversation;
  if (outdated === undefined) return undefined;
  delete ctx.prefetched.outdatedConversation;
  const formId = session.response?.formId ?? (await loadResponse(ctx.deps.db, session.responseId))?.formId;
  const form = formId && isFormId(formId) ? FORMS[formId] : undefined;
  const carried = form ? carriedChange(outdated, form, session.responseId, session.askedQuestionId) : undefined;
  if (!carried) return undefined;
  if (carried.text !== undefined) {
    await ctx.reply(ctx.t('form.updated_meanwhile_kept', { length: carried.text.length }));
    return carried;
  }
  // What else lived only in the old run: the "Other" text of a choice being made, a too-long text
  // kept for "Keep the first N characters". Ticks are on the question's message and stay.
  const lost =
    (carried.questionType === 'multiple_choice' && ctx.message?.text !== undefined) || parseFormButton(ctx.callbackQuery?.data)?.action === 'trim';
  if (lost) await ctx.reply(ctx.t('form.updated_meanwhile'));
  return carried;
}

/** A long answer being written over several messages (direct-step.ts): the conversation goes on from it. */
function beingWritten(session: FormSessionState | null | undefined): { questionId: string; text: string } | undefined {
  if (!session?.askedQuestionId) return undefined;
  const text = textBeingWritten(session);
  return text !== undefined ? { questionId: session.askedQuestionId, text } : undefined;
}

/** A button of a form that is no longer open (sent, stopped): say where the form can be found now. */
async function closedFormButton(ctx: BotContext): Promise<void> {
  const questionId = parseFormButton(ctx.callbackQuery?.data)?.questionId;
  // Question ids tell the form apart; the review's own buttons ('review') do not.
  const forms = Object.values(FORMS).filter((form) => questionId !== undefined && findQuestion(form, questionId));
  const where = forms.length === 1 ? ctx.t(`help.continue.after_submit.${forms[0]!.id}`) : ctx.t('form.closed_button_help');
  await ctx.answerCallbackQuery({ text: ctx.t('form.closed_button', { where, interpolation: { escapeValue: false } }), show_alert: true });
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
}
