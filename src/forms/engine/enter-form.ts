import type { BotContext } from '../../context.js';
import { rememberFormSession } from '../../db/form-responses.js';
import { askFirstQuestion } from './direct-step.js';
import { FORM_CONVERSATION, type FormRequest } from './form-conversation.js';

/**
 * Opens a form for the person writing: any form they were in is left (its answers
 * stay stored), and the bot remembers which form they are in so that it can bring
 * them back to it after a restart. With the response just read (`known`), a form opened at
 * its first unanswered question needs no conversation (direct-step.ts, which notes the form itself).
 */
export async function enterForm(ctx: BotContext, request: Omit<FormRequest, 'personId'>): Promise<void> {
  if (ctx.conversation.active(FORM_CONVERSATION)) await ctx.conversation.exit(FORM_CONVERSATION);
  const { known } = request;
  const opened = !request.start && known?.response.id === request.responseId && (await askFirstQuestion(ctx, known.response, known.consentText, request.sectionId));
  if (opened) return;
  await rememberFormSession(ctx.deps.db, ctx.person.id, request.responseId, request.sectionId);
  await ctx.conversation.enter(FORM_CONVERSATION, { ...request, personId: ctx.person.id } satisfies FormRequest);
}
