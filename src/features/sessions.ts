import { Composer, InlineKeyboard } from 'grammy';
import { DateTime } from 'luxon';
import type { BotContext } from '../context.js';
import { recordAudit } from '../db/audit.js';
import type { Programme } from '../db/database.js';
import { isAcceptedMentor } from '../db/mentors.js';
import { programmeOf } from '../db/programmes.js';
import {
  endOf,
  findSession,
  listUpcomingSessions,
  logHeldSession,
  markNotHeld,
  recordRsvp,
  type Session,
  type SessionWithRsvps,
} from '../db/sessions.js';
import { formatLocalClock, parseLocalDateTime } from '../domain/time-zone.js';
import { leaveOtherDialogues } from '../forms/engine/leave-form.js';
import { escapeHtml } from '../i18n.js';
import { coordinatorOnly } from '../middleware/coordinator-only.js';
import { enqueue } from '../outbox/outbox.js';
import { data, parseSessionButton, SESSION_CALLBACK, type SessionButton } from '../sessions/callback-data.js';
import { discardDraft, DRAFT_TTL_MS, loadDraft, type SessionDraft, startDraft, updateDraft } from '../sessions/draft.js';
import {
  formatOffset,
  localDate,
  MAX_REMINDER_OFFSET,
  MAX_REMINDER_OFFSETS,
  proposalNotice,
  reminderOffsets,
  rsvpButtons,
  rsvpNotice,
  sessionParams,
} from '../sessions/notices.js';
import {
  activePairEntries,
  canManage,
  isParticipant,
  loadSessionParty,
  type PairEntry,
  pairIdsOfPerson,
  personName,
  recipientsOf,
  type SessionParty,
} from '../sessions/participants.js';
import { cancelAndNotify, changeReminderOffsets, rescheduleSession, scheduleSession } from '../sessions/service.js';
import { localTimeText, zoneName } from '../local-time-text.js';
import { buttonChoices } from '../button-step.js';

/**
 * Sessions of a pair: /schedule (a mentor for their pair, a coordinator for any),
 * invitations with a calendar file and Yes / No / Another time answers, rescheduling
 * and cancelling, /sessions, /reminders, and the mentor's one-tap record after the end.
 * A dialogue in progress is a draft row (src/sessions/draft.ts), so a restart loses nothing.
 */
export const sessionsFeature = new Composer<BotContext>();

const DURATIONS = [30, 60, 90, 120];
const MIN_DURATION = 5;
const MAX_DURATION = 720;
const MAX_PLACE = 300;
const MAX_AGENDA = 800;
const MAX_PROPOSAL = 500;
const PAIRS_PER_PAGE = 20;
const LIST_LIMIT = 10;
const MAX_AHEAD_MS = 2 * 366 * 24 * 60 * 60_000;
const BUTTON_LABEL_MAX = 60;
const OWN_COMMANDS = new Set(['schedule', 'sessions', 'reminders']);

const ACTIVITY: Record<string, string> = { online: 'online_session', visit: 'visit', programme_event: 'programme_event' };


/** Tomorrow at 14:00 in the programme's zone, as people should type it. */
function exampleTime(ctx: BotContext, programme: Programme): string {
  return DateTime.fromJSDate(ctx.deps.clock.now(), { zone: programme.timeZone })
    .plus({ days: 1 })
    .set({ hour: 14, minute: 0 })
    .toFormat('dd.MM.yyyy HH:mm');
}

function when(ctx: BotContext, programme: Programme, date: Date): string {
  return localTimeText(ctx.t, date, programme.timeZone, ctx.locale);
}

function buttonLabel(text: string): string {
  return text.length > BUTTON_LABEL_MAX ? `${text.slice(0, BUTTON_LABEL_MAX - 1)}…` : text;
}

async function alert(ctx: BotContext, text: string): Promise<void> {
  await ctx.answerCallbackQuery({ text, show_alert: true });
}

/** Takes the buttons off the message pressed, so that it is not pressed twice. */
async function clearButtons(ctx: BotContext): Promise<void> {
  try {
    await ctx.editMessageReplyMarkup();
  } catch {
    // Already without buttons, or too old to edit: nothing to do.
  }
}

/** Edits the message the button was on; if that is not possible, says it in a new one. */
async function answerOnMessage(ctx: BotContext, text: string): Promise<void> {
  try {
    await ctx.editMessageText(text);
  } catch {
    await ctx.reply(text);
  }
}

function stopKeyboard(ctx: BotContext, draft: SessionDraft): InlineKeyboard {
  const label = draft.step === 'move' ? 'sessions.manage.keep_time' : 'sessions.schedule.stop';
  return new InlineKeyboard().text(ctx.t(label), data.stop(draft.id));
}

function pairLabel(ctx: BotContext, entry: Pick<PairEntry, 'mentorName' | 'teamName'>): string {
  return ctx.t('sessions.pair_label', { mentor: entry.mentorName, team: entry.teamName, interpolation: { escapeValue: false } });
}

/** The pairs this person may schedule for. */
async function schedulablePairs(ctx: BotContext, programme: Programme): Promise<PairEntry[]> {
  return ctx.isCoordinator ? activePairEntries(ctx.deps.db, programme) : activePairEntries(ctx.deps.db, programme, ctx.person.id);
}

function details(ctx: BotContext, programme: Programme, session: Session, party: SessionParty): string {
  return ctx.t('sessions.details', sessionParams(ctx.t, ctx.locale, programme, session, party));
}

// ---------------------------------------------------------------------------
// /schedule

sessionsFeature.command('schedule', async (ctx) => {
  const { db, clock } = ctx.deps;
  const programme = await programmeOf(ctx.deps);
  if (!ctx.isCoordinator && !(await isAcceptedMentor(db, programme.id, ctx.person.id))) {
    await ctx.reply(ctx.t('sessions.schedule.not_allowed'));
    return;
  }
  const entries = await schedulablePairs(ctx, programme);
  if (entries.length === 0) {
    await ctx.reply(ctx.t(ctx.isCoordinator ? 'sessions.schedule.no_pairs' : 'sessions.schedule.no_own_pair'));
    return;
  }
  await leaveOtherDialogues(ctx);
  if (!ctx.isCoordinator && entries.length === 1) {
    const draft = await startDraft(db, programme.id, ctx.person.id, { step: 'kind', pairId: entries[0]!.pair.id }, clock.now());
    await askKind(ctx, draft, entries[0]!);
    return;
  }
  const draft = await startDraft(db, programme.id, ctx.person.id, { step: 'pair' }, clock.now());
  await ctx.reply(ctx.t('sessions.schedule.choose_pair'), { reply_markup: pairKeyboard(ctx, draft, entries, 0) });
});

function pairKeyboard(ctx: BotContext, draft: SessionDraft, entries: PairEntry[], page: number): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  const start = page * PAIRS_PER_PAGE;
  for (const entry of entries.slice(start, start + PAIRS_PER_PAGE)) {
    keyboard.text(buttonLabel(pairLabel(ctx, entry)), data.pair(draft.id, entry.pair.id)).row();
  }
  if (entries.length > PAIRS_PER_PAGE) {
    const next = start + PAIRS_PER_PAGE < entries.length ? page + 1 : 0;
    keyboard.text(ctx.t('sessions.schedule.more_pairs'), data.page(draft.id, next)).row();
  }
  return keyboard.text(ctx.t('sessions.schedule.stop'), data.stop(draft.id));
}

function kindKeyboard(ctx: BotContext, draft: SessionDraft): InlineKeyboard {
  return new InlineKeyboard()
    .text(ctx.t('sessions.kinds.online'), data.kind(draft.id, 'online'))
    .row()
    .text(ctx.t('sessions.kinds.visit'), data.kind(draft.id, 'visit'))
    .row()
    .text(ctx.t('sessions.kinds.programme_event'), data.kind(draft.id, 'programme_event'))
    .row()
    .text(ctx.t('sessions.schedule.stop'), data.stop(draft.id));
}

async function askKind(ctx: BotContext, draft: SessionDraft, entry: PairEntry): Promise<void> {
  await ctx.reply(ctx.t('sessions.schedule.choose_kind', { pair: pairLabel(ctx, entry) }), { reply_markup: kindKeyboard(ctx, draft) });
}

function confirmKeyboard(ctx: BotContext, draft: SessionDraft): InlineKeyboard {
  return new InlineKeyboard()
    .text(ctx.t('sessions.schedule.confirm'), data.confirm(draft.id))
    .text(ctx.t('sessions.schedule.stop'), data.stop(draft.id));
}

/**
 * A message typed where the dialogue waits for a button (the pair, the kind, the confirmation):
 * say which buttons there are, and show the step again.
 */
async function askButtonStepAgain(ctx: BotContext, programme: Programme, draft: SessionDraft): Promise<void> {
  const entries = await schedulablePairs(ctx, programme);
  const entry = entries.find((e) => e.pair.id === draft.pairId);
  if (draft.step !== 'pair' && !entry) {
    await discardDraft(ctx.deps.db, programme.id, ctx.person.id);
    return void (await ctx.reply(ctx.t('sessions.schedule.pair_gone')));
  }
  const keyboard = draft.step === 'pair' ? pairKeyboard(ctx, draft, entries, 0) : draft.step === 'kind' ? kindKeyboard(ctx, draft) : confirmKeyboard(ctx, draft);
  await ctx.reply(ctx.t('sessions.schedule.press_button', { buttons: buttonChoices(keyboard, ctx.locale) }));
  if (draft.step === 'pair') return void (await ctx.reply(ctx.t('sessions.schedule.choose_pair'), { reply_markup: keyboard }));
  if (draft.step === 'kind') return askKind(ctx, draft, entry!);
  await showSummary(ctx, programme, draft);
}

async function askTime(ctx: BotContext, programme: Programme, draft: SessionDraft, prefix?: string): Promise<void> {
  const text = ctx.t('sessions.schedule.ask_time', { zone: zoneName(ctx.t, programme.timeZone, ctx.locale), example: exampleTime(ctx, programme) });
  await ctx.reply(prefix ? `${prefix}\n\n${text}` : text, { reply_markup: stopKeyboard(ctx, draft) });
}

async function askDuration(ctx: BotContext, draft: SessionDraft): Promise<void> {
  const keyboard = new InlineKeyboard();
  for (const minutes of DURATIONS) keyboard.text(ctx.t('sessions.schedule.duration_button', { minutes }), data.duration(draft.id, minutes));
  keyboard.row().text(ctx.t('sessions.schedule.stop'), data.stop(draft.id));
  await ctx.reply(ctx.t('sessions.schedule.ask_duration'), { reply_markup: keyboard });
}

async function askPlace(ctx: BotContext, draft: SessionDraft): Promise<void> {
  const key = draft.kind === 'online' ? 'sessions.schedule.ask_place_online' : 'sessions.schedule.ask_place';
  await ctx.reply(ctx.t(key), { reply_markup: stopKeyboard(ctx, draft) });
}

async function askAgenda(ctx: BotContext, draft: SessionDraft): Promise<void> {
  const keyboard = new InlineKeyboard()
    .text(ctx.t('sessions.schedule.skip'), data.skip(draft.id))
    .text(ctx.t('sessions.schedule.stop'), data.stop(draft.id));
  await ctx.reply(ctx.t('sessions.schedule.ask_agenda'), { reply_markup: keyboard });
}

async function showSummary(ctx: BotContext, programme: Programme, draft: SessionDraft): Promise<void> {
  const entry = (await schedulablePairs(ctx, programme)).find((e) => e.pair.id === draft.pairId);
  const params = {
    kind: ctx.t(`sessions.kinds.${draft.kind}`),
    when: draft.startsAt ? when(ctx, programme, draft.startsAt) : '—',
    duration: draft.durationMinutes,
    place: draft.place ?? ctx.t('sessions.none_given'),
    agenda: draft.agenda ?? ctx.t('sessions.none_given'),
    mentor: entry?.mentorName ?? '—',
    team: entry?.teamName ?? '—',
  };
  const keyboard = confirmKeyboard(ctx, draft);
  await ctx.reply(ctx.t('sessions.schedule.summary', { details: ctx.t('sessions.details', params), interpolation: { escapeValue: false } }), {
    reply_markup: keyboard,
  });
}

/** The buttons of the scheduling dialogue; each acts only on the draft it was shown for, at its step. */
async function onDraftButton(ctx: BotContext, button: Extract<SessionButton, { draftId: number }>): Promise<void> {
  const { db, clock } = ctx.deps;
  const programme = await programmeOf(ctx.deps);
  const draft = await loadDraft(db, programme.id, ctx.person.id);
  if (!draft || draft.id !== button.draftId) return alert(ctx, ctx.t('sessions.stale'));

  if (button.action === 'stop') {
    await discardDraft(db, programme.id, ctx.person.id);
    await ctx.answerCallbackQuery();
    await clearButtons(ctx);
    await ctx.reply(ctx.t(draft.step === 'move' ? 'sessions.manage.kept' : 'sessions.schedule.stopped'));
    return;
  }

  const expected: Record<typeof button.action, SessionDraft['step']> = {
    pair: 'pair',
    page: 'pair',
    kind: 'kind',
    duration: 'duration',
    skip: 'agenda',
    confirm: 'confirm',
  };
  if (draft.step !== expected[button.action]) return alert(ctx, ctx.t('sessions.stale'));

  switch (button.action) {
    case 'page': {
      const entries = await schedulablePairs(ctx, programme);
      await ctx.answerCallbackQuery();
      const page = button.page * PAIRS_PER_PAGE < entries.length ? button.page : 0;
      try {
        await ctx.editMessageReplyMarkup({ reply_markup: pairKeyboard(ctx, draft, entries, page) });
      } catch {
        await ctx.reply(ctx.t('sessions.schedule.choose_pair'), { reply_markup: pairKeyboard(ctx, draft, entries, page) });
      }
      return;
    }
    case 'pair': {
      const entry = (await schedulablePairs(ctx, programme)).find((e) => e.pair.id === button.pairId);
      if (!entry) return alert(ctx, ctx.t('sessions.schedule.pair_gone'));
      const next = await updateDraft(db, draft, ctx.person.id, { step: 'kind', pairId: entry.pair.id }, clock.now());
      await ctx.answerCallbackQuery();
      await clearButtons(ctx);
      await askKind(ctx, next, entry);
      return;
    }
    case 'kind': {
      const next = await updateDraft(db, draft, ctx.person.id, { step: 'time', kind: button.kind }, clock.now());
      await ctx.answerCallbackQuery({ text: ctx.t(`sessions.kinds.${button.kind}`) });
      await clearButtons(ctx);
      await askTime(ctx, programme, next);
      return;
    }
    case 'duration': {
      if (button.minutes < MIN_DURATION || button.minutes > MAX_DURATION) return alert(ctx, ctx.t('sessions.stale'));
      const next = await updateDraft(db, draft, ctx.person.id, { step: 'place', durationMinutes: button.minutes }, clock.now());
      await ctx.answerCallbackQuery({ text: ctx.t('sessions.schedule.duration_button', { minutes: button.minutes }) });
      await clearButtons(ctx);
      await askPlace(ctx, next);
      return;
    }
    case 'skip': {
      const next = await updateDraft(db, draft, ctx.person.id, { step: 'confirm', agenda: null }, clock.now());
      await ctx.answerCallbackQuery();
      await clearButtons(ctx);
      await showSummary(ctx, programme, next);
      return;
    }
    case 'confirm':
      return confirmSchedule(ctx, programme, draft);
  }
}

async function confirmSchedule(ctx: BotContext, programme: Programme, draft: SessionDraft): Promise<void> {
  const { db, clock } = ctx.deps;
  // Everything is checked again: the pair or the person's role may have changed since.
  const entry = (await schedulablePairs(ctx, programme)).find((e) => e.pair.id === draft.pairId);
  if (!entry || !draft.kind || !draft.durationMinutes) {
    await discardDraft(db, programme.id, ctx.person.id);
    await clearButtons(ctx);
    return alert(ctx, ctx.t('sessions.schedule.pair_gone'));
  }
  if (!draft.startsAt || draft.startsAt.getTime() <= clock.now().getTime()) {
    const next = await updateDraft(db, draft, ctx.person.id, { step: 'time' }, clock.now());
    await ctx.answerCallbackQuery();
    await clearButtons(ctx);
    await askTime(ctx, programme, next, ctx.t('sessions.schedule.time_passed'));
    return;
  }
  const scheduled = await scheduleSession(ctx.deps, programme, {
    programmeId: programme.id,
    pairId: entry.pair.id,
    kind: draft.kind,
    startsAt: draft.startsAt,
    durationMinutes: draft.durationMinutes,
    place: draft.place ?? null,
    agenda: draft.agenda ?? null,
    organiserId: ctx.person.id,
  });
  if (!scheduled) return alert(ctx, ctx.t('sessions.schedule.pair_gone'));
  await discardDraft(db, programme.id, ctx.person.id);
  if (ctx.isCoordinator) {
    await recordAudit(db, {
      actorId: ctx.person.id,
      action: 'sessions.schedule',
      details: { sessionId: scheduled.session.id, pairId: entry.pair.id },
      at: clock.now(),
    });
  }
  await ctx.answerCallbackQuery();
  await clearButtons(ctx);
  await ctx.reply(ctx.t('sessions.schedule.scheduled', { count: scheduled.invited }), {
    reply_markup: manageKeyboard(ctx, scheduled.session),
  });
}

function manageKeyboard(ctx: BotContext, session: Pick<Session, 'id'>): InlineKeyboard {
  return new InlineKeyboard()
    .text(ctx.t('sessions.manage.reschedule'), data.move(session.id))
    .text(ctx.t('sessions.manage.cancel'), data.cancel(session.id));
}

// ---------------------------------------------------------------------------
// Typed answers: the scheduling dialogue, a new time, a proposal

/** Another command leaves a dialogue in progress: the person has moved on to something else. */
sessionsFeature.on('message:text').use(async (ctx, next) => {
  const command = /^\/([a-z0-9_]+)/i.exec(ctx.message.text)?.[1]?.toLowerCase();
  if (command && !OWN_COMMANDS.has(command)) {
    const programme = await programmeOf(ctx.deps);
    await discardDraft(ctx.deps.db, programme.id, ctx.person.id);
  }
  await next();
});

sessionsFeature
  .on('message')
  .filter((ctx) => !ctx.message.text?.startsWith('/'))
  .use(async (ctx, next) => {
    // Someone in another dialogue (a form, a coordinator's question) is answering that one.
    if (Object.keys(ctx.conversation.active()).length > 0) return next();
    const { db, clock } = ctx.deps;
    const programme = await programmeOf(ctx.deps);
    const draft = await loadDraft(db, programme.id, ctx.person.id);
    if (!draft || draft.touchedAt.getTime() < clock.now().getTime() - DRAFT_TTL_MS) return next();
    if (draft.step === 'pair' || draft.step === 'kind' || draft.step === 'confirm') return askButtonStepAgain(ctx, programme, draft);
    const text = ctx.message.text?.trim();
    if (!text) {
      await ctx.reply(ctx.t('sessions.schedule.text_only'));
      return;
    }
    switch (draft.step) {
      case 'time':
      case 'move': {
        const startsAt = await readTime(ctx, programme, text);
        if (!startsAt) return;
        if (draft.step === 'time') {
          const updated = await updateDraft(db, draft, ctx.person.id, { step: 'duration', startsAt }, clock.now());
          await askDuration(ctx, updated);
          return;
        }
        return moveTo(ctx, programme, draft, startsAt);
      }
      case 'duration': {
        const match = /^(\d{1,4})(\s*\p{L}+\.?)?$/u.exec(text);
        const minutes = match ? Number(match[1]) : NaN;
        if (!(minutes >= MIN_DURATION && minutes <= MAX_DURATION)) {
          await ctx.reply(ctx.t('sessions.schedule.bad_duration', { min: MIN_DURATION, max: MAX_DURATION }));
          return;
        }
        const updated = await updateDraft(db, draft, ctx.person.id, { step: 'place', durationMinutes: minutes }, clock.now());
        await askPlace(ctx, updated);
        return;
      }
      case 'place': {
        if (text.length > MAX_PLACE) {
          await ctx.reply(ctx.t('sessions.schedule.too_long', { length: text.length, max: MAX_PLACE }));
          return;
        }
        const updated = await updateDraft(db, draft, ctx.person.id, { step: 'agenda', place: text }, clock.now());
        await askAgenda(ctx, updated);
        return;
      }
      case 'agenda': {
        if (text.length > MAX_AGENDA) {
          await ctx.reply(ctx.t('sessions.schedule.too_long', { length: text.length, max: MAX_AGENDA }));
          return;
        }
        const updated = await updateDraft(db, draft, ctx.person.id, { step: 'confirm', agenda: text }, clock.now());
        await showSummary(ctx, programme, updated);
        return;
      }
      case 'propose':
        return sendProposal(ctx, programme, draft, text);
    }
  });

/** A start time typed in the programme's zone; says what is wrong and returns undefined otherwise. */
async function readTime(ctx: BotContext, programme: Programme, text: string): Promise<Date | undefined> {
  const example = exampleTime(ctx, programme);
  const startsAt = parseLocalDateTime(text, programme.timeZone);
  if (!startsAt) {
    await ctx.reply(ctx.t('sessions.schedule.bad_time', { example, zone: zoneName(ctx.t, programme.timeZone, ctx.locale) }));
    return undefined;
  }
  const now = ctx.deps.clock.now().getTime();
  if (startsAt.getTime() <= now) {
    await ctx.reply(ctx.t('sessions.schedule.past_time', { when: when(ctx, programme, startsAt) }));
    return undefined;
  }
  if (startsAt.getTime() > now + MAX_AHEAD_MS) {
    await ctx.reply(ctx.t('sessions.schedule.too_far'));
    return undefined;
  }
  return startsAt;
}

// ---------------------------------------------------------------------------
// Answers to invitations

async function onRsvp(ctx: BotContext, button: Extract<SessionButton, { action: 'rsvp' }>): Promise<void> {
  const { db, clock } = ctx.deps;
  const programme = await programmeOf(ctx.deps);
  const found = await openSession(ctx, button.sessionId);
  if (!found) return;
  const { session, party } = found;
  if (!isParticipant(party, ctx.person.id)) return alert(ctx, ctx.t('sessions.rsvp.not_invited'));
  if (!(await isOpen(ctx, session))) return;
  if (session.sequence !== button.sequence) {
    return alert(ctx, ctx.t('sessions.rsvp.replaced', { when: when(ctx, programme, session.startsAt) }));
  }
  if (clock.now().getTime() >= session.startsAt.getTime()) return alert(ctx, ctx.t('sessions.rsvp.started'));

  const at = clock.now();
  if (button.choice === 'other' && session.organiserId === ctx.person.id) {
    // The organiser wanting another time simply moves the session.
    await ctx.answerCallbackQuery();
    return askNewTime(ctx, programme, session);
  }
  const answer = button.choice === 'other' ? 'other_time' : button.choice;
  await recordRsvp(db, { sessionId: session.id, personId: ctx.person.id, answer, at });
  await markChoice(ctx, session, button.choice);
  if (answer === 'other_time') {
    await leaveOtherDialogues(ctx);
    await startDraft(db, programme.id, ctx.person.id, { step: 'propose', sessionId: session.id, sequence: session.sequence }, at);
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t('sessions.rsvp.ask_proposal', { example: exampleTime(ctx, programme) }));
    return;
  }
  const notice = rsvpNotice(ctx.deps, programme, session, party, ctx.person, answer, at);
  if (notice) await enqueue(db, [notice]);
  await ctx.answerCallbackQuery({ text: ctx.t(answer === 'yes' ? 'sessions.rsvp.recorded_yes' : 'sessions.rsvp.recorded_no') });
}

/** Shows which answer was given on the invitation's buttons. */
async function markChoice(ctx: BotContext, session: Session, choice: 'yes' | 'no' | 'other'): Promise<void> {
  const rows = rsvpButtons(ctx.t, session).map((row) =>
    row.map((b) => ('callback_data' in b && b.callback_data.endsWith(`|${choice}`) ? { ...b, text: `✓ ${b.text}` } : b)),
  );
  try {
    await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: rows } });
  } catch {
    // The same answer again, or an old message: the answer is recorded all the same.
  }
}

async function sendProposal(ctx: BotContext, programme: Programme, draft: SessionDraft, text: string): Promise<void> {
  const { db, clock } = ctx.deps;
  if (text.length > MAX_PROPOSAL) {
    await ctx.reply(ctx.t('sessions.schedule.too_long', { length: text.length, max: MAX_PROPOSAL }));
    return;
  }
  await discardDraft(db, programme.id, ctx.person.id);
  const session = draft.sessionId ? await findSession(db, draft.sessionId) : null;
  const party = session ? await loadSessionParty(db, session) : undefined;
  if (!session || !party || session.status !== 'scheduled') {
    await ctx.reply(ctx.t(session?.status === 'cancelled' ? 'sessions.manage.is_cancelled' : 'sessions.not_found'));
    return;
  }
  if (session.sequence !== draft.sequence) {
    await ctx.reply(ctx.t('sessions.rsvp.replaced', { when: when(ctx, programme, session.startsAt) }));
    return;
  }
  const at = clock.now();
  await recordRsvp(db, { sessionId: session.id, personId: ctx.person.id, answer: 'other_time', note: text, at });
  const notice = proposalNotice(ctx.deps, programme, session, party, ctx.person, text, at);
  if (notice) await enqueue(db, [notice]);
  await ctx.reply(ctx.t('sessions.rsvp.proposal_sent', { organiser: personName(party.organiser) }));
}

// ---------------------------------------------------------------------------
// Rescheduling and cancelling

/** The session and its people, or an answer saying it is gone. */
async function openSession(ctx: BotContext, sessionId: number): Promise<{ session: SessionWithRsvps; party: SessionParty } | undefined> {
  const session = await findSession(ctx.deps.db, sessionId);
  const party = session ? await loadSessionParty(ctx.deps.db, session) : undefined;
  if (!session || !party) {
    await alert(ctx, ctx.t('sessions.not_found'));
    return undefined;
  }
  return { session, party };
}

/** True while the session can still be answered or changed; otherwise says why not. */
async function isOpen(ctx: BotContext, session: Session): Promise<boolean> {
  if (session.status === 'scheduled') return true;
  await alert(ctx, ctx.t(session.status === 'cancelled' ? 'sessions.manage.is_cancelled' : 'sessions.manage.is_over'));
  return false;
}

async function openManaged(ctx: BotContext, sessionId: number): Promise<{ session: SessionWithRsvps; party: SessionParty } | undefined> {
  const found = await openSession(ctx, sessionId);
  if (!found) return undefined;
  if (!canManage(found.party, found.session, ctx.person.id, ctx.isCoordinator)) {
    await alert(ctx, ctx.t('sessions.manage.not_allowed'));
    return undefined;
  }
  if (!(await isOpen(ctx, found.session))) return undefined;
  return found;
}

async function askNewTime(ctx: BotContext, programme: Programme, session: Session): Promise<void> {
  await leaveOtherDialogues(ctx);
  const draft = await startDraft(
    ctx.deps.db,
    programme.id,
    ctx.person.id,
    { step: 'move', sessionId: session.id, sequence: session.sequence },
    ctx.deps.clock.now(),
  );
  await ctx.reply(
    ctx.t('sessions.manage.ask_time', { when: formatLocalClock(session.startsAt, programme.timeZone), zone: zoneName(ctx.t, programme.timeZone, ctx.locale), example: exampleTime(ctx, programme) }),
    { reply_markup: stopKeyboard(ctx, draft) },
  );
}

async function moveTo(ctx: BotContext, programme: Programme, draft: SessionDraft, startsAt: Date): Promise<void> {
  const { db, clock } = ctx.deps;
  const session = draft.sessionId ? await findSession(db, draft.sessionId) : null;
  const party = session ? await loadSessionParty(db, session) : undefined;
  await discardDraft(db, programme.id, ctx.person.id);
  if (!session || !party) {
    await ctx.reply(ctx.t('sessions.not_found'));
    return;
  }
  // The person's right is checked again: roles and pairs may have changed since the button.
  if (!canManage(party, session, ctx.person.id, ctx.isCoordinator)) {
    await ctx.reply(ctx.t('sessions.manage.not_allowed'));
    return;
  }
  if (session.status !== 'scheduled' || session.sequence !== draft.sequence) {
    await ctx.reply(ctx.t('sessions.manage.changed_meanwhile'));
    return;
  }
  const moved = await rescheduleSession(ctx.deps, programme, session, startsAt, ctx.person);
  if (!moved) {
    await ctx.reply(ctx.t('sessions.manage.changed_meanwhile'));
    return;
  }
  if (ctx.isCoordinator) {
    await recordAudit(db, {
      actorId: ctx.person.id,
      action: 'sessions.reschedule',
      details: { sessionId: session.id, from: session.startsAt.toISOString(), to: startsAt.toISOString() },
      at: clock.now(),
    });
  }
  await ctx.reply(ctx.t('sessions.manage.moved', { when: when(ctx, programme, startsAt) }), { reply_markup: manageKeyboard(ctx, moved) });
}

async function onManageButton(ctx: BotContext, button: Extract<SessionButton, { action: 'move' | 'cancel' | 'cancel_yes' | 'cancel_no' }>): Promise<void> {
  const { db, clock } = ctx.deps;
  const programme = await programmeOf(ctx.deps);
  const found = await openManaged(ctx, button.sessionId);
  if (!found) return;
  const { session, party } = found;
  switch (button.action) {
    case 'move':
      await ctx.answerCallbackQuery();
      return askNewTime(ctx, programme, session);
    case 'cancel': {
      await ctx.answerCallbackQuery();
      const keyboard = new InlineKeyboard()
        .text(ctx.t('sessions.manage.confirm_cancel_button'), data.cancelYes(session.id, session.sequence))
        .text(ctx.t('sessions.manage.keep_button'), data.cancelNo(session.id));
      await ctx.reply(
        ctx.t('sessions.manage.confirm_cancel', { details: details(ctx, programme, session, party), interpolation: { escapeValue: false } }),
        { reply_markup: keyboard },
      );
      return;
    }
    case 'cancel_no':
      await ctx.answerCallbackQuery();
      await answerOnMessage(ctx, ctx.t('sessions.manage.kept'));
      return;
    case 'cancel_yes': {
      if (session.sequence !== button.sequence) return alert(ctx, ctx.t('sessions.manage.changed_meanwhile'));
      const cancelled = await cancelAndNotify(ctx.deps, programme, session, ctx.person);
      if (!cancelled) return alert(ctx, ctx.t('sessions.manage.changed_meanwhile'));
      if (ctx.isCoordinator) {
        await recordAudit(db, { actorId: ctx.person.id, action: 'sessions.cancel', details: { sessionId: session.id }, at: clock.now() });
      }
      await ctx.answerCallbackQuery();
      await answerOnMessage(ctx, ctx.t('sessions.manage.cancelled_done'));
      return;
    }
  }
}

// ---------------------------------------------------------------------------
// After the session: did it take place?

async function onFollowUpButton(ctx: BotContext, button: Extract<SessionButton, { action: 'log' | 'not_held' }>): Promise<void> {
  const { db, clock } = ctx.deps;
  const programme = await programmeOf(ctx.deps);
  const found = await openSession(ctx, button.sessionId);
  if (!found) return;
  const { session, party } = found;
  if (!party.mentor || party.mentor.id !== ctx.person.id) return alert(ctx, ctx.t('sessions.followup.mentor_only'));
  if (session.status === 'cancelled') return alert(ctx, ctx.t('sessions.manage.is_cancelled'));
  if (session.status !== 'scheduled') return alert(ctx, ctx.t('sessions.followup.already'));
  if (clock.now().getTime() < endOf(session).getTime()) return alert(ctx, ctx.t('sessions.followup.not_ended'));
  const team = party.team?.name ?? '—';

  if (button.action === 'not_held') {
    if (!(await markNotHeld(db, session.id))) return alert(ctx, ctx.t('sessions.followup.already'));
    await ctx.answerCallbackQuery();
    await answerOnMessage(ctx, ctx.t('sessions.followup.marked_not_held', { when: when(ctx, programme, session.startsAt), team }));
    return;
  }
  const amount = button.amount === 'h' ? 0.5 : 1;
  const date = localDate(session.startsAt, programme.timeZone);
  const logged = await logHeldSession(db, {
    sessionId: session.id,
    pairId: party.pair.id,
    mentorPersonId: ctx.person.id,
    date,
    amount,
    activity: ACTIVITY[session.kind] ?? 'online_session',
    at: clock.now(),
  });
  if (!logged) return alert(ctx, ctx.t('sessions.followup.already'));
  await ctx.answerCallbackQuery();
  await answerOnMessage(
    ctx,
    ctx.t('sessions.followup.logged', {
      amount: ctx.t(amount === 0.5 ? 'sessions.followup.half' : 'sessions.followup.whole'),
      date: DateTime.fromISO(date).toFormat('dd.MM.yyyy'),
      team,
    }),
  );
}

// ---------------------------------------------------------------------------
// Every button of the feature

sessionsFeature.callbackQuery(SESSION_CALLBACK, async (ctx) => {
  const button = parseSessionButton(ctx.callbackQuery.data);
  if (!button) return alert(ctx, ctx.t('sessions.stale'));
  switch (button.action) {
    case 'pair':
    case 'page':
    case 'kind':
    case 'duration':
    case 'skip':
    case 'confirm':
    case 'stop':
      return onDraftButton(ctx, button);
    case 'rsvp':
      return onRsvp(ctx, button);
    case 'move':
    case 'cancel':
    case 'cancel_yes':
    case 'cancel_no':
      return onManageButton(ctx, button);
    case 'log':
    case 'not_held':
      return onFollowUpButton(ctx, button);
  }
});

// ---------------------------------------------------------------------------
// /sessions

sessionsFeature.command('sessions', async (ctx) => {
  const { db, clock } = ctx.deps;
  const programme = await programmeOf(ctx.deps);
  const now = clock.now();
  const sessions = ctx.isCoordinator
    ? await listUpcomingSessions(db, { programmeId: programme.id, now })
    : await listUpcomingSessions(db, {
        programmeId: programme.id,
        now,
        pairIds: await pairIdsOfPerson(db, programme, ctx.person.id),
        organiserId: ctx.person.id,
      });
  if (sessions.length === 0) {
    await ctx.reply(ctx.t('sessions.list.none'));
    return;
  }
  await ctx.reply(ctx.t(ctx.isCoordinator ? 'sessions.list.title_all' : 'sessions.list.title', { count: sessions.length }));
  for (const session of sessions.slice(0, LIST_LIMIT)) {
    const party = await loadSessionParty(db, session);
    if (!party) continue;
    const manageable = canManage(party, session, ctx.person.id, ctx.isCoordinator);
    await ctx.reply(sessionView(ctx, programme, session, party), manageable ? { reply_markup: manageKeyboard(ctx, session) } : {});
  }
  if (sessions.length > LIST_LIMIT) await ctx.reply(ctx.t('sessions.list.more', { count: sessions.length - LIST_LIMIT }));
});

function sessionView(ctx: BotContext, programme: Programme, session: SessionWithRsvps, party: SessionParty): string {
  const lines = [details(ctx, programme, session, party), ctx.t('sessions.list.organiser', { name: personName(party.organiser) })];
  const invited = recipientsOf(party).filter((p) => p.id !== session.organiserId);
  const byPerson = new Map(session.rsvps.map((r) => [r.personId, r]));
  const names = (answer: string | undefined) =>
    invited
      .filter((p) => byPerson.get(p.id)?.answer === answer)
      .map((p) => escapeHtml(personName(p)))
      .join(', ');
  const raw = { interpolation: { escapeValue: false } };
  const yes = names('yes');
  const no = names('no');
  const other = names('other_time');
  const none = names(undefined);
  if (yes) lines.push(ctx.t('sessions.list.answers_yes', { names: yes, ...raw }));
  if (no) lines.push(ctx.t('sessions.list.answers_no', { names: no, ...raw }));
  if (other) lines.push(ctx.t('sessions.list.answers_other', { names: other, ...raw }));
  for (const person of invited) {
    const rsvp = byPerson.get(person.id);
    if (rsvp?.answer === 'other_time' && rsvp.note) lines.push(ctx.t('sessions.list.proposal', { name: personName(person), proposal: rsvp.note }));
  }
  if (none) lines.push(ctx.t('sessions.list.answers_none', { names: none, ...raw }));
  return lines.join('\n');
}

// ---------------------------------------------------------------------------
// /reminders (coordinators)

sessionsFeature.command('reminders', coordinatorOnly, async (ctx) => {
  const { db, clock } = ctx.deps;
  const programme = await programmeOf(ctx.deps);
  const argument = ctx.match.trim();
  const describe = (offsets: number[]) =>
    [...offsets]
      .sort((a, b) => b - a)
      .map((minutes) => formatOffset(ctx.t, minutes))
      .join(ctx.t('sessions.reminders.separator'));
  if (!argument) {
    await ctx.reply(
      `${ctx.t('sessions.reminders.current', { offsets: describe(reminderOffsets(programme)) })}\n\n${ctx.t('sessions.reminders.usage', { max: MAX_REMINDER_OFFSETS })}`,
    );
    return;
  }
  const parts = argument.split(/[\s,;]+/).filter(Boolean);
  const offsets = [...new Set(parts.map((p) => (/^\d{1,6}$/.test(p) ? Number(p) : NaN)))];
  const valid =
    parts.length <= MAX_REMINDER_OFFSETS && offsets.every((n) => Number.isInteger(n) && n > 0 && n <= MAX_REMINDER_OFFSET);
  if (!valid) {
    await ctx.reply(ctx.t('sessions.reminders.bad', { max: MAX_REMINDER_OFFSETS, limit: MAX_REMINDER_OFFSET }));
    return;
  }
  const sorted = offsets.sort((a, b) => b - a);
  await changeReminderOffsets(ctx.deps, programme, sorted);
  await recordAudit(db, { actorId: ctx.person.id, action: 'sessions.reminders', details: { offsets: sorted }, at: clock.now() });
  await ctx.reply(ctx.t('sessions.reminders.changed', { offsets: describe(sorted) }));
});
