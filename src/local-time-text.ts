import { DateTime } from 'luxon';
import type { Translate } from './i18n.js';
import type { Locale } from './locales.js';

/**
 * Where people who speak a language most likely live: their clock is shown beside
 * the programme's when it differs. Languages spoken across many zones have none.
 */
const LIKELY_ZONE: Partial<Record<Locale, string>> = { uk: 'Europe/Kyiv', pl: 'Europe/Warsaw', lv: 'Europe/Riga' };

/** "Kyiv time" from the locale files; other zones by their name in that language ("Central European Time"). */
export function zoneName(t: Translate, zone: string, locale: Locale): string {
  const key = `time_zones.names.${zone}`;
  const named = t(key);
  if (named !== key) return named;
  const parts = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'longGeneric' }).formatToParts(new Date());
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? zone;
}

/**
 * "03.01.2027 23:59 (Kyiv time)", and where the reader's clock likely shows
 * another hour, also theirs: "03.01.2027 23:59 (Kyiv time; 22:59 Warsaw time)".
 */
export function localTimeText(t: Translate, date: Date, zone: string, locale: Locale): string {
  const there = DateTime.fromJSDate(date, { zone });
  const time = there.toFormat('dd.MM.yyyy HH:mm');
  const own = LIKELY_ZONE[locale];
  if (own && own !== zone) {
    const here = DateTime.fromJSDate(date, { zone: own });
    if (here.offset !== there.offset) {
      const ownTime = here.toFormat(here.hasSame(there, 'day') ? 'HH:mm' : 'dd.MM.yyyy HH:mm');
      return t('time_zones.with_own_time', { time, zone: zoneName(t, zone, locale), ownTime, ownZone: zoneName(t, own, locale) });
    }
  }
  return t('time_zones.local_time', { time, zone: zoneName(t, zone, locale) });
}
