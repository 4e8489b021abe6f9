import { type Api, GrammyError, InputFile } from 'grammy';
import { DateTime } from 'luxon';
import type { AppDeps } from '../context.js';
import type { Person, Programme } from '../db/database.js';
import { claimJobRun } from '../db/job-runs.js';
import { listActivePairs } from '../db/pairs.js';
import { listCoordinators, markBlocked } from '../db/people.js';
import { programmeOf } from '../db/programmes.js';
import {
  clearPairInactivity,
  lastLogDates,
  lastSessionStarts,
  logsBetween,
  markPairAlerted,
  markPairNudged,
  offerEvaluation,
  pairParties,
  pairsForEvaluation,
  programmePeriodEnd,
} from '../db/report-data.js';
import { inactivity, mentorsToNudgeForMonth, monthlyNudgeDue } from '../domain/progress.js';
import { formatLocalDate, type MonthKey, monthKey, previousMonth } from '../domain/time-zone.js';
import { evaluationButton, evaluationDue } from '../features/evaluation.js';
import { buildMonthlyReport, monthLabel, reportChart, type ReportChart, reportKeyboard, reportMessages } from '../features/report.js';
import type { Translate } from '../i18n.js';
import { isLocale, type Locale } from '../locales.js';
import { enqueue, type OutgoingMessageInput } from '../outbox/outbox.js';
import type { Job } from '../scheduler.js';

/**
 * Scheduled follow-up of the pairs' progress. Every job runs hourly and decides from
 * the clock and the database whether anything is due, so a bot that was down at the
 * right moment catches up at its next run; claimJobRun and the outbox's dedupe keys
 * make sure nothing is sent twice, however many instances run or restart.
 *
 * - monthly-nudge: from 10:00 on the 1st (programme time), mentors of active pairs who
 *   logged nothing in the month before get a friendly reminder.
 * - monthly-report: at the same moment, coordinators get the month's progress report.
 * - inactivity: a pair with no session and no log for Programme.inactivityDays is nudged
 *   (both sides); a week after the nudge, if still quiet, its coordinators are alerted.
 * - evaluation: when a pair's programme period ends, the mentor and the team members are
 *   invited to the evaluation, with two reminders a week apart until they submit it.
 */
export function progressJobs(deps: AppDeps, api: Api): Job[] {
  const timeZone = deps.config.timeZone;
  return [
    { name: 'monthly-nudge', schedule: '0 * * * *', timeZone, run: () => runMonthlyNudge(deps) },
    { name: 'monthly-report', schedule: '0 * * * *', timeZone, run: () => runMonthlyReport(deps, api) },
    { name: 'inactivity', schedule: '10 * * * *', timeZone, run: () => runInactivityFollowUp(deps) },
    { name: 'evaluation', schedule: '20 * * * *', timeZone, run: () => runEvaluationInvitations(deps) },
  ];
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** After this many days of a month its nudge and report are no longer worth sending. */
export const MONTHLY_CATCH_UP_DAYS = 7;
/** Pairs made in a month's last week are not reminded about that month. */
const NEW_PAIR_GRACE_DAYS = 7;
/** Days between the inactivity nudge and the coordinators' alert. */
export const ALERT_AFTER_NUDGE_DAYS = 7;
/** Days between the evaluation's invitation and each of its two reminders. */
export const EVALUATION_REMINDER_DAYS = 7;
/** People are written to on their own only in the daytime (programme time). */
const DAYTIME = { from: 10, to: 20 };


function localeOf(deps: AppDeps, person: Person): Locale {
  return isLocale(person.language) ? person.language : deps.config.defaultLocale;
}

function isDaytime(now: Date, zone: string): boolean {
  const hour = DateTime.fromJSDate(now, { zone }).hour;
  return hour >= DAYTIME.from && hour < DAYTIME.to;
}

/** The month whose nudge and report are due now, within the first week of the next month. */
export function monthDue(now: Date, zone: string): MonthKey | undefined {
  const due = monthlyNudgeDue(now, zone);
  if (!due || due !== previousMonth(monthKey(now, zone))) return undefined;
  return DateTime.fromJSDate(now, { zone }).day <= MONTHLY_CATCH_UP_DAYS ? due : undefined;
}

function message(person: Person, input: Omit<OutgoingMessageInput, 'personId' | 'chatId' | 'status'>): OutgoingMessageInput {
  return { ...input, personId: person.id, chatId: person.telegramId, ...(person.blockedAt ? { status: 'blocked' as const } : {}) };
}

// ---------------------------------------------------------------------------
// The monthly nudge to log mentoring days

export async function runMonthlyNudge(deps: AppDeps): Promise<void> {
  const { db, clock, logger } = deps;
  const programme = await programmeOf(deps);
  const zone = programme.timeZone;
  const now = clock.now();
  const month = monthDue(now, zone);
  if (!month || !(await claimJobRun(db, `monthly-nudge:${month}`, now))) return;

  const start = DateTime.fromISO(`${month}-01`, { zone });
  const end = start.plus({ months: 1 });
  const pairs = (await listActivePairs(db, programme.id)).filter(
    (pair) =>
      pair.publishedAt.getTime() <= end.minus({ days: NEW_PAIR_GRACE_DAYS }).toMillis() &&
      programmePeriodEnd(pair, programme.durationMonths, zone).getTime() > start.toMillis(),
  );
  const [parties, logs] = await Promise.all([
    pairParties(db, pairs),
    logsBetween(db, pairs.map((p) => p.id), start.toFormat('yyyy-MM-dd'), end.minus({ days: 1 }).toFormat('yyyy-MM-dd')),
  ]);
  const mentors = new Map<number, { person: Person; teams: string[]; logs: Array<{ date: string }> }>();
  for (const pair of pairs) {
    const who = parties.get(pair.id);
    if (!who?.mentor.person) continue;
    const entry = mentors.get(who.mentor.personId) ?? { person: who.mentor.person, teams: [], logs: [] };
    entry.teams.push(who.team.name);
    entry.logs.push(...logs.filter((l) => l.pairId === pair.id));
    mentors.set(who.mentor.personId, entry);
  }
  const messages = mentorsToNudgeForMonth([...mentors.values()], month).map(({ person, teams }) => {
    const locale = localeOf(deps, person);
    const t = deps.i18n.t(locale);
    return message(person, {
      dedupeKey: `monthly-nudge:${month}:person:${person.id}`,
      kind: 'monthly_nudge',
      // The month's name is in the person's language and grammar, so the text is made here.
      text: t('nudges.monthly', { name: person.firstName, month: monthLabel(month, locale), teams: teams.join(', ') }),
      dueAt: now,
      expiresAt: new Date(now.getTime() + 3 * DAY_MS),
    });
  });
  const queued = await enqueue(db, messages);
  logger.info({ month, mentors: mentors.size, queued }, 'monthly nudge to log mentoring days');
}

// ---------------------------------------------------------------------------
// The monthly report to coordinators

export async function runMonthlyReport(deps: AppDeps, api: Api): Promise<void> {
  const { db, clock, logger, config } = deps;
  const programme = await programmeOf(deps);
  const now = clock.now();
  const month = monthDue(now, programme.timeZone);
  if (!month || !(await claimJobRun(db, `monthly-report:${month}`, now))) return;

  const report = await buildMonthlyReport(deps, programme, month);
  const coordinators = await listCoordinators(db, config.adminIds);
  const current = monthKey(now, programme.timeZone);
  // The text goes through the outbox (it is sent even if this instance stops now) ...
  const messages = coordinators.flatMap((person) => {
    const locale = localeOf(deps, person);
    const t = deps.i18n.t(locale);
    const texts = reportMessages(t, locale, report);
    return texts.map((text, i) =>
      message(person, {
        dedupeKey: `monthly-report:${month}:person:${person.id}:${i + 1}`,
        kind: 'monthly_report',
        text: i === 0 ? `${t('report.scheduled_intro')}\n\n${text}` : text,
        ...(i === texts.length - 1 ? { buttons: reportKeyboard(t, locale, month, current, { chart: true }).inline_keyboard } : {}),
        dueAt: new Date(now.getTime() + i),
      }),
    );
  });
  await enqueue(db, messages);
  // ... and the chart, an image the outbox does not carry, is sent right away; the report's Chart button sends it again.
  const charts = new Map<Locale, ReportChart | undefined>();
  for (const person of coordinators) {
    if (person.blockedAt) continue;
    const locale = localeOf(deps, person);
    if (!charts.has(locale)) charts.set(locale, await reportChart(deps.i18n.t(locale), locale, report));
    const chart = charts.get(locale);
    if (chart) await sendChart(deps, api, person, chart);
  }
  logger.info({ month, coordinators: coordinators.length, pairs: report.pairs.length }, 'monthly report sent');
}

async function sendChart(deps: AppDeps, api: Api, person: Person, chart: ReportChart): Promise<void> {
  const chatId = Number(person.telegramId);
  const file = new InputFile(chart.png, chart.fileName);
  try {
    if (chart.asDocument) await api.sendDocument(chatId, file, { caption: chart.caption, parse_mode: 'HTML' });
    else await api.sendPhoto(chatId, file, { caption: chart.caption, parse_mode: 'HTML' });
  } catch (error) {
    if (error instanceof GrammyError && error.error_code === 403) await markBlocked(deps.db, person.telegramId, deps.clock.now());
    deps.logger.warn({ userId: String(person.telegramId), err: error }, 'monthly chart not delivered');
  }
}

// ---------------------------------------------------------------------------
// Quiet pairs

export async function runInactivityFollowUp(deps: AppDeps): Promise<void> {
  const { db, clock, config } = deps;
  const programme = await programmeOf(deps);
  const zone = programme.timeZone;
  const now = clock.now();
  if (!isDaytime(now, zone)) return;

  const pairs = (await listActivePairs(db, programme.id)).filter(
    (pair) => programmePeriodEnd(pair, programme.durationMonths, zone).getTime() > now.getTime(),
  );
  if (pairs.length === 0) return;
  const ids = pairs.map((p) => p.id);
  const [parties, lastLogs, lastSessions] = await Promise.all([pairParties(db, pairs), lastLogDates(db, ids), lastSessionStarts(db, ids)]);
  let coordinators: Person[] | undefined;

  for (const pair of pairs) {
    const who = parties.get(pair.id);
    if (!who) continue;
    const lastLog = lastLogs.get(pair.id);
    // A logged day counts until its end.
    const lastLogAt = lastLog ? DateTime.fromISO(lastLog, { zone }).plus({ days: 1 }).toJSDate() : null;
    const lastSessionAt = lastSessions.get(pair.id) ?? null;
    const state = inactivity({
      lastSessionAt,
      lastLogAt,
      pairStartedAt: pair.publishedAt,
      now,
      nudgeAfterDays: programme.inactivityDays,
      alertAfterDays: ALERT_AFTER_NUDGE_DAYS,
    });
    if (state === 'active') {
      if (pair.nudgedAt || pair.alertedAt) await clearPairInactivity(db, pair.id);
      continue;
    }
    const last = Math.max(pair.publishedAt.getTime(), lastSessionAt?.getTime() ?? 0, lastLogAt?.getTime() ?? 0);
    const days = Math.floor((now.getTime() - last) / DAY_MS);

    if (!pair.nudgedAt) {
      const day = DateTime.fromJSDate(now, { zone }).toFormat('yyyy-MM-dd');
      const messages: OutgoingMessageInput[] = [];
      if (who.mentor.person) {
        messages.push(
          message(who.mentor.person, {
            dedupeKey: `inactive-nudge:${pair.id}:${day}:person:${who.mentor.personId}`,
            kind: 'inactivity_nudge',
            template: 'nudges.inactive_mentor',
            params: { days, team: who.team.name },
            dueAt: now,
          }),
        );
      }
      for (const member of who.members) {
        messages.push(
          message(member, {
            dedupeKey: `inactive-nudge:${pair.id}:${day}:person:${member.id}`,
            kind: 'inactivity_nudge',
            template: 'nudges.inactive_team',
            params: { days, mentor: who.mentor.name },
            dueAt: now,
          }),
        );
      }
      // Queued first: if this instance stops in between, the next run queues nothing twice (same day, same keys).
      await enqueue(db, messages);
      await markPairNudged(db, pair.id, now);
      continue;
    }

    if (!pair.alertedAt && state === 'alert_coordinator' && now.getTime() - pair.nudgedAt.getTime() >= ALERT_AFTER_NUDGE_DAYS * DAY_MS) {
      coordinators ??= await listCoordinators(db, config.adminIds);
      const nudgedDay = DateTime.fromJSDate(pair.nudgedAt, { zone }).toFormat('yyyy-MM-dd');
      await enqueue(
        db,
        coordinators.map((person) =>
          message(person, {
            dedupeKey: `inactive-alert:${pair.id}:${nudgedDay}:person:${person.id}`,
            kind: 'inactivity_alert',
            template: 'nudges.inactive_alert',
            params: { team: who.team.name, mentor: who.mentor.name, days, nudged: formatLocalDate(pair.nudgedAt!, zone) },
            dueAt: now,
          }),
        ),
      );
      await markPairAlerted(db, pair.id, now);
    }
  }
}

// ---------------------------------------------------------------------------
// The end-of-programme evaluation

export async function runEvaluationInvitations(deps: AppDeps): Promise<void> {
  const { db, clock } = deps;
  const programme = await programmeOf(deps);
  const now = clock.now();
  if (!isDaytime(now, programme.timeZone)) return;

  const pairs = (await pairsForEvaluation(db, programme.id)).filter((pair) => evaluationDue(pair, programme, now));
  if (pairs.length === 0) return;
  const parties = await pairParties(db, pairs);
  const messages: OutgoingMessageInput[] = [];
  for (const pair of pairs) {
    const who = parties.get(pair.id);
    if (!who) continue;
    const recipients = [
      ...(who.mentor.person ? [{ person: who.mentor.person, partner: who.team.name }] : []),
      ...who.members.map((person) => ({ person, partner: who.mentor.name })),
    ];
    for (const { person, partner } of recipients) {
      messages.push(...(await evaluationMessages(deps, programme, pair.id, person, partner, now)));
    }
  }
  await enqueue(db, messages);
}

/** The invitation, or the reminder due now, for one person who has not submitted the evaluation. */
async function evaluationMessages(
  deps: AppDeps,
  programme: Programme,
  pairId: number,
  person: Person,
  partner: string,
  now: Date,
): Promise<OutgoingMessageInput[]> {
  const offer = await offerEvaluation(deps.db, { programmeId: programme.id, pairId, personId: person.id, at: now });
  if (offer.status === 'submitted') return [];
  const t: Translate = deps.i18n.t(localeOf(deps, person));
  // 0: the invitation; 1 and 2: the reminders a week apart (after a long outage only the latest).
  const stage = Math.min(2, Math.floor((now.getTime() - offer.offeredAt.getTime()) / (EVALUATION_REMINDER_DAYS * DAY_MS)));
  const base = `evaluation:${pairId}:person:${person.id}`;
  return [
    message(person, {
      dedupeKey: stage === 0 ? `${base}:offer` : `${base}:reminder:${stage}`,
      kind: stage === 0 ? 'evaluation_offer' : 'evaluation_reminder',
      template: stage === 0 ? 'evaluation.offer' : 'evaluation.reminder',
      params: { partner },
      // The button's text is in the person's language as it is now.
      buttons: evaluationButton(t, pairId),
      dueAt: now,
    }),
  ];
}
