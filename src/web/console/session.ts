import type { Actor } from '../../actor.js';
import { APPLICATION_STATUSES, DECISIONS } from '../../domain/application-status.js';
import { THEMES, WORKING_LANGUAGES } from '../../domain/themes.js';
import { readLocale } from '../../i18n.js';
import type { Locale } from '../../locales.js';
import { plainText } from '../form-view.js';
import { ok, type ConsoleRoute } from './route.js';

type Tree = { [key: string]: string | Tree };

const pageTextsByLocale = new Map<Locale, Record<string, string>>();

/** The page's own texts (locales/<lang>/console.json, console.page), read once per language; placeholders stay {{name}} for the page to fill. */
export function consolePageTexts(locale: Locale): Record<string, string> {
  let texts = pageTextsByLocale.get(locale);
  if (!texts) {
    const page = ((readLocale(locale).console as Tree | undefined)?.page ?? {}) as Tree;
    texts = Object.fromEntries(Object.entries(page).filter((e): e is [string, string] => typeof e[1] === 'string'));
    pageTextsByLocale.set(locale, texts);
  }
  return texts;
}

/** Labels the console shows for stored codes, in the coordinator's language (the chat's own texts). */
export function consoleLabels(actor: Actor) {
  const { t } = actor;
  const map = (keys: readonly string[], key: (k: string) => string) => Object.fromEntries(keys.map((k) => [k, plainText(t(key(k)))]));
  return {
    statuses: map(APPLICATION_STATUSES, (s) => `review.status.${s}`),
    filters: map(['all', ...APPLICATION_STATUSES], (s) => `review.filter.${s}`),
    decisions: map(DECISIONS, (d) => `review.decide.${d}`),
    themes: map(THEMES, (theme) => `themes.${theme}`),
    languages: map(WORKING_LANGUAGES, (code) => `working_languages.${code}`),
  };
}

export const sessionRoutes: ConsoleRoute[] = [
  {
    method: 'GET',
    pattern: /^\/console\/session$/,
    example: '/console/session',
    async handle(actor) {
      const name = [actor.person.firstName, actor.person.lastName].filter(Boolean).join(' ');
      return ok({ locale: actor.locale, name, texts: consolePageTexts(actor.locale), labels: consoleLabels(actor) });
    },
  },
];
