import type { BotContext } from '../../context.js';
import { forgetFormSession } from '../../db/form-responses.js';
import { FORM_CONVERSATION } from './form-conversation.js';

/** Leaves the form the person is in, if any; its answers stay saved. True when there was one. */
export async function leaveForm(ctx: BotContext): Promise<boolean> {
  if (ctx.conversation.active(FORM_CONVERSATION)) await ctx.conversation.exit(FORM_CONVERSATION);
  return forgetFormSession(ctx.deps.db, ctx.person.id);
}

/**
 * Starting another dialogue that waits for the person's words (scheduling a session,
 * writing a broadcast) leaves any other one, so that the next message is not taken
 * as a form's answer. A form's answers stay saved; the person is told so.
 */
export async function leaveOtherDialogues(ctx: BotContext): Promise<void> {
  if (Object.keys(ctx.conversation.active()).length > 0) await ctx.conversation.exitAll();
  if (await leaveForm(ctx)) await ctx.reply(ctx.t('form.paused_for_other'));
}
