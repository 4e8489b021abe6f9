import type { Database } from './database.js';

/** Records a coordinator's action for /audit. `details` says what it was about (ids, not personal data). */
export async function recordAudit(
  db: Database,
  entry: { actorId: number; action: string; details?: Record<string, unknown>; at: Date },
): Promise<void> {
  await db.auditEntry.create({
    data: { actorId: entry.actorId, action: entry.action, details: JSON.stringify(entry.details ?? {}), createdAt: entry.at },
  });
}

export function recentAudit(db: Database, options: { take: number; beforeId?: number }) {
  return db.auditEntry.findMany({
    where: options.beforeId ? { id: { lt: options.beforeId } } : {},
    orderBy: { id: 'desc' },
    take: options.take,
  });
}

/** What audit lines name, looked up by the ids their details hold (each kind in one query). */
export interface AuditSubjects {
  teams: Map<number, string>;
  /** Mentor id → the mentor's person id. */
  mentors: Map<number, number>;
  pairs: Map<number, { mentorId: number; teamId: number }>;
  sessions: Map<number, { startsAt: Date; pairId: number | null }>;
  events: Map<number, string>;
}

export async function auditSubjects(
  db: Database,
  ids: { teams: number[]; mentors: number[]; pairs: number[]; sessions: number[]; events: number[] },
): Promise<AuditSubjects> {
  const [sessions, events] = await Promise.all([
    ids.sessions.length ? db.session.findMany({ where: { id: { in: ids.sessions } }, select: { id: true, startsAt: true, pairId: true } }) : [],
    ids.events.length ? db.programmeEvent.findMany({ where: { id: { in: ids.events } }, select: { id: true, title: true } }) : [],
  ]);
  const pairIds = [...new Set([...ids.pairs, ...sessions.flatMap((s) => (s.pairId === null ? [] : [s.pairId]))])];
  const pairs = pairIds.length ? await db.pair.findMany({ where: { id: { in: pairIds } }, select: { id: true, mentorId: true, teamId: true } }) : [];
  const teamIds = [...new Set([...ids.teams, ...pairs.map((p) => p.teamId)])];
  const mentorIds = [...new Set([...ids.mentors, ...pairs.map((p) => p.mentorId)])];
  const [teams, mentors] = await Promise.all([
    teamIds.length ? db.team.findMany({ where: { id: { in: teamIds } }, select: { id: true, name: true } }) : [],
    mentorIds.length ? db.mentor.findMany({ where: { id: { in: mentorIds } }, select: { id: true, personId: true } }) : [],
  ]);
  return {
    teams: new Map(teams.map((t) => [t.id, t.name])),
    mentors: new Map(mentors.map((m) => [m.id, m.personId])),
    pairs: new Map(pairs.map((p) => [p.id, { mentorId: p.mentorId, teamId: p.teamId }])),
    sessions: new Map(sessions.map((s) => [s.id, { startsAt: s.startsAt, pairId: s.pairId }])),
    events: new Map(events.map((e) => [e.id, e.title])),
  };
}
