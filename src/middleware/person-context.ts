import type { MiddlewareFn } from 'grammy';
import type { AppDeps, BotContext } from '../context.js';
import { upsertPerson } from '../db/people.js';
import { isLocale } from '../locales.js';
import { isCoordinator } from '../roles.js';

/** Loads (or records) the person behind a private-chat update and sets their language and role. */
export function personContext(deps: AppDeps): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (!ctx.from || ctx.from.is_bot) return;
    const person = await upsertPerson(deps.db, ctx.from, deps.config.defaultLocale);
    const locale = isLocale(person.language) ? person.language : deps.config.defaultLocale;
    ctx.deps = deps;
    ctx.person = person;
    ctx.locale = locale;
    ctx.t = deps.i18n.t(locale);
    ctx.isCoordinator = isCoordinator(person, deps.config.adminIds);
    await next();
  };
}
