import { limit } from '@grammyjs/ratelimiter';
import type { Context, MiddlewareFn } from 'grammy';
import type { Redis } from 'ioredis';
import type { AppDeps } from '../context.js';
import { localeFromTelegram } from '../locales.js';

/**
 * Someone sending a flood of updates is asked, once, to slow down, and the excess is
 * dropped. With REDIS_URL the count is shared by all instances; otherwise each counts alone.
 */
export function floodLimit(deps: AppDeps): MiddlewareFn<Context> {
  return limit<Context, Redis>({
    timeFrame: 60_000,
    limit: deps.config.rateLimitPerMinute,
    storageClient: deps.redis ?? 'MEMORY_STORE',
    keyPrefix: 'citymentor:flood:',
    keyGenerator: (ctx) => (ctx.chat?.type === 'private' ? ctx.from?.id.toString() : undefined),
    onLimitExceeded: async (ctx) => {
      const t = deps.i18n.t(localeFromTelegram(ctx.from?.language_code, deps.config.defaultLocale));
      deps.logger.warn({ userId: ctx.from?.id }, 'flood limit reached');
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: t('errors.slow_down'), show_alert: true });
      else await ctx.reply(t('errors.slow_down'));
    },
  }) as MiddlewareFn<Context>;
}
