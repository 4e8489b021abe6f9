import type { Pair } from '../generated/sqlite/client.ts';
import type { Database } from './database.js';

export type { Pair };

/**
 * Reasons a coordinator can pick when ending a pair; stored in `Pair.endReason` as the
 * code itself. Anything else stored there is the coordinator's own words.
 * Labels: `pairs.end_reasons.<code>`.
 */
export const END_REASONS = ['mentor_unavailable', 'team_withdrew', 'not_a_fit', 'finished'] as const;
export type EndReason = (typeof END_REASONS)[number];

export function isEndReason(value: unknown): value is EndReason {
  return typeof value === 'string' && (END_REASONS as readonly string[]).includes(value);
}

/** The longest reason a coordinator may write. */
export const END_REASON_MAX_LENGTH = 500;

export interface NewPair {
  programmeId: number;
  mentorId: number;
  teamId: number;
  score: number;
  /** The matching reasons at the time of pairing (stored as JSON). */
  reasons: unknown;
  createdById: number;
}

export function findPair(db: Database, id: number): Promise<Pair | null> {
  return db.pair.findUnique({ where: { id } });
}

export function listActivePairs(db: Database, programmeId: number): Promise<Pair[]> {
  return db.pair.findMany({ where: { programmeId, status: 'active' }, orderBy: { id: 'asc' } });
}

/** Ended pairs, latest first. */
export function listEndedPairs(db: Database, programmeId: number, take: number): Promise<Pair[]> {
  return db.pair.findMany({ where: { programmeId, status: 'ended' }, orderBy: [{ endedAt: 'desc' }, { id: 'desc' }], take });
}

/** Every pair a team has had, oldest first. */
export function pairsOfTeam(db: Database, teamId: number): Promise<Pair[]> {
  return db.pair.findMany({ where: { teamId }, orderBy: { id: 'asc' } });
}

export function activePairOfTeam(db: Database, teamId: number): Promise<Pair | null> {
  return db.pair.findFirst({ where: { teamId, status: 'active' }, orderBy: { id: 'asc' } });
}

/** Active pairs per mentor id. */
export async function activeLoadByMentor(db: Database, programmeId: number): Promise<Map<number, number>> {
  const groups = await db.pair.groupBy({ by: ['mentorId'], where: { programmeId, status: 'active' }, _count: { _all: true } });
  return new Map(groups.map((g) => [g.mentorId, g._count._all]));
}

/** Team ids that have a mentor now. */
export async function teamsWithActivePair(db: Database, programmeId: number): Promise<Set<number>> {
  const rows = await db.pair.findMany({ where: { programmeId, status: 'active' }, select: { teamId: true } });
  return new Set(rows.map((r) => r.teamId));
}

export type PublishOutcome = { ok: true; pairs: Pair[] } | { ok: false; teamAlreadyPaired: number };

/**
 * Creates the pairs all at once, or none of them if one of the teams got a mentor in
 * the meantime (another coordinator publishing at the same moment).
 */
export async function publishPairs(db: Database, pairs: readonly NewPair[], at: Date): Promise<PublishOutcome> {
  try {
    const created = await db.$transaction(async (tx) => {
      const out: Pair[] = [];
      for (const pair of pairs) {
        const existing = await tx.pair.findFirst({ where: { teamId: pair.teamId, status: 'active' }, select: { id: true } });
        if (existing) throw new TeamAlreadyPaired(pair.teamId);
        out.push(
          await tx.pair.create({
            data: {
              programmeId: pair.programmeId,
              mentorId: pair.mentorId,
              teamId: pair.teamId,
              status: 'active',
              score: pair.score,
              reasons: JSON.stringify(pair.reasons),
              createdById: pair.createdById,
              publishedAt: at,
            },
          }),
        );
      }
      return out;
    });
    return { ok: true, pairs: created };
  } catch (error) {
    if (error instanceof TeamAlreadyPaired) return { ok: false, teamAlreadyPaired: error.teamId };
    throw error;
  }
}

class TeamAlreadyPaired extends Error {
  constructor(readonly teamId: number) {
    super(`Team ${teamId} already has an active pair`);
  }
}

/** Ends an active pair; false when it had already ended (history is never rewritten). */
export async function endPair(db: Database, pairId: number, end: { reason: string; at: Date }): Promise<boolean> {
  const { count } = await db.pair.updateMany({
    where: { id: pairId, status: 'active' },
    data: { status: 'ended', endedAt: end.at, endReason: end.reason },
  });
  return count === 1;
}

/** Ends a pair and starts the team's new one with another mentor, together; undefined if the pair had already ended. */
export async function reassignPair(
  db: Database,
  pairId: number,
  change: { reason: string; at: Date; next: NewPair },
): Promise<Pair | undefined> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.pair.updateMany({
      where: { id: pairId, status: 'active' },
      data: { status: 'ended', endedAt: change.at, endReason: change.reason },
    });
    if (count !== 1) return undefined;
    const next = change.next;
    return tx.pair.create({
      data: {
        programmeId: next.programmeId,
        mentorId: next.mentorId,
        teamId: next.teamId,
        status: 'active',
        score: next.score,
        reasons: JSON.stringify(next.reasons),
        createdById: next.createdById,
        publishedAt: change.at,
      },
    });
  });
}
