import type { Database } from './database.js';

/**
 * What /export and /stats read about a whole programme, page by page (keyset on
 * id) so that a large programme never sits in memory at once. Mentoring logs are
 * read without their note: it is private to the pair and never leaves this file.
 */

const APPLICATION_FORM = 'application';
const NEEDS_ANALYSIS_FORM = 'needs_analysis';

const after = (cursor: number | undefined) => (cursor === undefined ? {} : { id: { gt: cursor } });

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

/** Stored answers by question id; null means skipped. */
export type AnswerMap = Record<string, unknown>;

const answerMap = (answers: ReadonlyArray<{ questionId: string; value: string }>): AnswerMap =>
  Object.fromEntries(answers.map((a) => [a.questionId, parseJson(a.value)]));

export interface DecisionRecord {
  id: number;
  decision: string;
  decidedAt: Date;
  sentAt: Date | null;
  undoneAt: Date | null;
}

export interface ApplicationRecord {
  id: number;
  status: string;
  submittedAt: Date | null;
  answers: AnswerMap;
  decisions: DecisionRecord[];
}

/** Submitted and withdrawn applications (drafts are the applicants' own), with their answers and decisions. */
export async function applicationsPage(
  db: Database,
  programmeId: number,
  cursor: number | undefined,
  take: number,
  options: { answers?: boolean } = { answers: true },
): Promise<ApplicationRecord[]> {
  const responses = await db.formResponse.findMany({
    where: { programmeId, formId: APPLICATION_FORM, status: { in: ['submitted', 'withdrawn'] }, ...after(cursor) },
    select: { id: true, status: true, submittedAt: true, ...(options.answers ? { answers: { select: { questionId: true, value: true } } } : {}) },
    orderBy: { id: 'asc' },
    take,
  });
  const decisions = await db.applicationDecision.findMany({
    where: { responseId: { in: responses.map((r) => r.id) } },
    select: { id: true, responseId: true, decision: true, decidedAt: true, sentAt: true, undoneAt: true },
    orderBy: { id: 'asc' },
  });
  return responses.map((r) => ({
    id: r.id,
    status: r.status,
    submittedAt: r.submittedAt,
    answers: 'answers' in r ? answerMap(r.answers as Array<{ questionId: string; value: string }>) : {},
    decisions: decisions.filter((d) => d.responseId === r.id),
  }));
}

export async function countDraftApplications(db: Database, programmeId: number): Promise<number> {
  return db.formResponse.count({ where: { programmeId, formId: APPLICATION_FORM, status: 'draft' } });
}

export interface TeamRecord {
  id: number;
  kind: string;
  name: string;
  country: string;
  region: string | null;
  city: string | null;
  population: number | null;
  contactName: string | null;
  contactEmail: string | null;
  createdAt: Date;
  members: number;
  /** The needs analysis: its status and answers, or undefined if never started. */
  needsAnalysis: { status: string; submittedAt: Date | null; answers: AnswerMap } | undefined;
  /** Mentor id of the team's active pair. */
  activeMentorId: number | undefined;
}

export async function teamsPage(db: Database, programmeId: number, cursor: number | undefined, take: number): Promise<TeamRecord[]> {
  const teams = await db.team.findMany({
    where: { programmeId, ...after(cursor) },
    include: { _count: { select: { members: true } } },
    orderBy: { id: 'asc' },
    take,
  });
  const ids = teams.map((t) => t.id);
  const analyses = await db.formResponse.findMany({
    where: { programmeId, formId: NEEDS_ANALYSIS_FORM, ownerKey: { in: ids.map((id) => `team:${id}`) } },
    select: { ownerKey: true, status: true, submittedAt: true, answers: { select: { questionId: true, value: true } } },
  });
  const pairs = await db.pair.findMany({ where: { programmeId, status: 'active', teamId: { in: ids } }, select: { teamId: true, mentorId: true } });
  return teams.map((team) => {
    const analysis = analyses.find((a) => a.ownerKey === `team:${team.id}`);
    return {
      id: team.id,
      kind: team.kind,
      name: team.name,
      country: team.country,
      region: team.region,
      city: team.city,
      population: team.population,
      contactName: team.contactName,
      contactEmail: team.contactEmail,
      createdAt: team.createdAt,
      members: team._count.members,
      needsAnalysis: analysis ? { status: analysis.status, submittedAt: analysis.submittedAt, answers: answerMap(analysis.answers) } : undefined,
      activeMentorId: pairs.find((p) => p.teamId === team.id)?.mentorId,
    };
  });
}

/** Names of the programme's mentors (as they wrote it in their application) and teams, for other sheets. */
export async function programmeNames(db: Database, programmeId: number): Promise<{ mentors: Map<number, string>; teams: Map<number, string> }> {
  const mentors = await db.mentor.findMany({ where: { programmeId }, select: { id: true, personId: true, applicationId: true } });
  const names = await db.formAnswer.findMany({
    where: { responseId: { in: mentors.map((m) => m.applicationId) }, questionId: 'full_name' },
    select: { responseId: true, value: true },
  });
  const people = await db.person.findMany({
    where: { id: { in: mentors.map((m) => m.personId) } },
    select: { id: true, firstName: true, lastName: true },
  });
  const mentorNames = new Map<number, string>();
  for (const mentor of mentors) {
    const given = parseJson(names.find((n) => n.responseId === mentor.applicationId)?.value ?? 'null');
    const person = people.find((p) => p.id === mentor.personId);
    const fallback = person ? [person.firstName, person.lastName].filter(Boolean).join(' ') : `#${mentor.id}`;
    mentorNames.set(mentor.id, typeof given === 'string' && given.trim() ? given : fallback);
  }
  const teams = await db.team.findMany({ where: { programmeId }, select: { id: true, name: true } });
  return { mentors: mentorNames, teams: new Map(teams.map((t) => [t.id, t.name])) };
}

export function pairsPage(db: Database, programmeId: number, cursor: number | undefined, take: number) {
  return db.pair.findMany({
    where: { programmeId, ...after(cursor) },
    select: { id: true, mentorId: true, teamId: true, status: true, score: true, publishedAt: true, endedAt: true, endReason: true },
    orderBy: { id: 'asc' },
    take,
  });
}

export function sessionsPage(db: Database, programmeId: number, cursor: number | undefined, take: number) {
  return db.session.findMany({
    where: { programmeId, ...after(cursor) },
    select: { id: true, pairId: true, kind: true, startsAt: true, durationMinutes: true, place: true, status: true },
    orderBy: { id: 'asc' },
    take,
  });
}

/** Mentoring time: date, amount and activity. Never the note. */
export function mentoringLogsPage(db: Database, pairIds: number[], cursor: number | undefined, take: number) {
  return db.mentoringLog.findMany({
    where: { pairId: { in: pairIds }, ...after(cursor) },
    select: { id: true, pairId: true, date: true, amount: true, activity: true, createdAt: true },
    orderBy: { id: 'asc' },
    take,
  });
}

export async function pairIdsOf(db: Database, programmeId: number): Promise<number[]> {
  return (await db.pair.findMany({ where: { programmeId }, select: { id: true } })).map((p) => p.id);
}

export async function pairCounts(db: Database, programmeId: number): Promise<{ active: number; ended: number; mentors: number }> {
  const [active, ended, mentors] = await Promise.all([
    db.pair.count({ where: { programmeId, status: 'active' } }),
    db.pair.count({ where: { programmeId, status: 'ended' } }),
    db.mentor.count({ where: { programmeId } }),
  ]);
  return { active, ended, mentors };
}

/** Scheduled sessions starting in [from, to), soonest first. */
export function sessionsBetween(db: Database, programmeId: number, from: Date, to: Date, take: number) {
  return db.session.findMany({
    where: { programmeId, status: 'scheduled', startsAt: { gte: from, lt: to } },
    select: { id: true, pairId: true, kind: true, startsAt: true, place: true },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    take,
  });
}

export function countSessionsBetween(db: Database, programmeId: number, from: Date, to: Date) {
  return db.session.count({ where: { programmeId, status: 'scheduled', startsAt: { gte: from, lt: to } } });
}

/** Announced, not cancelled events starting in [from, to), with how many registered. */
export async function eventsBetween(db: Database, programmeId: number, from: Date, to: Date, take: number) {
  const where = { programmeId, cancelledAt: null, audience: { not: '' }, startsAt: { gte: from, lt: to } };
  const [events, total] = await Promise.all([
    db.programmeEvent.findMany({
      where,
      select: { id: true, title: true, startsAt: true, place: true, capacity: true, _count: { select: { registrations: { where: { status: 'registered' } } } } },
      orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
      take,
    }),
    db.programmeEvent.count({ where }),
  ]);
  return { events: events.map((e) => ({ ...e, registered: e._count.registrations })), total };
}

export async function pairParties(db: Database, pairIds: number[]): Promise<Map<number, { mentorId: number; teamId: number }>> {
  const pairs = await db.pair.findMany({ where: { id: { in: pairIds } }, select: { id: true, mentorId: true, teamId: true } });
  return new Map(pairs.map((p) => [p.id, { mentorId: p.mentorId, teamId: p.teamId }]));
}
