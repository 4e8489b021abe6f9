import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * SQL sent to the database, as counted at the driver adapter (src/db/adapter.ts).
 * `statements` is every query and command sent, except the transaction control
 * itself (BEGIN, COMMIT, ROLLBACK, savepoints): each transaction counts once in
 * `transactions` instead.
 *
 * The process keeps totals. Counting per piece of work (one update, see
 * src/middleware/update-logger.ts) keeps an async context that every promise of
 * the process then pays for, so it can be switched off (the benchmarks do, for
 * the crowd they time; bench/support/bot-main.mjs).
 */
export interface StatementCount {
  statements: number;
  transactions: number;
}

const current = new AsyncLocalStorage<StatementCount>();
const totals: StatementCount = { statements: 0, transactions: 0 };
let perWork = true;

/** Whether countStatements counts: on unless switched off. */
export function countingPerWork(): boolean {
  return perWork;
}

export function setCountingPerWork(on: boolean): void {
  perWork = on;
  // Without a store in use, Node stops tracking the async context of every promise.
  if (!on) current.disable();
}

/** Runs `work`, counting into `count` every statement it (and whatever it awaits) sends. */
export function countStatements<T>(count: StatementCount, work: () => T): T {
  return perWork ? current.run(count, work) : work();
}

/** Every statement and transaction since the process started. */
export function statementTotals(): StatementCount {
  return { ...totals };
}

const TRANSACTION_CONTROL = /^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i;

/** Called by the adapter for each statement it is asked to run. */
export function noteStatement(sql: string): void {
  if (TRANSACTION_CONTROL.test(sql)) return;
  totals.statements++;
  const count = current.getStore();
  if (count) count.statements++;
}

/** Called by the adapter when a transaction starts. */
export function noteTransaction(): void {
  totals.transactions++;
  const count = current.getStore();
  if (count) count.transactions++;
}
