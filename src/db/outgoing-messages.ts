import type { DatabaseProvider } from './database-url.js';
import type { Database, Person } from './database.js';
import type { OutgoingMessage } from '../generated/sqlite/client.ts';

export type { OutgoingMessage };

/** The columns of a new outbox row (see src/outbox/outbox.ts for what they mean). */
export interface OutgoingRowData {
  dedupeKey: string;
  kind: string;
  personId: number;
  chatId: bigint;
  template: string | null;
  params: string | null;
  text: string | null;
  attachment: string | null;
  buttons: string | null;
  dueAt: Date;
  expiresAt: Date | null;
  broadcastId: number | null;
  sessionId: number | null;
  eventId: number | null;
  status: string;
  error?: string;
}

type Store = Pick<Database, 'outgoingMessage'>;

export async function existingDedupeKeys(store: Store, keys: string[]): Promise<Set<string>> {
  const rows = await store.outgoingMessage.findMany({ where: { dedupeKey: { in: keys } }, select: { dedupeKey: true } });
  return new Set(rows.map((r) => r.dedupeKey));
}

export async function insertOutgoing(store: Store, rows: OutgoingRowData[]): Promise<number> {
  return (await store.outgoingMessage.createMany({ data: rows })).count;
}

export async function insertOutgoingOne(store: Store, row: OutgoingRowData): Promise<void> {
  await store.outgoingMessage.create({ data: row });
}

/**
 * Takes up to `limit` due messages for this instance in one statement, so two
 * instances never take the same row. PostgreSQL skips rows another instance is
 * taking at this moment; SQLite has a single writer, so the statement is atomic there.
 * On PostgreSQL the rows are chosen in a CTE: written as `id IN (SELECT … LIMIT n
 * FOR UPDATE SKIP LOCKED)` the planner may run the sub-select once per row of a
 * nested-loop semi-join and take far more than n rows; a locking CTE runs once.
 */
export async function claimDueMessages(
  db: Database,
  provider: DatabaseProvider,
  claim: { instanceId: string; now: Date; limit: number },
): Promise<OutgoingMessage[]> {
  const sql =
    provider === 'postgresql'
      ? `WITH due AS (
           SELECT id FROM "OutgoingMessage" WHERE status = 'pending' AND "dueAt" <= $3
           ORDER BY "dueAt", id LIMIT $4 FOR UPDATE SKIP LOCKED)
         UPDATE "OutgoingMessage" AS m SET status = 'sending', "claimedBy" = $1, "claimedAt" = $2
         FROM due WHERE m.id = due.id
         RETURNING m.id`
      : `UPDATE "OutgoingMessage" SET status = 'sending', "claimedBy" = ?, "claimedAt" = ?
         WHERE status = 'pending' AND id IN (
           SELECT id FROM "OutgoingMessage" WHERE status = 'pending' AND "dueAt" <= ?
           ORDER BY "dueAt", id LIMIT ?)
         RETURNING id`;
  const claimed = await db.$queryRawUnsafe<Array<{ id: number | bigint }>>(sql, claim.instanceId, claim.now, claim.now, claim.limit);
  if (claimed.length === 0) return [];
  return db.outgoingMessage.findMany({
    where: { id: { in: claimed.map((r) => Number(r.id)) }, claimedBy: claim.instanceId },
    orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
  });
}

/**
 * Messages claimed longer ago than the lease by an instance that never finished
 * them: it stopped mid-send, so whether Telegram got them is unknown. They become
 * 'uncertain' and are never sent again. Returns them for the log.
 */
export async function markAbandonedUncertain(db: Database, claimedBefore: Date): Promise<OutgoingMessage[]> {
  const stale = await db.outgoingMessage.findMany({ where: { status: 'sending', claimedAt: { lt: claimedBefore } } });
  if (stale.length === 0) return [];
  await db.outgoingMessage.updateMany({
    where: { id: { in: stale.map((m) => m.id) }, status: 'sending', claimedAt: { lt: claimedBefore } },
    data: { status: 'uncertain', error: 'the sending instance stopped before finishing' },
  });
  return stale;
}

/** Pending messages past their expiry are dropped rather than sent late. Returns them for the log. */
export async function dropExpired(db: Database, now: Date): Promise<OutgoingMessage[]> {
  const expired = await db.outgoingMessage.findMany({ where: { status: 'pending', expiresAt: { lte: now } }, take: 1000 });
  if (expired.length === 0) return [];
  await db.outgoingMessage.updateMany({
    where: { id: { in: expired.map((m) => m.id) }, status: 'pending' },
    data: { status: 'dropped', error: 'expired before it could be sent' },
  });
  return expired;
}

/** Finishes a claimed message. Only the instance holding the claim changes it. */
async function finish(
  db: Database,
  message: Pick<OutgoingMessage, 'id' | 'claimedBy'>,
  data: { status: 'sent' | 'blocked' | 'failed' | 'dropped'; at: Date; error?: string; attempts?: number },
): Promise<void> {
  await db.outgoingMessage.updateMany({
    // 'uncertain' too: another instance may have given up on a slow send that did finish.
    where: { id: message.id, claimedBy: message.claimedBy, status: { in: ['sending', 'uncertain'] } },
    data: {
      status: data.status,
      ...(data.status === 'sent' ? { sentAt: data.at, error: null } : { error: data.error ?? null }),
      ...(data.attempts !== undefined ? { attempts: data.attempts } : {}),
    },
  });
}

export const markSent = (db: Database, message: OutgoingMessage, at: Date) => finish(db, message, { status: 'sent', at });

export const markBlockedMessage = (db: Database, message: OutgoingMessage, at: Date, error: string) =>
  finish(db, message, { status: 'blocked', at, error });

export const markFailed = (db: Database, message: OutgoingMessage, at: Date, error: string, attempts: number) =>
  finish(db, message, { status: 'failed', at, error, attempts });

export const markDropped = (db: Database, message: OutgoingMessage, at: Date, error: string) =>
  finish(db, message, { status: 'dropped', at, error });

/** Gives claimed messages back to the queue (not sent: stopping, paused by Telegram, or a retry later). */
export async function releaseMessages(
  db: Database,
  messages: ReadonlyArray<Pick<OutgoingMessage, 'id' | 'claimedBy'>>,
  retry?: { dueAt: Date; attempts: number; error: string },
): Promise<void> {
  if (messages.length === 0) return;
  const claimedBy = messages[0]!.claimedBy;
  await db.outgoingMessage.updateMany({
    where: { id: { in: messages.map((m) => m.id) }, claimedBy, status: { in: ['sending', 'uncertain'] } },
    data: {
      status: 'pending',
      claimedBy: null,
      claimedAt: null,
      ...(retry ? { dueAt: retry.dueAt, attempts: retry.attempts, error: retry.error } : {}),
    },
  });
}

export function countByStatus(db: Database, where: { broadcastId: number }) {
  return db.outgoingMessage.groupBy({ by: ['status'], where, _count: { _all: true } });
}

/** The people a batch goes to, for their language and whether they blocked the bot. */
export function recipientsOf(db: Database, personIds: number[]): Promise<Person[]> {
  return db.person.findMany({ where: { id: { in: [...new Set(personIds)] } } });
}
