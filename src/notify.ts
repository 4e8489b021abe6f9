import { type Api, GrammyError } from 'grammy';
import type { AppDeps } from './context.js';
import type { Person } from './db/database.js';
import { listCoordinators, markBlocked } from './db/people.js';
import type { Translate } from './i18n.js';
import { isLocale } from './locales.js';

/** Sends one message to one person in their own language; a 403 marks them as having blocked the bot. */
export async function notifyPerson(deps: AppDeps, api: Api, person: Person, text: (t: Translate) => string): Promise<boolean> {
  if (person.blockedAt) return false;
  const t = deps.i18n.t(isLocale(person.language) ? person.language : deps.config.defaultLocale);
  try {
    await api.sendMessage(Number(person.telegramId), text(t));
    return true;
  } catch (error) {
    if (error instanceof GrammyError && error.error_code === 403) await markBlocked(deps.db, person.telegramId, deps.clock.now());
    deps.logger.warn({ userId: String(person.telegramId), err: error }, 'notice not delivered');
    return false;
  }
}

export async function notifyCoordinators(deps: AppDeps, api: Api, text: (t: Translate) => string): Promise<void> {
  for (const coordinator of await listCoordinators(deps.db, deps.config.adminIds)) {
    await notifyPerson(deps, api, coordinator, text);
  }
}
