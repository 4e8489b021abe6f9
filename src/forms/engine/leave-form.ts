import type { BotContext } from '../../context.js';
import { findFormSession, forgetFormSession } from '../../db/form-responses.js';

/**
 * Starting another dialogue that waits for the person's words (scheduling a session,
 * writing a broadcast) leaves any other one, so that the next message is not taken
 * as a form's answer. A form's answers stay saved; the person is told so.
 */
export async function leaveOtherDialogues(ctx: BotContext): Promise<void> {
  if (Object.keys(ctx.conversation.active()).length > 0) await ctx.conversation.exitAll();
  const form = await findFormSession(ctx.deps.db, ctx.person.id);
  if (!form) return;
  await forgetFormSession(ctx.deps.db, ctx.person.id);
  await ctx.reply(ctx.t('form.paused_for_other'));
}
