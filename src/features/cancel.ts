import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { dropDraftsOf } from '../db/action-plans.js';
import { discardWaitingDrafts } from '../db/broadcasts.js';
import { forgetLogStep } from '../db/mentoring-log-steps.js';
import { findFormSession, forgetFormSession, loadResponse } from '../db/form-responses.js';
import { programmeOf } from '../db/programmes.js';
import type { FormBehaviours } from '../forms/engine/form-conversation.js';
import { discardDraft, loadDraft } from '../sessions/draft.js';

/** /cancel leaves whatever the person is doing; answers already given stay stored, and they are told how to come back. */
export function cancelFeature(behaviours: FormBehaviours): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command('cancel', async (ctx) => {
    const { db } = ctx.deps;
    const session = await findFormSession(db, ctx.person.id);
    const programme = await programmeOf(ctx.deps);
    // Dialogues that keep their step in the database rather than in a conversation.
    const schedulingDraft = await loadDraft(db, programme.id, ctx.person.id);
    if (schedulingDraft) await discardDraft(db, programme.id, ctx.person.id);
    const broadcastDraft = await discardWaitingDrafts(db, ctx.person.id);
    const planRowDraft = await dropDraftsOf(db, ctx.person.id);
    const logStep = await forgetLogStep(db, ctx.person.id);
    const active =
      Object.keys(ctx.conversation.active()).length > 0 || schedulingDraft !== undefined || broadcastDraft || planRowDraft > 0 || logStep;
    if (Object.keys(ctx.conversation.active()).length > 0) await ctx.conversation.exitAll();
    if (session) {
      await forgetFormSession(db, ctx.person.id);
      const response = await loadResponse(db, session.responseId);
      const hint = response ? behaviours[response.formId]?.resumeHintKey : undefined;
      await ctx.reply([ctx.t('cancel.form_paused'), hint ? ctx.t(hint) : ''].filter(Boolean).join('\n'));
      return;
    }
    // A broadcast stopped before it went out: say that nothing was sent, not just "stopped".
    if (broadcastDraft) return void (await ctx.reply(ctx.t('cancel.broadcast_dropped')));
    await ctx.reply(ctx.t(active ? 'cancel.done' : 'cancel.nothing'));
  });
  return feature;
}
