import type { Database } from './database.js';

/**
 * Records an update as handled. Returns false when it was already recorded: Telegram
 * delivered it twice (to this instance after a restart, or to two instances).
 */
export async function claimUpdate(db: Database, updateId: number, at: Date): Promise<boolean> {
  try {
    await db.processedUpdate.create({ data: { updateId: BigInt(updateId), handledAt: at } });
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') return false;
    throw error;
  }
}

/** Telegram keeps undelivered updates for 24 hours; a week of history is plenty. */
export async function forgetProcessedUpdates(db: Database, before: Date): Promise<number> {
  const { count } = await db.processedUpdate.deleteMany({ where: { handledAt: { lt: before } } });
  return count;
}
