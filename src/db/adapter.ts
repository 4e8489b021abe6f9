import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import type { DatabaseLocation } from './database-url.js';
import { noteStatement, noteTransaction } from './statement-count.js';

/** How long a SQLite writer waits for another before giving up. */
const SQLITE_BUSY_TIMEOUT_MS = 15_000;

/** Only the configured database's driver is loaded. */
export async function createAdapterFactory(location: DatabaseLocation): Promise<SqlMigrationAwareDriverAdapterFactory> {
  if (location.provider === 'sqlite') {
    if (location.file && location.file !== ':memory:') {
      mkdirSync(path.dirname(path.resolve(location.file)), { recursive: true });
    }
    const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
    return counted(oneAtATime(reusingStatements(new PrismaBetterSqlite3({ url: location.url, timeout: SQLITE_BUSY_TIMEOUT_MS }))));
  }
  const { PrismaPg } = await import('@prisma/adapter-pg');
  return counted(new PrismaPg({ connectionString: location.url }));
}

/** Counts the statements and transactions of the update being handled (src/db/statement-count.ts). */
function counted(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const wrap = (adapter: SqlDriverAdapter & WithNativeSqlite): SqlDriverAdapter & WithNativeSqlite => ({
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    // Counted by its user (direct-sql.ts).
    nativeSqlite: adapter.nativeSqlite,
    queryRaw: (query) => (noteStatement(query.sql), adapter.queryRaw(query)),
    executeRaw: (query) => (noteStatement(query.sql), adapter.executeRaw(query)),
    executeScript: (script) => adapter.executeScript(script),
    getConnectionInfo: adapter.getConnectionInfo?.bind(adapter),
    dispose: () => adapter.dispose(),
    async startTransaction(isolationLevel) {
      const transaction = await adapter.startTransaction(isolationLevel);
      noteTransaction();
      return Object.assign(Object.create(transaction) as Transaction, {
        queryRaw: (query: Parameters<Transaction['queryRaw']>[0]) => (noteStatement(query.sql), transaction.queryRaw(query)),
        executeRaw: (query: Parameters<Transaction['executeRaw']>[0]) => (noteStatement(query.sql), transaction.executeRaw(query)),
      });
    },
  });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrap(await factory.connect()),
    connectToShadowDb: async () => wrap(await factory.connectToShadowDb()),
  };
}

/**
 * The SQLite connection itself, for the few statements on the path of every update
 * (src/db/direct-sql.ts): `prepare` hands out the cached statements below, and
 * `exclusive` runs work when no transaction is open, as every statement here waits for.
 */
export interface NativeSqlite {
  prepare(sql: string): SqliteStatement;
  exclusive<T>(work: () => T): Promise<T>;
}

export interface WithNativeSqlite {
  nativeSqlite?: NativeSqlite;
}

/** Prepared statements kept per connection, by SQL text; the least recently used go first. */
const STATEMENT_CACHE_SIZE = 500;

export interface SqliteStatement {
  reader: boolean;
  columns(): unknown[];
  run(...args: unknown[]): unknown;
  raw(on?: boolean): SqliteStatement;
  all(...args: unknown[]): unknown[];
}

/**
 * The better-sqlite3 adapter prepares every statement again each time it runs it (compiling
 * the SQL is a good part of a small query's cost). Prisma sends the same few texts over and
 * over, so the connection's `prepare` hands out a cached statement instead, bound anew for
 * each use: the adapter calls `prepare(sql).bind(args)` and then `run()`, `reader`,
 * `columns()` and `raw().all()`, and that is all this view offers.
 */
function reusingStatements(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const patch = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    const client = (adapter as { client?: { prepare?: (sql: string) => SqliteStatement } }).client;
    if (typeof client?.prepare !== 'function') return adapter; // another adapter version: leave it be
    const prepare = client.prepare.bind(client);
    const cache = new Map<string, CachedStatement>();
    client.prepare = (sql: string) => {
      let cached = cache.get(sql);
      if (cached) cache.delete(sql);
      else cached = { statement: prepare(sql) };
      cache.set(sql, cached);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      return boundView(cached);
    };
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patch(await factory.connect()),
    connectToShadowDb: async () => patch(await factory.connectToShadowDb()),
  };
}

/** A prepared statement and its result columns, which do not change once it is prepared. */
interface CachedStatement {
  statement: SqliteStatement;
  columns?: unknown[];
}

function boundView(cached: CachedStatement): SqliteStatement {
  const { statement } = cached;
  let args: unknown[] = [];
  const view = {
    reader: statement.reader,
    columns: () => (cached.columns ??= statement.columns()),
    bind(...bound: unknown[]) {
      args = bound;
      return view;
    },
    run: () => statement.run(...args),
    raw: () => view,
    all: () => statement.raw(true).all(...args),
  };
  return view as unknown as SqliteStatement;
}

/**
 * better-sqlite3 gives the bot one connection. Its adapter orders transactions among
 * themselves but lets single statements run in the middle of someone else's open
 * transaction, where a rollback would take them along. Every statement waits here
 * while a transaction is open.
 */
function oneAtATime(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const wrap = (adapter: SqlDriverAdapter): SqlDriverAdapter & WithNativeSqlite => {
    let tail: Promise<void> = Promise.resolve();
    const acquire = () => {
      let release!: () => void;
      const previous = tail;
      tail = new Promise<void>((resolve) => (release = resolve));
      return previous.then(() => release);
    };
    const alone = async <T>(work: () => Promise<T>): Promise<T> => {
      const release = await acquire();
      try {
        return await work();
      } finally {
        release();
      }
    };
    const client = (adapter as { client?: { prepare?: (sql: string) => SqliteStatement } }).client;
    return {
      provider: adapter.provider,
      adapterName: adapter.adapterName,
      ...(typeof client?.prepare === 'function'
        ? { nativeSqlite: { prepare: (sql: string) => client.prepare!(sql), exclusive: <T>(work: () => T) => alone(async () => work()) } }
        : {}),
      queryRaw: (query) => alone(() => adapter.queryRaw(query)),
      executeRaw: (query) => alone(() => adapter.executeRaw(query)),
      executeScript: (script) => alone(() => adapter.executeScript(script)),
      getConnectionInfo: adapter.getConnectionInfo?.bind(adapter),
      dispose: () => adapter.dispose(),
      async startTransaction(isolationLevel) {
        const release = await acquire();
        let transaction: Transaction;
        try {
          transaction = await adapter.startTransaction(isolationLevel);
        } catch (error) {
          release();
          throw error;
        }
        const end = (finish: () => Promise<void>) => async () => {
          try {
            await finish();
          } finally {
            release();
          }
        };
        return Object.assign(Object.create(transaction) as Transaction, {
          commit: end(() => transaction.commit()),
          rollback: end(() => transaction.rollback()),
        });
      },
    };
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrap(await factory.connect()),
    connectToShadowDb: async () => wrap(await factory.connectToShadowDb()),
  };
}
