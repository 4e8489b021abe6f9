/// <reference lib="dom" />
import { isLocale, type Locale } from '../../locales.js';

/** One of the five languages for a Telegram or browser language code ("uk", "pl-PL"); English otherwise. */
export function localeOf(code: string | undefined): Locale {
  const base = (code ?? '').toLowerCase().split(/[-_]/)[0];
  return isLocale(base) ? base : 'en';
}

/** The person's language from the init data (even unsigned or forged: it only picks the language of what is said before the bot answers), else the browser's. */
export function languageOf(rawInitData: string | undefined): Locale {
  try {
    const user = JSON.parse(new URLSearchParams(rawInitData ?? '').get('user') ?? 'null') as { language_code?: string } | null;
    return localeOf(user?.language_code ?? navigator.language);
  } catch {
    return localeOf(navigator.language);
  }
}
