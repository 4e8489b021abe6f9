import type { MentoringLog, Pair, Team } from '../generated/sqlite/client.ts';
import type { MentoringActivity } from '../domain/progress.js';
import type { Database, Person } from './database.js';

/**
 * Mentoring time mentors log, and who belongs to a pair. A log's note is private to
 * the pair (the mentor and the team's members): mentoring is confidential, so the
 * functions meant for coordinators and reports never select it.
 */

export const MENTORING_ACTIVITIES = ['online_session', 'visit', 'preparation', 'programme_event', 'other'] as const satisfies readonly MentoringActivity[];

export function isMentoringActivity(value: unknown): value is MentoringActivity {
  return typeof value === 'string' && (MENTORING_ACTIVITIES as readonly string[]).includes(value);
}

export const MAX_NOTE_LENGTH = 1000;

/** A log as a coordinator or a report may see it: when, how much and what, never the note. */
export interface LogSummary {
  id: number;
  pairId: number;
  date: string;
  amount: number;
  activity: string;
  createdAt: Date;
}

/** A log as the pair sees it. An empty note means the mentor chose to add none. */
export type LogWithNote = LogSummary & { note: string | null };

const SUMMARY = { id: true, pairId: true, date: true, amount: true, activity: true, createdAt: true } as const;

export interface NewLog {
  pairId: number;
  mentorPersonId: number;
  /** YYYY-MM-DD in the programme's time zone. */
  date: string;
  amount: 0.5 | 1;
  activity: MentoringActivity;
  /** The session the time was spent in, when it is logged from one. */
  sessionId?: number;
  at: Date;
}

export function createLog(db: Database, log: NewLog): Promise<LogSummary> {
  return db.mentoringLog.create({
    data: {
      pairId: log.pairId,
      mentorPersonId: log.mentorPersonId,
      date: log.date,
      amount: log.amount,
      activity: log.activity,
      sessionId: log.sessionId ?? null,
      createdAt: log.at,
    },
    select: SUMMARY,
  });
}

/** Days already logged for the pair on a date (all entries together). */
export async function daysLoggedOn(db: Database, pairId: number, date: string): Promise<number> {
  const result = await db.mentoringLog.aggregate({ where: { pairId, date }, _sum: { amount: true } });
  return result._sum.amount ?? 0;
}

/** The same entry saved moments ago: a second tap on the same button. */
export function findJustLogged(db: Database, log: Omit<NewLog, 'at' | 'sessionId'>, since: Date): Promise<LogSummary | null> {
  return db.mentoringLog.findFirst({
    where: { pairId: log.pairId, mentorPersonId: log.mentorPersonId, date: log.date, amount: log.amount, activity: log.activity, createdAt: { gte: since } },
    select: SUMMARY,
  });
}

/** The mentor's own log entry (with what they need to manage it), or null. */
export function findOwnLog(db: Database, id: number, mentorPersonId: number): Promise<(LogSummary & { hasNote: boolean }) | null> {
  return db.mentoringLog
    .findFirst({ where: { id, mentorPersonId }, select: { ...SUMMARY, note: true } })
    .then((row) => (row ? { id: row.id, pairId: row.pairId, date: row.date, amount: row.amount, activity: row.activity, createdAt: row.createdAt, hasNote: row.note !== null } : null));
}

/** The mentor's latest entry still waiting for its note, if saved after `since`. */
export function logAwaitingNote(db: Database, mentorPersonId: number, since: Date): Promise<LogSummary | null> {
  return db.mentoringLog.findFirst({
    where: { mentorPersonId, createdAt: { gte: since } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { ...SUMMARY, note: true },
  }).then((row) => {
    if (!row || row.note !== null) return null;
    const { note: _note, ...summary } = row;
    return summary;
  });
}

/** Sets the note of the mentor's own entry once; '' records that they chose none. */
export async function setNote(db: Database, id: number, mentorPersonId: number, note: string): Promise<boolean> {
  const { count } = await db.mentoringLog.updateMany({ where: { id, mentorPersonId, note: null }, data: { note } });
  return count === 1;
}

export async function deleteOwnLog(db: Database, id: number, mentorPersonId: number): Promise<boolean> {
  const { count } = await db.mentoringLog.deleteMany({ where: { id, mentorPersonId } });
  return count === 1;
}

/** For the pair only (its mentor and team members): every entry with its note, newest first. */
export function listPairLogsWithNotes(db: Database, pairId: number): Promise<LogWithNote[]> {
  return db.mentoringLog.findMany({
    where: { pairId },
    orderBy: [{ date: 'desc' }, { id: 'desc' }],
    select: { ...SUMMARY, note: true },
  });
}

/** For coordinators and reports: dates, amounts and activities of a pair's entries, newest first, never notes. */
export function listLogSummaries(db: Database, pairId: number): Promise<LogSummary[]> {
  return db.mentoringLog.findMany({ where: { pairId }, orderBy: [{ date: 'desc' }, { id: 'desc' }], select: SUMMARY });
}

/** For reports across pairs: as listLogSummaries, for many pairs at once. */
export function logSummariesOfPairs(db: Database, pairIds: readonly number[]): Promise<LogSummary[]> {
  return db.mentoringLog.findMany({ where: { pairId: { in: [...pairIds] } }, orderBy: [{ pairId: 'asc' }, { date: 'asc' }, { id: 'asc' }], select: SUMMARY });
}

/** When the pair last logged anything (by the log's creation time), for inactivity follow-up. */
export async function lastLogAt(db: Database, pairId: number): Promise<Date | null> {
  const row = await db.mentoringLog.findFirst({ where: { pairId }, orderBy: { createdAt: 'desc' }, select: { createdAt: true } });
  return row?.createdAt ?? null;
}

export type { MentoringLog };

// ---------------------------------------------------------------------------
// Who belongs to a pair: they, and only they, read its notes.

export interface PairPeople {
  pair: Pair;
  mentor: Person | null;
  team: Team | null;
  members: Person[];
}

export async function pairPeople(db: Database, pair: Pair): Promise<PairPeople> {
  const [mentorRow, team, memberships] = await Promise.all([
    db.mentor.findUnique({ where: { id: pair.mentorId } }),
    db.team.findUnique({ where: { id: pair.teamId } }),
    db.teamMember.findMany({ where: { teamId: pair.teamId }, orderBy: { joinedAt: 'asc' } }),
  ]);
  const people = await db.person.findMany({
    where: { id: { in: [...memberships.map((m) => m.personId), ...(mentorRow ? [mentorRow.personId] : [])] } },
  });
  const byId = new Map(people.map((p) => [p.id, p]));
  return {
    pair,
    mentor: mentorRow ? (byId.get(mentorRow.personId) ?? null) : null,
    team,
    members: memberships.flatMap((m) => byId.get(m.personId) ?? []),
  };
}

/** How a person belongs to a pair: its mentor, a member of its team, or not at all. */
export async function pairMembership(db: Database, pair: Pair, personId: number): Promise<'mentor' | 'member' | undefined> {
  const mentor = await db.mentor.findUnique({ where: { id: pair.mentorId }, select: { personId: true } });
  if (mentor?.personId === personId) return 'mentor';
  const member = await db.teamMember.findUnique({ where: { teamId_personId: { teamId: pair.teamId, personId } }, select: { id: true } });
  return member ? 'member' : undefined;
}

/** The pairs a person takes part in within a programme: as mentor or as a team member; active ones first, then the latest. */
export async function pairsOfPerson(db: Database, programmeId: number, personId: number): Promise<Pair[]> {
  const [mentor, memberships] = await Promise.all([
    db.mentor.findUnique({ where: { programmeId_personId: { programmeId, personId } }, select: { id: true } }),
    db.teamMember.findMany({ where: { personId, team: { programmeId } }, select: { teamId: true } }),
  ]);
  const or = [...(mentor ? [{ mentorId: mentor.id }] : []), ...(memberships.length > 0 ? [{ teamId: { in: memberships.map((m) => m.teamId) } }] : [])];
  if (or.length === 0) return [];
  const pairs = await db.pair.findMany({ where: { programmeId, OR: or }, orderBy: { id: 'desc' } });
  return [...pairs.filter((p) => p.status === 'active').sort((a, b) => a.id - b.id), ...pairs.filter((p) => p.status !== 'active')];
}

/** The mentor's active pairs, oldest first. */
export function activePairsOfMentor(db: Database, mentorId: number): Promise<Pair[]> {
  return db.pair.findMany({ where: { mentorId, status: 'active' }, orderBy: { id: 'asc' } });
}

/** "Mentor ↔ Team" labels for pairs, by pair id. */
export async function pairLabels(db: Database, pairs: readonly Pair[]): Promise<Map<number, { mentor: string; team: string }>> {
  const [mentors, teams] = await Promise.all([
    db.mentor.findMany({ where: { id: { in: pairs.map((p) => p.mentorId) } }, select: { id: true, personId: true } }),
    db.team.findMany({ where: { id: { in: pairs.map((p) => p.teamId) } }, select: { id: true, name: true } }),
  ]);
  const people = await db.person.findMany({ where: { id: { in: mentors.map((m) => m.personId) } }, select: { id: true, firstName: true, lastName: true } });
  const personById = new Map(people.map((p) => [p.id, p]));
  const mentorName = new Map(
    mentors.map((m) => {
      const p = personById.get(m.personId);
      return [m.id, p ? [p.firstName, p.lastName].filter(Boolean).join(' ') : '?'];
    }),
  );
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  return new Map(pairs.map((p) => [p.id, { mentor: mentorName.get(p.mentorId) ?? '?', team: teamName.get(p.teamId) ?? '?' }]));
}
