import type { Context, MiddlewareFn } from 'grammy';
import type { Logger } from '../logger.js';

/** One debug line per handled update: which, from whom (Telegram id only), how long. */
export function updateLogger(logger: Logger): MiddlewareFn<Context> {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      logger.debug(
        {
          updateId: ctx.update.update_id,
          type: Object.keys(ctx.update).find((k) => k !== 'update_id'),
          userId: ctx.from?.id,
          ms: Math.round(performance.now() - started),
        },
        'update handled',
      );
    }
  };
}
