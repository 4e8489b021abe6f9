import type { Database } from './database.js';

/**
 * The step of /log a mentor was last shown (one row per person). The choices themselves
 * travel in the buttons; this only lets a typed message in between be answered with the
 * step again instead of "not understood".
 */
export type LogStep =
  | { step: 'pair'; date?: string }
  | { step: 'date'; pairId: number }
  | { step: 'amount'; pairId: number; date: string }
  | { step: 'activity'; pairId: number; date: string; amount: string };

export async function noteLogStep(db: Database, personId: number, step: LogStep, at: Date): Promise<void> {
  const data = { step: JSON.stringify(step), updatedAt: at };
  await db.mentoringLogStep.upsert({ where: { personId }, create: { personId, ...data }, update: data });
}

/** The step shown since `since`, if the mentor has not finished or left it. */
export async function currentLogStep(db: Database, personId: number, since: Date): Promise<LogStep | undefined> {
  const row = await db.mentoringLogStep.findUnique({ where: { personId } });
  if (!row || row.updatedAt < since) return undefined;
  try {
    return JSON.parse(row.step) as LogStep;
  } catch {
    return undefined;
  }
}

/** True when the mentor was at a step of /log. */
export async function forgetLogStep(db: Database, personId: number): Promise<boolean> {
  const { count } = await db.mentoringLogStep.deleteMany({ where: { personId } });
  return count > 0;
}
