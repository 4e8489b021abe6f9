import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import type { DatabaseLocation } from './database-url.js';

/** How long a SQLite writer waits for another before giving up. */
const SQLITE_BUSY_TIMEOUT_MS = 15_000;

/** Only the configured database's driver is loaded. */
export async function createAdapterFactory(location: DatabaseLocation): Promise<SqlMigrationAwareDriverAdapterFactory> {
  if (location.provider === 'sqlite') {
    if (location.file && location.file !== ':memory:') {
      mkdirSync(path.dirname(path.resolve(location.file)), { recursive: true });
    }
    const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
    return oneAtATime(new PrismaBetterSqlite3({ url: location.url, timeout: SQLITE_BUSY_TIMEOUT_MS }));
  }
  const { PrismaPg } = await import('@prisma/adapter-pg');
  return new PrismaPg({ connectionString: location.url });
}

/**
 * better-sqlite3 gives the bot one connection. Its adapter orders transactions among
 * themselves but lets single statements run in the middle of someone else's open
 * transaction, where a rollback would take them along. Every statement waits here
 * while a transaction is open.
 */
function oneAtATime(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const wrap = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
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
    return {
      provider: adapter.provider,
      adapterName: adapter.adapterName,
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
