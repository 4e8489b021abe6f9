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
