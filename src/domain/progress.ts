import { DateTime } from 'luxon';
import { addMonths, monthKey, parseLocalDate, previousMonth, type MonthKey } from './time-zone.js';

export type MentoringActivity = 'online_session' | 'visit' | 'preparation' | 'programme_event' | 'other';

export interface MentoringLog {
  /** Local calendar date, 'YYYY-MM-DD'. */
  date: string;
  /** Working days: half or whole. */
  amount: 0.5 | 1;
  activity: MentoringActivity;
}

export interface ProgrammeShape {
  /** First day of the programme, 'YYYY-MM-DD'. */
  start: string;
  months?: number;
  targetDaysPerMonth?: number;
}

export interface MonthProgress {
  month: MonthKey;
  days: number;
  target: number;
  met: boolean;
  byActivity: Partial<Record<MentoringActivity, number>>;
}

export interface ProgrammeProgress {
  months: MonthProgress[];
  totals: { days: number; target: number; monthsMet: number };
  /** Days logged before the start or after the last programme month; shown, not counted. */
  outsideProgrammeDays: number;
}

/** Cities4Cities: about 2 working days a month with one community for six months. */
export const DEFAULT_PROGRAMME_MONTHS = 6;
export const DEFAULT_TARGET_DAYS_PER_MONTH = 2;

function requireDate(text: string, what: string): string {
  const d = parseLocalDate(text);
  if (!d || d !== text) throw new RangeError(`Invalid ${what}: ${text}`);
  return d;
}

/**
 * Days per programme month, where programme months are the calendar months from
 * the start date's month onwards (so they line up with the monthly nudge and the
 * coordinator's monthly view); the first month counts from the start date and
 * its target is not prorated.
 * Several logs on one date add up to at most 1 day: it is one working day, however
 * it was split between preparation, a session and so on (byActivity keeps the raw split).
 */
export function monthlyProgress(logs: readonly MentoringLog[], shape: ProgrammeShape): ProgrammeProgress {
  const start = requireDate(shape.start, 'programme start');
  const count = shape.months ?? DEFAULT_PROGRAMME_MONTHS;
  const target = shape.targetDaysPerMonth ?? DEFAULT_TARGET_DAYS_PER_MONTH;
  const firstMonth = start.slice(0, 7);
  const keys = Array.from({ length: count }, (_, i) => addMonths(firstMonth, i));
  const lastMonth = keys[keys.length - 1];

  const perDate = new Map<string, number>();
  const activity = new Map<MonthKey, Partial<Record<MentoringActivity, number>>>();
  let outside = 0;
  for (const log of logs) {
    const date = requireDate(log.date, 'log date');
    const month = date.slice(0, 7);
    if (date < start || lastMonth === undefined || month > lastMonth) {
      outside += log.amount;
      continue;
    }
    perDate.set(date, (perDate.get(date) ?? 0) + log.amount);
    const acts = activity.get(month) ?? {};
    acts[log.activity] = (acts[log.activity] ?? 0) + log.amount;
    activity.set(month, acts);
  }

  const days = new Map<MonthKey, number>();
  for (const [date, amount] of perDate) {
    const month = date.slice(0, 7);
    days.set(month, (days.get(month) ?? 0) + Math.min(1, amount));
  }

  const months = keys.map((month) => {
    const d = days.get(month) ?? 0;
    return { month, days: d, target, met: d >= target, byActivity: activity.get(month) ?? {} };
  });
  return {
    months,
    totals: {
      days: months.reduce((s, m) => s + m.days, 0),
      target: target * count,
      monthsMet: months.filter((m) => m.met).length,
    },
    outsideProgrammeDays: outside,
  };
}

export type VisitKind = 'mentee_city' | 'mentor_city';

export interface Visit {
  number: 1 | 2 | 3;
  /** 'YYYY-MM-DD' */
  plannedFor?: string;
  /** 'YYYY-MM-DD' */
  doneOn?: string;
  city: string;
  kind: VisitKind;
}

/**
 * IncluCities handbook: (1) at the mentee city — situation analysis, first draft;
 * (2) at the mentor city — inspiration, good practice; (3) at the mentee city —
 * consolidating and presenting the action plan.
 */
export const HANDBOOK_VISITS: ReadonlyArray<{ number: 1 | 2 | 3; kind: VisitKind }> = [
  { number: 1, kind: 'mentee_city' },
  { number: 2, kind: 'mentor_city' },
  { number: 3, kind: 'mentee_city' },
];

export interface VisitSlot {
  number: 1 | 2 | 3;
  expectedKind: VisitKind;
  status: 'missing' | 'planned' | 'done';
  visit?: Visit;
  /** False when the recorded visit took place somewhere other than the handbook says. */
  kindMatches: boolean;
}

export interface VisitSummary {
  slots: VisitSlot[];
  planned: number;
  done: number;
  /** Cities4Cities asks for at least one trip to the community: any done visit in the mentee city. */
  tripToTeamDone: boolean;
}

export function visitSummary(visits: readonly Visit[]): VisitSummary {
  const slots = HANDBOOK_VISITS.map(({ number, kind }): VisitSlot => {
    const candidates = visits.filter((v) => v.number === number);
    // A done record wins over a plan, e.g. when a plan was kept after the visit.
    const visit = candidates.find((v) => v.doneOn) ?? candidates.find((v) => v.plannedFor) ?? candidates[0];
    const status = visit?.doneOn ? 'done' : visit?.plannedFor ? 'planned' : 'missing';
    return { number, expectedKind: kind, status, visit, kindMatches: visit ? visit.kind === kind : true };
  });
  return {
    slots,
    planned: slots.filter((s) => s.status === 'planned').length,
    done: slots.filter((s) => s.status === 'done').length,
    tripToTeamDone: visits.some((v) => v.doneOn && v.kind === 'mentee_city'),
  };
}

export type InactivityState = 'active' | 'nudge' | 'alert_coordinator';

export interface InactivityInput {
  lastSessionAt?: Date | null;
  lastLogAt?: Date | null;
  pairStartedAt: Date;
  now: Date;
  nudgeAfterDays?: number;
  /** Days after the nudge threshold before the coordinator hears about it. */
  alertAfterDays?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Idle time counts from the latest of the last session, the last log and the
 * pair's start (a new pair is not idle). A session scheduled in the future keeps
 * the pair active. Days are 24-hour spans; an hour of DST does not matter here.
 * The coordinator only learns that a pair is quiet, never what was said:
 * mentoring is confidential.
 */
export function inactivity(input: InactivityInput): InactivityState {
  const nudgeAfter = (input.nudgeAfterDays ?? 30) * DAY_MS;
  const alertAfter = nudgeAfter + (input.alertAfterDays ?? 7) * DAY_MS;
  const last = Math.max(
    input.pairStartedAt.getTime(),
    input.lastSessionAt?.getTime() ?? Number.NEGATIVE_INFINITY,
    input.lastLogAt?.getTime() ?? Number.NEGATIVE_INFINITY,
  );
  const idle = input.now.getTime() - last;
  if (idle >= alertAfter) return 'alert_coordinator';
  if (idle >= nudgeAfter) return 'nudge';
  return 'active';
}

/** Mentors who logged nothing in `month` ('YYYY-MM'), in input order. */
export function mentorsToNudgeForMonth<T extends { logs: ReadonlyArray<Pick<MentoringLog, 'date'>> }>(
  mentors: readonly T[],
  month: MonthKey,
): T[] {
  return mentors.filter((m) => !m.logs.some((l) => l.date.slice(0, 7) === month));
}

export const MONTHLY_NUDGE_DAY = 1;
export const MONTHLY_NUDGE_HOUR = 10;

/**
 * The month to remind mentors to log, or undefined. From 10:00 local on the 1st,
 * the previous month is due until it has been sent (`lastSentMonth`), so a bot
 * restarted after 10:00 still sends exactly once. Before 10:00 on the 1st the
 * month before that is the one due. Only the latest due month is ever returned:
 * after a long outage an old nudge is not worth sending.
 */
export function monthlyNudgeDue(now: Date, zone: string, lastSentMonth?: MonthKey | null): MonthKey | undefined {
  const local = DateTime.fromJSDate(now, { zone });
  const current = monthKey(now, zone);
  const nudgeAt = local.startOf('month').set({ day: MONTHLY_NUDGE_DAY, hour: MONTHLY_NUDGE_HOUR });
  const due = local >= nudgeAt ? previousMonth(current) : addMonths(current, -2);
  if (lastSentMonth && lastSentMonth >= due) return undefined;
  return due;
}
