import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { findFormSession } from '../db/form-responses.js';
import { enterForm } from '../forms/engine/enter-form.js';
import { FORM_CONVERSATION } from '../forms/engine/form-conversation.js';
import { isFormButton } from '../forms/engine/render.js';

/**
 * Someone answers a form whose conversation state is gone (dropped after a new
 * release changed the forms): take them back into the form at the first unanswered
 * question, with their message as the answer to it.
 */
export const formResumeFeature = new Composer<BotContext>();

formResumeFeature
  .filter((ctx) => (ctx.message !== undefined && !ctx.message.text?.startsWith('/')) || isFormButton(ctx.callbackQuery?.data))
  .use(async (ctx, next) => {
    if (ctx.conversation.active(FORM_CONVERSATION)) return next();
    const session = await findFormSession(ctx.deps.db, ctx.person.id);
    if (!session) return next();
    await enterForm(ctx, { responseId: session.responseId, sectionId: session.sectionId ?? undefined, resumeWithInput: true });
  });
