import type { BotContext } from '../../context.js';
import { rememberFormSession } from '../../db/form-responses.js';
import { FORM_CONVERSATION, type FormRequest } from './form-conversation.js';

/**
 * Opens a form for the person writing: any form they were in is left (its answers
 * stay stored), and the bot remembers which form they are in so that it can bring
 * them back to it after a restart.
 */
export async function enterForm(ctx: BotContext, request: Omit<FormRequest, 'personId'>): Promise<void> {
  if (ctx.conversation.active(FORM_CONVERSATION)) await ctx.conversation.exit(FORM_CONVERSATION);
  await rememberFormSession(ctx.deps.db, ctx.person.id, request.responseId, request.sectionId);
  await ctx.conversation.enter(FORM_CONVERSATION, { ...request, personId: ctx.person.id } satisfies FormRequest);
}
