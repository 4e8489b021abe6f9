import type { MiddlewareFn } from 'grammy';
import type { AppDeps, BotContext } from '../context.js';
import { upsertPerson } from '../db/people.js';
import { loadPersonState } from '../db/person-state.js';
import { isLocale } from '../locales.js';
import { isCoordinator } from '../roles.js';

/** Loads (or records) the person behind a private-chat update and sets their language and role. */
export function personContext(deps: AppDeps): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (!ctx.from || ctx.from.is_bot) return;
    const conversationKey = ctx.chatId?.toString();
    // The person, their chat's conversation state and their form in one statement (see person-state.ts).
    const state = await loadPersonState(deps.db, BigInt(ctx.from.id), conversationKey ?? '');
    const person = await upsertPerson(deps.db, ctx.from, deps.config.defaultLocale, state.person);
    ctx.prefetched = { ...(conversationKey !== undefined ? { conversationState: state.conversationState } : {}), formSession: state.formSession };
    const locale = isLocale(person.language) ? person.language : deps.config.defaultLocale;
    ctx.deps = deps;
    ctx.person = person;
    ctx.locale = locale;
    ctx.t = deps.i18n.t(locale);
    ctx.isCoordinator = isCoordinator(person, deps.config.adminIds);
    await next();
  };
}
