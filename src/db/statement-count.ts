import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * SQL sent to the database on behalf of one piece of work (one update), as counted
 * at the driver adapter (src/db/adapter.ts). `statements` is every query and
 * command Prisma sends, except the transaction control itself (BEGIN, COMMIT,
 * ROLLBACK, savepoints): each transaction counts once in `transactions` instead.
 */
export interface StatementCount {
  statements: number;
  transactions: number;
}

const current = new AsyncLocalStorage<StatementCount>();

/** Runs `work`, counting into `count` every statement it (and whatever it awaits) sends. */
export function countStatements<T>(count: StatementCount, work: () => T): T {
  return current.run(count, work);
}

const TRANSACTION_CONTROL = /^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i;

/** Called by the adapter for each statement it is asked to run. */
export function noteStatement(sql: string): void {
  const count = current.getStore();
  if (count && !TRANSACTION_CONTROL.test(sql)) count.statements++;
}

/** Called by the adapter when a transaction starts. */
export function noteTransaction(): void {
  const count = current.getStore();
  if (count) count.transactions++;
}
