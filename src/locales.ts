/** The languages of the programmes CityMentor serves. */
export const LOCALES = ['uk', 'en', 'pl', 'lv', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Telegram sends IETF tags such as "uk", "en-GB" or "pt-br". */
export function localeFromTelegram(languageCode: string | undefined, fallback: Locale): Locale {
  const base = languageCode?.toLowerCase().split('-')[0];
  return isLocale(base) ? base : fallback;
}
