import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.js';
import { recordAudit } from '../db/audit.js';
import {
  audiencePeople,
  audiencePersonIds,
  type Broadcast,
  confirmBroadcast,
  discardDraft,
  draftAwaitingText,
  findBroadcast,
  setDraftText,
  startDraft,
} from '../db/broadcasts.js';
import { programmeOf } from '../db/programmes.js';
import { type Audience, AUDIENCES, isAudience } from '../domain/audiences.js';
import { leaveOtherDialogues } from '../forms/engine/leave-form.js';
import { escapeHtml } from '../i18n.js';
import { coordinatorOnly } from '../middleware/coordinator-only.js';
import { nudgeOutbox } from '../outbox/outbox.js';

/**
 * /broadcast: a coordinator picks an audience, sends the text, sees a preview with
 * the number of recipients and confirms. The draft lives in the database (a
 * Broadcast row without text), so a restart between the steps loses nothing; the
 * messages go through the outbox, which sends each exactly once.
 */
export const broadcastFeature = new Composer<BotContext>();

/** Leaves room for the preview's header in one Telegram message. */
export const MAX_BROADCAST_LENGTH = 3500;
/** A draft older than this no longer takes the coordinator's next message as its text. */
const DRAFT_TTL_MS = 60 * 60_000;

const audienceLabel = (ctx: BotContext, audience: Audience) => ctx.t(`broadcast.audiences.${audience}`);

async function programmeId(ctx: BotContext): Promise<number> {
  return (await programmeOf(ctx.deps)).id;
}

broadcastFeature.command('broadcast', coordinatorOnly, async (ctx) => {
  const { db } = ctx.deps;
  const programme = await programmeId(ctx);
  const keyboard = new InlineKeyboard();
  for (const audience of AUDIENCES) {
    const count = (await audiencePersonIds(db, programme, audience)).length;
    keyboard.text(ctx.t('broadcast.audience_button', { audience: audienceLabel(ctx, audience), count }), `bc|a|${audience}`).row();
  }
  await ctx.reply(`${ctx.t('broadcast.choose_audience')}\n\n${ctx.t('broadcast.audience_help')}`, { reply_markup: keyboard });
});

/** Edits the message the button was on; if it is gone, says it in a new one. */
async function answerOnMessage(ctx: BotContext, text: string, keyboard?: InlineKeyboard): Promise<void> {
  try {
    await ctx.editMessageText(text, keyboard ? { reply_markup: keyboard } : {});
  } catch {
    await ctx.reply(text, keyboard ? { reply_markup: keyboard } : {});
  }
}

async function chooseAudience(ctx: BotContext, audience: Audience): Promise<void> {
  const { db, clock } = ctx.deps;
  const programme = await programmeId(ctx);
  const count = (await audiencePersonIds(db, programme, audience)).length;
  if (count === 0) {
    await ctx.answerCallbackQuery({ text: ctx.t('broadcast.nobody'), show_alert: true });
    return;
  }
  await ctx.answerCallbackQuery();
  // The next message is the broadcast's text, not an answer to a form the coordinator was in.
  await leaveOtherDialogues(ctx);
  const draft = await startDraft(db, { programmeId: programme, audience, createdById: ctx.person.id, at: clock.now() });
  await answerOnMessage(
    ctx,
    ctx.t('broadcast.ask_text', { audience: audienceLabel(ctx, audience), count, max: MAX_BROADCAST_LENGTH }),
    new InlineKeyboard().text(ctx.t('broadcast.cancel_button'), `bc|no|${draft.id}`),
  );
}

/** The coordinator's own draft, or an answer saying why the button no longer works. */
async function ownDraft(ctx: BotContext, id: number): Promise<Broadcast | undefined> {
  const broadcast = await findBroadcast(ctx.deps.db, id);
  if (!broadcast || broadcast.createdById !== ctx.person.id || !isAudience(broadcast.audience)) {
    await ctx.answerCallbackQuery({ text: ctx.t('broadcast.not_found'), show_alert: true });
    return undefined;
  }
  if (broadcast.confirmedAt) {
    await ctx.answerCallbackQuery({ text: ctx.t('broadcast.already_sent'), show_alert: true });
    return undefined;
  }
  return broadcast;
}

async function confirm(ctx: BotContext, id: number): Promise<void> {
  const { db, clock } = ctx.deps;
  const broadcast = await ownDraft(ctx, id);
  if (!broadcast) return;
  if (!broadcast.text) {
    await ctx.answerCallbackQuery({ text: ctx.t('broadcast.not_found'), show_alert: true });
    return;
  }
  const audience = broadcast.audience as Audience;
  // The audience as it is now: people may have joined or left since the preview.
  const recipients = await audiencePeople(db, broadcast.programmeId, audience);
  if (recipients.length === 0) {
    await ctx.answerCallbackQuery({ text: ctx.t('broadcast.nobody'), show_alert: true });
    return;
  }
  const queued = await confirmBroadcast(db, broadcast, recipients, escapeHtml(broadcast.text), clock.now());
  if (!queued) {
    await ctx.answerCallbackQuery({ text: ctx.t('broadcast.already_sent'), show_alert: true });
    return;
  }
  nudgeOutbox();
  await recordAudit(db, {
    actorId: ctx.person.id,
    action: 'broadcast.confirm',
    details: { broadcastId: broadcast.id, audience, recipients: recipients.length, blocked: queued.blocked },
    at: clock.now(),
  });
  await ctx.answerCallbackQuery();
  try {
    await ctx.editMessageReplyMarkup({ reply_markup: undefined });
  } catch {
    // The preview may be gone; the answer below says what happened.
  }
  const lines = [ctx.t('broadcast.sending', { count: queued.queued, audience: audienceLabel(ctx, audience) })];
  if (queued.blocked > 0) lines.push(ctx.t('broadcast.skipped_blocked', { blocked: queued.blocked }));
  lines.push(ctx.t('broadcast.report_later'));
  await ctx.reply(lines.join('\n'));
}

async function cancel(ctx: BotContext, id: number): Promise<void> {
  if (!(await ownDraft(ctx, id))) return;
  if (!(await discardDraft(ctx.deps.db, id))) {
    await ctx.answerCallbackQuery({ text: ctx.t('broadcast.already_sent'), show_alert: true });
    return;
  }
  await ctx.answerCallbackQuery();
  await answerOnMessage(ctx, ctx.t('broadcast.cancelled'));
}

broadcastFeature.callbackQuery(/^bc\|/, coordinatorOnly, async (ctx) => {
  const [, action, argument = ''] = ctx.callbackQuery.data.split('|');
  if (action === 'a' && isAudience(argument)) return chooseAudience(ctx, argument);
  const id = /^\d{1,9}$/.test(argument) ? Number(argument) : undefined;
  if (action === 'ok' && id !== undefined) return confirm(ctx, id);
  if (action === 'no' && id !== undefined) return cancel(ctx, id);
  await ctx.answerCallbackQuery({ text: ctx.t('errors.stale_button'), show_alert: true });
});

/** While a coordinator's draft waits for its text, their next message (not a command) is the text. */
broadcastFeature
  .on('message')
  .filter((ctx) => ctx.isCoordinator && !ctx.message.text?.startsWith('/'))
  .use(async (ctx, next) => {
    const { db, clock } = ctx.deps;
    const draft = await draftAwaitingText(db, ctx.person.id, new Date(clock.now().getTime() - DRAFT_TTL_MS));
    if (!draft || !isAudience(draft.audience)) return next();
    const text = ctx.message.text?.trim();
    if (!text) {
      await ctx.reply(ctx.t('broadcast.text_only'));
      return;
    }
    if (text.length > MAX_BROADCAST_LENGTH) {
      await ctx.reply(ctx.t('broadcast.too_long', { length: text.length, max: MAX_BROADCAST_LENGTH }));
      return;
    }
    if (!(await setDraftText(db, draft.id, text))) return next();
    const recipients = await audiencePeople(db, draft.programmeId, draft.audience);
    const blocked = recipients.filter((p) => p.blockedAt).length;
    const header = [ctx.t('broadcast.preview', { audience: audienceLabel(ctx, draft.audience), count: recipients.length })];
    if (blocked > 0) header.push(ctx.t('broadcast.preview_blocked', { blocked }));
    await ctx.reply(`${header.join('\n')}\n\n${escapeHtml(text)}`, {
      reply_markup: new InlineKeyboard()
        .text(ctx.t('broadcast.confirm_button', { count: recipients.length - blocked }), `bc|ok|${draft.id}`)
        .text(ctx.t('broadcast.cancel_button'), `bc|no|${draft.id}`),
    });
  });
