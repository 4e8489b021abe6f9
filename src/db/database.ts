import type { PrismaClient as SqliteClient } from '../generated/sqlite/client.ts';
import { createAdapterFactory } from './adapter.js';
import type { DatabaseLocation } from './database-url.js';
import { registerDirectSql, sharedConnection } from './direct-sql.js';
import { migrateInChildProcess } from './migrate-in-child.js';

/**
 * The Prisma client. Both generated clients share one schema and so one API;
 * code is typed against the SQLite one, which is the default store.
 */
export type Database = SqliteClient;
export type { Person, Programme, Team } from '../generated/sqlite/client.ts';

export interface OpenDatabaseOptions {
  /** Apply pending migrations (in a child process) before returning; the bot does this at every start. */
  migrate?: boolean;
}

export async function openDatabase(location: DatabaseLocation, options: OpenDatabaseOptions = {}): Promise<Database> {
  if (options.migrate) await migrateInChildProcess(location);
  // The client and the hot path's plain SQL (direct-sql.ts) share one connection.
  const connection = sharedConnection(await createAdapterFactory(location));
  const adapter = connection.factory;
  // Only the configured database's client is loaded: each one is a large module.
  if (location.provider === 'postgresql') {
    const { PrismaClient } = await import('../generated/postgresql/client.ts');
    const db = new PrismaClient({ adapter }) as unknown as Database;
    registerDirectSql(db, connection.connect, 'postgresql');
    return db;
  }
  const { PrismaClient } = await import('../generated/sqlite/client.ts');
  const db = new PrismaClient({ adapter });
  registerDirectSql(db, connection.connect, 'sqlite');
  // WAL lets readers go on while one chat's answer is written; it stays set in the file.
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  return db;
}
