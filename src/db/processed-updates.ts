import type { Database } from './database.js';
import { directSql, sql } from './direct-sql.js';

/**
 * Records an update as handled. Returns false when it was already recorded: Telegram
 * delivered it twice (to this instance after a restart, or to two instances).
 */
export async function claimUpdate(db: Database, updateId: number, at: Date): Promise<boolean> {
  // One insert that says whether it inserted: no row to return, no error to catch for a duplicate.
  const inserted = await directSql(db).execute(sql`INSERT INTO "ProcessedUpdate" ("updateId", "handledAt") VALUES (${BigInt(updateId)}, ${at})
    ON CONFLICT ("updateId") DO NOTHING`);
  return inserted === 1;
}

/** Telegram keeps undelivered updates for 24 hours; a week of history is plenty. */
export async function forgetProcessedUpdates(db: Database, before: Date): Promise<number> {
  const { count } = await db.processedUpdate.deleteMany({ where: { handledAt: { lt: before } } });
  return count;
}
