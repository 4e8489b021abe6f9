import { Composer, InlineKeyboard } from 'grammy';
import { DateTime } from 'luxon';
import type { BotContext } from '../context.js';
import { chunkMessages } from '../message-chunks.js';
import { recordAudit } from '../db/audit.js';
import {
  isMentoringActivity,
  type LogSummary,
  listLogSummaries,
  listPairLogsWithNotes,
  MENTORING_ACTIVITIES,
  pairLabels,
  pairMembership,
  pairPeople,
  pairsOfPerson,
} from '../db/mentoring-logs.js';
import { findPair, listActivePairs, type Pair } from '../db/pairs.js';
import { programmeOf } from '../db/programmes.js';
import { listVisits, MAX_CITY_LENGTH, MAX_VISIT_TEXT_LENGTH, planVisit, recordVisitDone, type Visit } from '../db/visits.js';
import { HANDBOOK_VISITS, type MentoringActivity, monthlyProgress, visitSummary, type VisitKind } from '../domain/progress.js';
import { monthKey, parseLocalDate } from '../domain/time-zone.js';
import type { Translate } from '../i18n.js';
import { coordinatorOnly } from '../middleware/coordinator-only.js';
import { addConsoleButton } from '../web/open-button.js';

/**
 * /progress: a pair's mentoring days month by month against the programme's target,
 * the handbook's three visits and whether the trip to the team has happened. The
 * mentor and the team see their own pair with the notes of their logs; coordinators
 * choose any pair and see dates, amounts and activities, never the notes.
 * Visits are planned and marked done from here with /visit, by either side of the
 * pair or a coordinator.
 */
export const progressFeature = new Composer<BotContext>();

const ID = /^\d{1,9}$/;
const LATEST_LOGS = 10;
const MAX_PAIR_BUTTONS = 30;

// ---------------------------------------------------------------------------
// Shared with src/features/mentoring-log.ts


/** 'YYYY-MM-DD' of the current day in the zone. */
export function localToday(now: Date, zone: string): string {
  return DateTime.fromJSDate(now, { zone }).toFormat('yyyy-MM-dd');
}

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toFormat('yyyy-MM-dd');
}

/** 'YYYY-MM-DD' → 'DD.MM.YYYY', as dates are written to people everywhere in the bot. */
export function showDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}

/** The first day of the pair's programme months: the day it was published, in the programme's zone. */
export function pairStart(pair: Pick<Pair, 'publishedAt'>, zone: string): string {
  return localToday(pair.publishedAt, zone);
}

export function formatDays(days: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(days);
}

export function activityLabel(t: Translate, activity: string): string {
  return t(`progress.activities.${isMentoringActivity(activity) ? activity : 'other'}`);
}

export function amountLabel(t: Translate, amount: number): string {
  return t(amount === 0.5 ? 'progress.amount_half' : 'progress.amount_whole');
}

export type PairRole = 'mentor' | 'member' | 'coordinator';

/** How the person may see the pair: as its mentor, as a team member, as a coordinator, or not at all. */
export async function roleInPair(ctx: BotContext, pair: Pair): Promise<PairRole | undefined> {
  const membership = await pairMembership(ctx.deps.db, pair, ctx.person.id);
  if (membership) return membership;
  return ctx.isCoordinator ? 'coordinator' : undefined;
}

function monthLabel(key: string, locale: string): string {
  const text = DateTime.fromFormat(key, 'yyyy-MM', { zone: 'UTC' }).setLocale(locale).toFormat('LLLL yyyy');
  return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
}


async function replyInChunks(ctx: BotContext, lines: readonly string[], keyboard?: InlineKeyboard): Promise<void> {
  const messages = chunkMessages(lines);
  for (const [i, text] of messages.entries()) {
    const last = i === messages.length - 1;
    await ctx.reply(text, last && keyboard && keyboard.inline_keyboard.length > 0 ? { reply_markup: keyboard } : {});
  }
}

// ---------------------------------------------------------------------------
// The progress of one pair

const VISIT_KIND = new Map(HANDBOOK_VISITS.map((v) => [v.number, v.kind]));

function isVisitKind(value: string): value is VisitKind {
  return value === 'mentee_city' || value === 'mentor_city';
}

function visitLines(t: Translate, visits: readonly Visit[]): string[] {
  const summary = visitSummary(
    visits.map((v) => ({
      number: v.number as 1 | 2 | 3,
      kind: isVisitKind(v.kind) ? v.kind : (VISIT_KIND.get(v.number as 1 | 2 | 3) ?? 'mentee_city'),
      city: v.city,
      ...(v.plannedFor ? { plannedFor: v.plannedFor } : {}),
      ...(v.doneOn ? { doneOn: v.doneOn } : {}),
    })),
  );
  const lines = [`<b>${t('progress.visits_title')}</b>`];
  for (const slot of summary.slots) {
    const kind = t(`progress.visit_kinds.${slot.expectedKind}`);
    const stored = visits.find((v) => v.number === slot.number);
    if (slot.status === 'done' && slot.visit) {
      lines.push(t('progress.visit_done', { number: slot.number, kind, date: showDate(slot.visit.doneOn!), city: slot.visit.city }));
      if (stored?.participants) lines.push(t('progress.visit_participants', { text: stored.participants }));
      if (stored?.outcomes) lines.push(t('progress.visit_outcomes', { text: stored.outcomes }));
    } else if (slot.status === 'planned' && slot.visit) {
      lines.push(t('progress.visit_planned', { number: slot.number, kind, date: showDate(slot.visit.plannedFor!), city: slot.visit.city }));
    } else {
      lines.push(t('progress.visit_missing', { number: slot.number, kind }));
    }
  }
  lines.push(t('progress.visits_count', { planned: summary.planned, done: summary.done }));
  lines.push(t(summary.tripToTeamDone ? 'progress.trip_done' : 'progress.trip_not_yet'));
  return lines;
}

async function showPairProgress(ctx: BotContext, pair: Pair, role: PairRole): Promise<void> {
  const { deps, t, locale } = ctx;
  const programme = await programmeOf(deps);
  const zone = programme.timeZone;
  const people = await pairPeople(deps.db, pair);
  // Notes are the pair's own: a coordinator's view is built from data that never had them.
  const logs: Array<LogSummary & { note?: string | null }> =
    role === 'coordinator' ? await listLogSummaries(deps.db, pair.id) : await listPairLogsWithNotes(deps.db, pair.id);
  const visits = await listVisits(deps.db, pair.id);

  const start = pairStart(pair, zone);
  const progress = monthlyProgress(
    logs.map((l) => ({
      date: l.date,
      amount: l.amount === 0.5 ? 0.5 : 1,
      activity: (isMentoringActivity(l.activity) ? l.activity : 'other') as MentoringActivity,
    })),
    { start, months: programme.durationMonths, targetDaysPerMonth: programme.targetDaysPerMonth },
  );
  const current = monthKey(deps.clock.now(), zone);
  const mentorName = people.mentor ? [people.mentor.firstName, people.mentor.lastName].filter(Boolean).join(' ') : '?';
  const days = (n: number) => formatDays(n, locale);

  const lines = [
    t('progress.title', { mentor: mentorName, team: people.team?.name ?? '?', id: pair.id }),
    t('progress.period', { start: showDate(start), months: programme.durationMonths, target: days(programme.targetDaysPerMonth) }),
  ];
  if (pair.status !== 'active' && pair.endedAt) lines.push(t('progress.ended', { date: showDate(localToday(pair.endedAt, zone)) }));
  lines.push('', `<b>${t('progress.months_title')}</b>`);
  for (const month of progress.months) {
    const activities = MENTORING_ACTIVITIES.filter((activity) => month.byActivity[activity])
      .map((activity) => `${activityLabel(t, activity)} ${days(month.byActivity[activity]!)}`)
      .join(', ');
    let line = t('progress.month', { month: monthLabel(month.month, locale), days: days(month.days), target: days(month.target) });
    if (month.met) line += ' ✅';
    if (activities) line += ` (${activities})`;
    if (month.month === current) line += ` ${t('progress.current_mark')}`;
    lines.push(line);
  }
  lines.push(
    t('progress.total', {
      days: days(progress.totals.days),
      target: days(progress.totals.target),
      met: progress.totals.monthsMet,
      months: progress.months.length,
    }),
  );
  if (progress.outsideProgrammeDays > 0) lines.push(t('progress.outside', { days: days(progress.outsideProgrammeDays) }));

  lines.push('', ...visitLines(t, visits));

  lines.push('', `<b>${t('progress.logs_title')}</b>`);
  if (logs.length === 0) lines.push(t('progress.no_logs'));
  for (const log of logs.slice(0, LATEST_LOGS)) {
    lines.push(t('progress.log_entry', { date: showDate(log.date), amount: amountLabel(t, log.amount), activity: activityLabel(t, log.activity) }));
    if (role !== 'coordinator' && log.note) lines.push(t('progress.log_note', { note: log.note }));
  }
  if (logs.length > LATEST_LOGS) lines.push(t('progress.logs_more', { number: logs.length - LATEST_LOGS }));
  if (role === 'coordinator') lines.push('', t('progress.notes_private'));
  else lines.push('', t('progress.notes_hint'));

  const keyboard = new InlineKeyboard();
  for (const { number } of HANDBOOK_VISITS) {
    keyboard
      .text(t('progress.plan_visit_button', { number }), `vs|plan|${pair.id}|${number}`)
      .text(t('progress.done_visit_button', { number }), `vs|done|${pair.id}|${number}`)
      .row();
  }
  await replyInChunks(ctx, lines, keyboard);
}

// ---------------------------------------------------------------------------
// /progress

progressFeature.command('progress', async (ctx) => {
  const { deps, t } = ctx;
  const programme = await programmeOf(deps);
  const argument = ctx.match.trim();
  if (argument !== '') {
    if (!ID.test(argument)) return void (await ctx.reply(t('progress.usage')));
    const pair = await findPair(deps.db, Number(argument));
    if (!pair || pair.programmeId !== programme.id) return void (await ctx.reply(t('progress.not_found', { id: argument })));
    const role = await roleInPair(ctx, pair);
    if (!role) return void (await ctx.reply(t('errors.coordinators_only')));
    return showPairProgress(ctx, pair, role);
  }

  if (ctx.isCoordinator) {
    const pairs = await listActivePairs(deps.db, programme.id);
    if (pairs.length === 0) return void (await ctx.reply(t('progress.no_pairs_coordinator')));
    const labels = await pairLabels(deps.db, pairs);
    const keyboard = new InlineKeyboard();
    const lines = [t('progress.choose_pair_coordinator')];
    for (const pair of pairs) {
      const label = labels.get(pair.id)!;
      lines.push(t('progress.pair_line', { id: pair.id, mentor: label.mentor, team: label.team }));
    }
    for (const pair of pairs.slice(0, MAX_PAIR_BUTTONS)) {
      const label = labels.get(pair.id)!;
      keyboard.text(buttonLabel(t, pair, label), `pg|a|${pair.id}`).row();
    }
    addConsoleButton(keyboard, ctx.deps.config, t, 'dashboard');
    return replyInChunks(ctx, lines, keyboard);
  }

  const pairs = await pairsOfPerson(deps.db, programme.id, ctx.person.id);
  const active = pairs.filter((p) => p.status === 'active');
  const shown = active.length > 0 ? active : pairs.slice(0, 1);
  if (shown.length === 0) return void (await ctx.reply(t('progress.no_pair')));
  if (shown.length === 1) return showPairProgress(ctx, shown[0]!, (await roleInPair(ctx, shown[0]!))!);
  const labels = await pairLabels(deps.db, shown);
  const keyboard = new InlineKeyboard();
  for (const pair of shown.slice(0, MAX_PAIR_BUTTONS)) keyboard.text(buttonLabel(t, pair, labels.get(pair.id)!), `pg|p|${pair.id}`).row();
  await ctx.reply(t('progress.choose_pair'), { reply_markup: keyboard });
});

function buttonLabel(t: Translate, pair: Pair, label: { mentor: string; team: string }): string {
  const text = t('progress.pair_button', { id: pair.id, mentor: label.mentor, team: label.team, interpolation: { escapeValue: false } });
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** A coordinator's choice of any pair. */
progressFeature.callbackQuery(/^pg\|a\|/, coordinatorOnly, async (ctx) => {
  const [, , id = '', extra] = ctx.callbackQuery.data.split('|');
  const pair = ID.test(id) && extra === undefined ? await findPair(ctx.deps.db, Number(id)) : null;
  if (!pair) return void (await ctx.answerCallbackQuery({ text: ctx.t('errors.stale_button'), show_alert: true }));
  await ctx.answerCallbackQuery();
  await showPairProgress(ctx, pair, (await roleInPair(ctx, pair))!);
});

/** A mentor (or team member) with several pairs choosing one of their own. */
progressFeature.callbackQuery(/^pg\|p\|/, async (ctx) => {
  const [, , id = '', extra] = ctx.callbackQuery.data.split('|');
  const pair = ID.test(id) && extra === undefined ? await findPair(ctx.deps.db, Number(id)) : null;
  if (!pair) return void (await ctx.answerCallbackQuery({ text: ctx.t('errors.stale_button'), show_alert: true }));
  const role = await roleInPair(ctx, pair);
  if (!role) return void (await ctx.answerCallbackQuery({ text: ctx.t('progress.not_your_pair'), show_alert: true }));
  await ctx.answerCallbackQuery();
  await showPairProgress(ctx, pair, role);
});

progressFeature.callbackQuery(/^pg\|/, (ctx) => ctx.answerCallbackQuery({ text: ctx.t('errors.stale_button'), show_alert: true }));

// ---------------------------------------------------------------------------
// Visits: the buttons explain, /visit records (one message, so nothing is lost between steps)

progressFeature.callbackQuery(/^vs\|/, async (ctx) => {
  const { deps, t } = ctx;
  const [, action, id = '', n = '', extra] = ctx.callbackQuery.data.split('|');
  const number = Number(n);
  const valid = (action === 'plan' || action === 'done') && ID.test(id) && /^[123]$/.test(n) && extra === undefined;
  const pair = valid ? await findPair(deps.db, Number(id)) : null;
  if (!pair) return void (await ctx.answerCallbackQuery({ text: t('errors.stale_button'), show_alert: true }));
  if (!(await roleInPair(ctx, pair))) return void (await ctx.answerCallbackQuery({ text: t('progress.not_your_pair'), show_alert: true }));
  const programme = await programmeOf(deps);
  const kind = VISIT_KIND.get(number as 1 | 2 | 3)!;
  const visit = (await listVisits(deps.db, pair.id)).find((v) => v.number === number);
  const people = await pairPeople(deps.db, pair);
  const city = visit?.city || (kind === 'mentee_city' ? people.team?.city || people.team?.name : '') || t('visits.city_placeholder');
  const today = localToday(deps.clock.now(), programme.timeZone);
  await ctx.answerCallbackQuery();
  if (action === 'plan') {
    const date = visit?.plannedFor ?? addDays(today, 14);
    const example = `/visit ${pair.id} ${number} plan ${showDate(date)} | ${city}`;
    await ctx.reply(t('visits.how_to_plan', { number, kind: t(`progress.visit_kinds.${kind}`), example }));
    return;
  }
  const date = visit?.doneOn ?? (visit?.plannedFor && visit.plannedFor <= today ? visit.plannedFor : today);
  const example = `/visit ${pair.id} ${number} done ${showDate(date)} | ${city} | ${visit?.participants ?? t('visits.participants_placeholder')} | ${
    visit?.outcomes ?? t('visits.outcomes_placeholder')
  }`;
  await ctx.reply(t('visits.how_to_mark_done', { number, kind: t(`progress.visit_kinds.${kind}`), example }));
});

const VISIT_COMMAND = /^(\d{1,9})\s+([123])\s+(plan|done)\s+([\s\S]+)$/i;

progressFeature.command('visit', async (ctx) => {
  const { deps, t } = ctx;
  const match = VISIT_COMMAND.exec(ctx.match.trim());
  if (!match) return void (await ctx.reply(t('visits.usage')));
  const [, id, n, rawAction, rest] = match;
  const action = rawAction!.toLowerCase();
  const number = Number(n) as 1 | 2 | 3;
  const programme = await programmeOf(deps);
  const pair = await findPair(deps.db, Number(id));
  if (!pair || pair.programmeId !== programme.id) return void (await ctx.reply(t('progress.not_found', { id })));
  const role = await roleInPair(ctx, pair);
  if (!role) return void (await ctx.reply(t('progress.not_your_pair')));
  const kind = VISIT_KIND.get(number)!;
  const kindLabel = t(`progress.visit_kinds.${kind}`);
  const parts = rest!.split('|').map((p) => p.trim());
  const date = parseLocalDate(parts[0] ?? '');
  if (!date) return void (await ctx.reply([t('visits.bad_date', { value: parts[0] ?? '' }), '', t('visits.usage')].join('\n')));
  const today = localToday(deps.clock.now(), programme.timeZone);
  const tooLong = (text: string, max: number) => text.length > max;

  if (action === 'plan') {
    const city = parts.slice(1).join(' | ').trim();
    if (city === '' || tooLong(city, MAX_CITY_LENGTH)) return void (await ctx.reply([t('visits.need_city', { max: MAX_CITY_LENGTH }), '', t('visits.usage')].join('\n')));
    await planVisit(deps.db, { pairId: pair.id, number, kind, city, plannedFor: date });
    if (role === 'coordinator') {
      await recordAudit(deps.db, { actorId: ctx.person.id, action: 'visit.plan', details: { pairId: pair.id, number, plannedFor: date }, at: deps.clock.now() });
    }
    await ctx.reply(t('visits.planned', { number, kind: kindLabel, date: showDate(date), city, id: pair.id }));
    return;
  }

  if (date > today) return void (await ctx.reply(t('visits.done_in_future', { date: showDate(date) })));
  if (parts.length !== 4) return void (await ctx.reply([t('visits.done_parts', { max: MAX_VISIT_TEXT_LENGTH }), '', t('visits.usage')].join('\n')));
  const [, city = '', participants = '', outcomes = ''] = parts;
  if (city === '' || tooLong(city, MAX_CITY_LENGTH)) return void (await ctx.reply([t('visits.need_city', { max: MAX_CITY_LENGTH }), '', t('visits.usage')].join('\n')));
  if (participants === '' || outcomes === '' || tooLong(participants, MAX_VISIT_TEXT_LENGTH) || tooLong(outcomes, MAX_VISIT_TEXT_LENGTH)) {
    return void (await ctx.reply([t('visits.done_parts', { max: MAX_VISIT_TEXT_LENGTH }), '', t('visits.usage')].join('\n')));
  }
  await recordVisitDone(deps.db, { pairId: pair.id, number, kind, city, doneOn: date, participants, outcomes });
  if (role === 'coordinator') {
    await recordAudit(deps.db, { actorId: ctx.person.id, action: 'visit.done', details: { pairId: pair.id, number, doneOn: date }, at: deps.clock.now() });
  }
  await ctx.reply(t('visits.recorded_done', { number, kind: kindLabel, date: showDate(date), city, id: pair.id }));
});
