import type { Context, MiddlewareFn } from 'grammy';
import type { AppDeps } from '../context.js';
import { claimUpdate } from '../db/processed-updates.js';

/** An update Telegram delivers twice (same update_id) is handled once, whichever instance gets it. */
export function deduplicateUpdates(deps: AppDeps): MiddlewareFn<Context> {
  return async (ctx, next) => {
    if (await claimUpdate(deps.db, ctx.update.update_id, deps.clock.now())) return next();
    deps.logger.info({ updateId: ctx.update.update_id }, 'duplicate update ignored');
  };
}
