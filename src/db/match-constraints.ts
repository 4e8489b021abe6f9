import type { MatchConstraint } from '../generated/sqlite/client.ts';
import type { MatchingWeights } from '../domain/matching.js';
import type { Database } from './database.js';

export type { MatchConstraint };

/** "pin": always pair this mentor with this team; "forbid": never. */
export type ConstraintKind = 'pin' | 'forbid';

export function isConstraintKind(value: unknown): value is ConstraintKind {
  return value === 'pin' || value === 'forbid';
}

export function listConstraints(db: Database, programmeId: number): Promise<MatchConstraint[]> {
  return db.matchConstraint.findMany({ where: { programmeId }, orderBy: { id: 'asc' } });
}

export function findConstraint(db: Database, programmeId: number, mentorId: number, teamId: number): Promise<MatchConstraint | null> {
  return db.matchConstraint.findUnique({ where: { programmeId_mentorId_teamId: { programmeId, mentorId, teamId } } });
}

/**
 * Pins or forbids a pair; a pair has one constraint, so this replaces the other kind.
 * A team has at most one pinned mentor: pinning another replaces the earlier pin,
 * which is returned so the coordinator can be told.
 */
export async function setConstraint(
  db: Database,
  constraint: { programmeId: number; mentorId: number; teamId: number; kind: ConstraintKind; createdById: number; at: Date },
): Promise<{ replacedPins: MatchConstraint[] }> {
  const { programmeId, mentorId, teamId, kind, createdById, at } = constraint;
  return db.$transaction(async (tx) => {
    const replacedPins =
      kind === 'pin'
        ? await tx.matchConstraint.findMany({ where: { programmeId, teamId, kind: 'pin', mentorId: { not: mentorId } } })
        : [];
    if (replacedPins.length > 0) await tx.matchConstraint.deleteMany({ where: { id: { in: replacedPins.map((c) => c.id) } } });
    await tx.matchConstraint.upsert({
      where: { programmeId_mentorId_teamId: { programmeId, mentorId, teamId } },
      create: { programmeId, mentorId, teamId, kind, createdById, createdAt: at },
      update: { kind, createdById, createdAt: at },
    });
    return { replacedPins };
  });
}

/** Removes the constraint of this kind on the pair; false when there was none. */
export async function removeConstraint(
  db: Database,
  key: { programmeId: number; mentorId: number; teamId: number; kind: ConstraintKind },
): Promise<boolean> {
  const { count } = await db.matchConstraint.deleteMany({ where: key });
  return count > 0;
}

/** Pins that are done with: their pair has been published. */
export async function removePins(db: Database, programmeId: number, pairs: ReadonlyArray<{ mentorId: number; teamId: number }>): Promise<void> {
  if (pairs.length === 0) return;
  await db.matchConstraint.deleteMany({
    where: { programmeId, kind: 'pin', OR: pairs.map(({ mentorId, teamId }) => ({ mentorId, teamId })) },
  });
}

/**
 * The programme's matching weights live with the coordinators' other matching
 * settings; null goes back to the defaults of src/domain/matching.ts.
 */
export async function saveMatchingWeights(db: Database, programmeId: number, weights: MatchingWeights | null): Promise<void> {
  await db.programme.update({ where: { id: programmeId }, data: { matchingWeights: weights ? JSON.stringify(weights) : null } });
}

/** Mentors a coordinator ruled out for this team. */
export async function forbiddenMentorsOf(db: Database, programmeId: number, teamId: number): Promise<number[]> {
  const rows = await db.matchConstraint.findMany({ where: { programmeId, teamId, kind: 'forbid' }, select: { mentorId: true } });
  return rows.map((r) => r.mentorId);
}
