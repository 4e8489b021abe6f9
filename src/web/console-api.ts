import type { Api } from 'grammy';
import type { Actor } from '../actor.js';
import type { AppDeps } from '../context.js';
import { findPerson } from '../db/people.js';
import { isLocale, type Locale } from '../locales.js';
import { isCoordinator } from '../roles.js';
import { applicationRoutes } from './console/applications.js';
import { dashboardRoutes } from './console/dashboard.js';
import { matchingRoutes } from './console/matching-board.js';
import type { ConsoleRoute } from './console/route.js';
import { sessionRoutes } from './console/session.js';
import type { ApiResponse } from './form-api.js';
import { plainText } from './form-view.js';
import { authenticate } from './init-data.js';

export interface ConsoleRequest {
  method: string;
  /** The path after /app/api, e.g. /console/applications/12. */
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: unknown;
}

/** Every console endpoint, in one list: the role check below covers each of them, and a test enumerates them. */
export const CONSOLE_ROUTES: readonly ConsoleRoute[] = [...sessionRoutes, ...applicationRoutes, ...matchingRoutes, ...dashboardRoutes];

/**
 * The coordinators' console API. Every request is checked twice, whatever the
 * endpoint: the init data must be signed by Telegram for this bot (401), and the
 * person it names must be a coordinator now (403), exactly as the chat commands check.
 */
export async function handleConsoleApi(ctx: { deps: AppDeps; api: Api }, request: ConsoleRequest): Promise<ApiResponse> {
  const { deps } = ctx;
  const user = authenticate(request.authorization, deps.config.botToken);
  if (!user) return { status: 401, body: { error: 'unauthorized' } };
  const person = await findPerson(deps.db, user.telegramId);
  const locale: Locale = isLocale(person?.language) ? person.language : isLocale(user.languageCode) ? user.languageCode : deps.config.defaultLocale;
  const t = deps.i18n.t(locale);
  if (!person || !isCoordinator(person, deps.config.adminIds)) {
    return { status: 403, body: { error: 'forbidden', message: plainText(t('errors.coordinators_only')) } };
  }
  for (const route of CONSOLE_ROUTES) {
    const match = route.pattern.exec(request.path);
    if (!match) continue;
    if (route.method !== request.method) continue;
    const actor: Actor = { deps, api: ctx.api, person, locale, t };
    return route.handle(actor, { params: match.slice(1), query: request.query, body: request.body });
  }
  const known = CONSOLE_ROUTES.some((route) => route.pattern.test(request.path));
  return known ? { status: 405, body: { error: 'method_not_allowed' } } : { status: 404, body: { error: 'not_found' } };
}
