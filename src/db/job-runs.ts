import type { Database } from './database.js';

/**
 * Claims a piece of scheduled work for a period, e.g. "monthly-nudge:2026-03". Only the
 * first caller across all bot instances gets true: the row's key is unique.
 */
export async function claimJobRun(db: Database, key: string, at: Date): Promise<boolean> {
  try {
    await db.jobRun.create({ data: { key, startedAt: at } });
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') return false;
    throw error;
  }
}
