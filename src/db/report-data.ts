import { DateTime } from 'luxon';
import type { Database, Person, Team } from './database.js';
import type { Pair } from './pairs.js';

/**
 * What progress reports, nudges and the end-of-programme evaluation read about pairs:
 * who is in them, their mentoring time, sessions and visits. Mentoring logs are read
 * as date, amount and activity only: the note is private to the pair and never leaves
 * this file (coordinators must not see it).
 */

// ---- pairs and the people in them ----

/** Pairs that existed at some moment between `from` (inclusive) and `to` (exclusive). */
export function pairsOverlapping(db: Database, programmeId: number, from: Date, to: Date): Promise<Pair[]> {
  return db.pair.findMany({
    where: { programmeId, publishedAt: { lt: to }, OR: [{ endedAt: null }, { endedAt: { gte: from } }] },
    orderBy: { id: 'asc' },
  });
}

/** Pairs a person belongs to, as the mentor or as a member of the mentee team. */
export async function pairsOfPerson(
  db: Database,
  programmeId: number,
  personId: number,
  statuses: readonly string[] = ['active'],
): Promise<Pair[]> {
  const [mentors, memberships] = await Promise.all([
    db.mentor.findMany({ where: { programmeId, personId }, select: { id: true } }),
    db.teamMember.findMany({ where: { personId, team: { programmeId } }, select: { teamId: true } }),
  ]);
  if (mentors.length === 0 && memberships.length === 0) return [];
  return db.pair.findMany({
    where: {
      programmeId,
      status: { in: [...statuses] },
      OR: [{ mentorId: { in: mentors.map((m) => m.id) } }, { teamId: { in: memberships.map((m) => m.teamId) } }],
    },
    orderBy: { id: 'asc' },
  });
}

/** 'mentor', 'team' or undefined when the person is not in the pair (now). */
export async function roleInPair(db: Database, pair: Pair, personId: number): Promise<'mentor' | 'team' | undefined> {
  const mentor = await db.mentor.findUnique({ where: { id: pair.mentorId }, select: { personId: true } });
  if (mentor?.personId === personId) return 'mentor';
  const member = await db.teamMember.findUnique({ where: { teamId_personId: { teamId: pair.teamId, personId } }, select: { id: true } });
  return member ? 'team' : undefined;
}

export interface PairMentor {
  mentorId: number;
  personId: number;
  person: Person | null;
  /** As written in the application, else the Telegram name. */
  name: string;
  city?: string;
  country?: string;
}

export interface PairParties {
  pair: Pair;
  mentor: PairMentor;
  team: Team;
  /** Team members who use the bot, in the order they joined. */
  members: Person[];
}

const textAnswer = (value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    return typeof parsed === 'string' && parsed.trim() !== '' ? parsed.trim() : undefined;
  } catch {
    return undefined;
  }
};

export function personName(person: Pick<Person, 'firstName' | 'lastName'>): string {
  return [person.firstName, person.lastName].filter(Boolean).join(' ');
}

/** The mentor (name and city from the application) and the team with its members, for each pair. */
export async function pairParties(db: Database, pairs: readonly Pair[]): Promise<Map<number, PairParties>> {
  if (pairs.length === 0) return new Map();
  const [mentors, teams, memberships] = await Promise.all([
    db.mentor.findMany({ where: { id: { in: [...new Set(pairs.map((p) => p.mentorId))] } } }),
    db.team.findMany({ where: { id: { in: [...new Set(pairs.map((p) => p.teamId))] } } }),
    db.teamMember.findMany({
      where: { teamId: { in: [...new Set(pairs.map((p) => p.teamId))] } },
      orderBy: [{ joinedAt: 'asc' }, { id: 'asc' }],
    }),
  ]);
  const [people, answers] = await Promise.all([
    db.person.findMany({ where: { id: { in: [...new Set([...mentors.map((m) => m.personId), ...memberships.map((m) => m.personId)])] } } }),
    db.formAnswer.findMany({
      where: { responseId: { in: mentors.map((m) => m.applicationId) }, questionId: { in: ['full_name', 'city', 'country'] } },
      select: { responseId: true, questionId: true, value: true },
    }),
  ]);
  const personById = new Map(people.map((p) => [p.id, p]));
  const teamById = new Map(teams.map((t) => [t.id, t]));
  const answersOf = (responseId: number) =>
    Object.fromEntries(answers.filter((a) => a.responseId === responseId).map((a) => [a.questionId, a.value]));
  const mentorById = new Map(
    mentors.map((m): [number, PairMentor] => {
      const person = personById.get(m.personId) ?? null;
      const application = answersOf(m.applicationId);
      return [
        m.id,
        {
          mentorId: m.id,
          personId: m.personId,
          person,
          name: textAnswer(application.full_name) ?? (person ? personName(person) : `#${m.id}`),
          city: textAnswer(application.city),
          country: textAnswer(application.country),
        },
      ];
    }),
  );
  const result = new Map<number, PairParties>();
  for (const pair of pairs) {
    const mentor = mentorById.get(pair.mentorId);
    const team = teamById.get(pair.teamId);
    if (!mentor || !team) continue;
    const members = memberships
      .filter((m) => m.teamId === team.id)
      .map((m) => personById.get(m.personId))
      .filter((p): p is Person => p !== undefined);
    result.set(pair.id, { pair, mentor, team, members });
  }
  return result;
}

// ---- mentoring time (never the note) ----

export interface LogEntry {
  pairId: number;
  mentorPersonId: number;
  /** 'YYYY-MM-DD' in the programme's time zone. */
  date: string;
  amount: number;
  activity: string;
}

/** Logs of the pairs dated between `from` and `to`, both 'YYYY-MM-DD' and inclusive. */
export function logsBetween(db: Database, pairIds: readonly number[], from: string, to: string): Promise<LogEntry[]> {
  if (pairIds.length === 0) return Promise.resolve([]);
  return db.mentoringLog.findMany({
    where: { pairId: { in: [...pairIds] }, date: { gte: from, lte: to } },
    select: { pairId: true, mentorPersonId: true, date: true, amount: true, activity: true },
    orderBy: [{ date: 'asc' }, { id: 'asc' }],
  });
}

/** The latest logged date of each pair, up to `until` ('YYYY-MM-DD', inclusive) when given. */
export async function lastLogDates(db: Database, pairIds: readonly number[], until?: string): Promise<Map<number, string>> {
  if (pairIds.length === 0) return new Map();
  const groups = await db.mentoringLog.groupBy({
    by: ['pairId'],
    where: { pairId: { in: [...pairIds] }, ...(until ? { date: { lte: until } } : {}) },
    _max: { date: true },
  });
  return new Map(groups.flatMap((g) => (g._max.date ? [[g.pairId, g._max.date] as [number, string]] : [])));
}

// ---- sessions ----

/** Sessions that did not take place do not count as activity. */
const NOT_HELD = ['cancelled', 'not_held'];

export interface SessionEntry {
  id: number;
  pairId: number;
  kind: string;
  startsAt: Date;
  durationMinutes: number;
  status: string;
}

/** The pairs' own sessions (not programme events) starting in [from, to). */
export async function sessionsBetween(db: Database, pairIds: readonly number[], from: Date, to: Date): Promise<SessionEntry[]> {
  if (pairIds.length === 0) return [];
  const rows = await db.session.findMany({
    where: { pairId: { in: [...pairIds] }, startsAt: { gte: from, lt: to } },
    select: { id: true, pairId: true, kind: true, startsAt: true, durationMinutes: true, status: true },
    orderBy: { startsAt: 'asc' },
  });
  return rows.flatMap((r) => (r.pairId === null ? [] : [{ ...r, pairId: r.pairId }]));
}

/** The latest start of a session that was not cancelled, per pair, before `before` when given (a future one counts otherwise). */
export async function lastSessionStarts(db: Database, pairIds: readonly number[], before?: Date): Promise<Map<number, Date>> {
  if (pairIds.length === 0) return new Map();
  const groups = await db.session.groupBy({
    by: ['pairId'],
    where: { pairId: { in: [...pairIds] }, status: { notIn: NOT_HELD }, ...(before ? { startsAt: { lt: before } } : {}) },
    _max: { startsAt: true },
  });
  return new Map(
    groups.flatMap((g) => (g.pairId !== null && g._max.startsAt ? [[g.pairId, g._max.startsAt] as [number, Date]] : [])),
  );
}

/**
 * A session counts as held when someone said so, or when it was planned, not
 * cancelled and is over: a planned meeting is taken to have happened unless
 * someone said it did not.
 */
export function sessionHeld(session: Pick<SessionEntry, 'status' | 'startsAt' | 'durationMinutes'>, now: Date): boolean {
  if (session.status === 'held') return true;
  return session.status === 'scheduled' && session.startsAt.getTime() + session.durationMinutes * 60_000 <= now.getTime();
}

// ---- visits ----

export interface VisitEntry {
  pairId: number;
  number: number;
  kind: string;
  city: string;
  plannedFor: string | null;
  doneOn: string | null;
}

export function visitsOf(db: Database, pairIds: readonly number[]): Promise<VisitEntry[]> {
  if (pairIds.length === 0) return Promise.resolve([]);
  return db.visit.findMany({
    where: { pairId: { in: [...pairIds] } },
    select: { pairId: true, number: true, kind: true, city: true, plannedFor: true, doneOn: true },
    orderBy: [{ pairId: 'asc' }, { number: 'asc' }],
  });
}

// ---- inactivity follow-up of a pair ----

/** Marks the pair as nudged; false when someone (another instance) already did. */
export async function markPairNudged(db: Database, pairId: number, at: Date): Promise<boolean> {
  const { count } = await db.pair.updateMany({ where: { id: pairId, nudgedAt: null }, data: { nudgedAt: at } });
  return count === 1;
}

export async function markPairAlerted(db: Database, pairId: number, at: Date): Promise<boolean> {
  const { count } = await db.pair.updateMany({ where: { id: pairId, alertedAt: null }, data: { alertedAt: at } });
  return count === 1;
}

/** The pair is working again: a later quiet spell is followed up anew. */
export async function clearPairInactivity(db: Database, pairId: number): Promise<void> {
  await db.pair.updateMany({ where: { id: pairId }, data: { nudgedAt: null, alertedAt: null } });
}

// ---- end-of-programme evaluation ----

export const EVALUATION_FORM_ID = 'programme_evaluation';

/** One evaluation per person and pair: "pair:<pairId>:person:<personId>". */
export function evaluationOwner(pairId: number, personId: number): string {
  return `pair:${pairId}:person:${personId}`;
}

export function parseEvaluationOwner(ownerKey: string): { pairId: number; personId: number } | undefined {
  const match = /^pair:(\d+):person:(\d+)$/.exec(ownerKey);
  return match ? { pairId: Number(match[1]), personId: Number(match[2]) } : undefined;
}

export interface EvaluationOffer {
  id: number;
  status: string;
  /** When the evaluation was first offered: reminders count from here. */
  offeredAt: Date;
}

/** Creates the person's (empty) evaluation when it is first offered; an existing one is returned as it is. */
export async function offerEvaluation(
  db: Database,
  offer: { programmeId: number; pairId: number; personId: number; at: Date },
): Promise<EvaluationOffer> {
  const key = { programmeId: offer.programmeId, formId: EVALUATION_FORM_ID, ownerKey: evaluationOwner(offer.pairId, offer.personId) };
  const row = await db.formResponse.upsert({
    where: { programmeId_formId_ownerKey: key },
    create: { ...key, createdAt: offer.at },
    update: {},
    select: { id: true, status: true, createdAt: true },
  });
  return { id: row.id, status: row.status, offeredAt: row.createdAt };
}

export function findEvaluation(db: Database, programmeId: number, pairId: number, personId: number) {
  return db.formResponse.findUnique({
    where: { programmeId_formId_ownerKey: { programmeId, formId: EVALUATION_FORM_ID, ownerKey: evaluationOwner(pairId, personId) } },
    select: { id: true, status: true, createdAt: true, submittedAt: true },
  });
}

export interface EvaluationRecord {
  id: number;
  pairId: number;
  personId: number;
  status: string;
  offeredAt: Date;
  submittedAt: Date | null;
  answers: Record<string, unknown>;
}

/** Every evaluation offered in the programme, with the answers given. */
export async function evaluationRecords(db: Database, programmeId: number): Promise<EvaluationRecord[]> {
  const rows = await db.formResponse.findMany({
    where: { programmeId, formId: EVALUATION_FORM_ID },
    include: { answers: { select: { questionId: true, value: true } } },
    orderBy: { id: 'asc' },
  });
  return rows.flatMap((row) => {
    const owner = parseEvaluationOwner(row.ownerKey);
    if (!owner) return [];
    return [
      {
        id: row.id,
        ...owner,
        status: row.status,
        offeredAt: row.createdAt,
        submittedAt: row.submittedAt,
        answers: Object.fromEntries(row.answers.map((a) => [a.questionId, JSON.parse(a.value) as unknown])),
      },
    ];
  });
}

// ---- time ----

/** When the pair's programme period ends: its start plus the programme's duration, in the programme's zone. */
export function programmePeriodEnd(pair: Pick<Pair, 'publishedAt'>, months: number, zone: string): Date {
  return DateTime.fromJSDate(pair.publishedAt, { zone }).plus({ months }).toJSDate();
}

/** Pairs whose mentor and team are asked for an evaluation once their period is over: active ones, and those a coordinator ended as finished. */
export function pairsForEvaluation(db: Database, programmeId: number): Promise<Pair[]> {
  return db.pair.findMany({
    where: { programmeId, OR: [{ status: 'active' }, { status: 'ended', endReason: 'finished' }] },
    orderBy: { id: 'asc' },
  });
}
