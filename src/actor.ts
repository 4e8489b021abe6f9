import type { Api } from 'grammy';
import type { AppDeps } from './context.js';
import type { Person } from './db/database.js';
import type { Translate } from './i18n.js';
import type { Locale } from './locales.js';

/**
 * Who acts and how to reach Telegram: a chat update's context is one, and so is a
 * coordinator using the console page. Coordinator actions shared by the chat and
 * the console take this, so both run the same code.
 */
export interface Actor {
  deps: AppDeps;
  api: Api;
  person: Person;
  locale: Locale;
  t: Translate;
}
