import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import type { DatabaseLocation } from './database-url.js';
import { noteStatement, noteTransaction } from './statement-count.js';

/** How long a SQLite writer waits for another before giving up. */
const SQLITE_BUSY_TIMEOUT_MS = 15_000;

export function createAdapterFactory(location: DatabaseLocation): SqlMigrationAwareDriverAdapterFactory {
  if (location.provider === 'sqlite') {
    if (location.file && location.file !== ':memory:') {
      mkdirSync(path.dirname(path.resolve(location.file)), { recursive: true });
    }
    return counted(oneAtATime(new PrismaBetterSqlite3({ url: location.url, timeout: SQLITE_BUSY_TIMEOUT_MS })));
  }
  return counted(new PrismaPg({ connectionString: location.url }));
}

/** Counts the statements and transactions of the update being handled (src/db/statement-count.ts). */
function counted(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const wrap = (adapter: SqlDriverAdapter): SqlDriverAdapter => ({
    provider: adapter.provider,
    adapterName: adapter.adapterName,
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
