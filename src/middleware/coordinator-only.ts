import type { MiddlewareFn } from 'grammy';
import type { BotContext } from '../context.js';

/**
 * Put in front of every coordinator command and button handler. Anyone else, whether
 * they typed the command or pressed a button from a forwarded or forged message, is
 * told the action is for coordinators, and nothing happens.
 */
export const coordinatorOnly: MiddlewareFn<BotContext> = async (ctx, next) => {
  if (ctx.isCoordinator) return next();
  const text = ctx.t('errors.coordinators_only');
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
  else await ctx.reply(text);
};
