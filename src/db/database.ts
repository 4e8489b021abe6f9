import { PrismaClient as SqliteClient } from '../generated/sqlite/client.ts';
import { PrismaClient as PostgresqlClient } from '../generated/postgresql/client.ts';
import { createAdapterFactory } from './adapter.js';
import type { DatabaseLocation } from './database-url.js';
import { applyMigrations } from './migrations.js';

/**
 * The Prisma client. Both generated clients share one schema and so one API;
 * code is typed against the SQLite one, which is the default store.
 */
export type Database = SqliteClient;
export type { Person, Programme, Team } from '../generated/sqlite/client.ts';

export interface OpenDatabaseOptions {
  /** Apply pending migrations before returning (the bot does this at every start). */
  migrate?: boolean;
}

export async function openDatabase(location: DatabaseLocation, options: OpenDatabaseOptions = {}): Promise<Database> {
  if (options.migrate) await applyMigrations(location);
  const adapter = createAdapterFactory(location);
  if (location.provider === 'postgresql') {
    return new PostgresqlClient({ adapter }) as unknown as Database;
  }
  const db = new SqliteClient({ adapter });
  // WAL lets readers go on while one chat's answer is written; it stays set in the file.
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  return db;
}
