import type { Database } from './database.js';

/** The handbook's limit for a local support network. */
export const MAX_STAKEHOLDERS = 10;

export function listStakeholders(db: Database, teamId: number) {
  return db.stakeholder.findMany({ where: { teamId }, orderBy: { id: 'asc' } });
}

export function findStakeholder(db: Database, teamId: number, id: number) {
  return db.stakeholder.findFirst({ where: { id, teamId } });
}

export function countStakeholders(db: Database, teamId: number): Promise<number> {
  return db.stakeholder.count({ where: { teamId } });
}

/** Adds one unless the team already has the maximum; returns false when refused. */
export async function addStakeholder(
  db: Database,
  stakeholder: { teamId: number; name: string; organisation: string; role: string; addedById: number },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if ((await tx.stakeholder.count({ where: { teamId: stakeholder.teamId } })) >= MAX_STAKEHOLDERS) return false;
    await tx.stakeholder.create({ data: stakeholder });
    return true;
  });
}

export async function removeStakeholder(db: Database, teamId: number, id: number): Promise<boolean> {
  const { count } = await db.stakeholder.deleteMany({ where: { id, teamId } });
  return count > 0;
}
