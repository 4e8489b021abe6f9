import type { Context, MiddlewareFn } from 'grammy';
import { countingPerWork, countStatements, type StatementCount } from '../db/statement-count.js';
import type { Logger } from '../logger.js';

/**
 * One debug line per handled update: which, from whom (Telegram id only), how long,
 * and how many SQL statements and transactions it took, unless counting per update is
 * switched off (see src/db/statement-count.ts).
 */
export function updateLogger(logger: Logger): MiddlewareFn<Context> {
  return async (ctx, next) => {
    // Counting statements keeps an async context per update; without the line it is not worth it.
    if (!logger.isLevelEnabled('debug')) return next();
    const started = performance.now();
    const sql: StatementCount = { statements: 0, transactions: 0 };
    try {
      await countStatements(sql, next);
    } finally {
      logger.debug(
        {
          updateId: ctx.update.update_id,
          type: Object.keys(ctx.update).find((k) => k !== 'update_id'),
          userId: ctx.from?.id,
          ms: Math.round(performance.now() - started),
          ...(countingPerWork() ? { sql: sql.statements, transactions: sql.transactions } : {}),
        },
        'update handled',
      );
    }
  };
}
