import { DateTime } from 'luxon';

/** 'YYYY-MM', a calendar month in some time zone. */
export type MonthKey = string;

const DMY = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;
const DMY_TIME = /^(\d{1,2})\.(\d{1,2})\.(\d{4})[ T]+(\d{1,2}):(\d{2})$/;
const YMD_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T| +)(\d{1,2}):(\d{2})$/;
const MONTH_KEY = /^(\d{4})-(\d{2})$/;

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function matchDateTime(text: string): Parts | undefined {
  const s = text.trim();
  let m = DMY_TIME.exec(s);
  if (m) return { day: +m[1]!, month: +m[2]!, year: +m[3]!, hour: +m[4]!, minute: +m[5]! };
  m = YMD_TIME.exec(s);
  if (m) return { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]! };
  return undefined;
}

function matchDate(text: string): { year: number; month: number; day: number } | undefined {
  const s = text.trim();
  let m = DMY.exec(s);
  if (m) return { day: +m[1]!, month: +m[2]!, year: +m[3]! };
  m = YMD.exec(s);
  if (m) return { year: +m[1]!, month: +m[2]!, day: +m[3]! };
  return undefined;
}

/** True when luxon knows the IANA zone name (e.g. 'Europe/Kyiv'). */
export function isValidZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}

/**
 * Local wall-clock time in `zone` → UTC instant.
 * Accepts "DD.MM.YYYY HH:MM", "YYYY-MM-DD HH:MM" and "YYYY-MM-DDTHH:MM".
 * Returns undefined for impossible dates (31.02) and for times skipped by a DST
 * jump (luxon would silently move them an hour forward, which would surprise the user).
 * Times that occur twice (DST fall-back) resolve to the later occurrence, as luxon does;
 * for deadlines that errs on the generous side.
 */
export function parseLocalDateTime(text: string, zone: string): Date | undefined {
  const p = matchDateTime(text);
  if (!p) return undefined;
  const dt = DateTime.fromObject(p, { zone });
  if (!dt.isValid) return undefined;
  // A DST gap shows up as a different wall-clock time than the one requested.
  if (dt.year !== p.year || dt.month !== p.month || dt.day !== p.day || dt.hour !== p.hour || dt.minute !== p.minute) {
    return undefined;
  }
  return dt.toUTC().toJSDate();
}

/** "DD.MM.YYYY" or "YYYY-MM-DD" → "YYYY-MM-DD"; undefined for malformed or impossible dates. */
export function parseLocalDate(text: string): string | undefined {
  const p = matchDate(text);
  if (!p) return undefined;
  const dt = DateTime.fromObject(p, { zone: 'UTC' });
  return dt.isValid ? dt.toFormat('yyyy-MM-dd') : undefined;
}

/**
 * "21.11.2025 23:59 EET" (or "GMT+2" where the locale has no abbreviation).
 * The numeric part is fixed to dd.MM.yyyy HH:mm: it reads the same in every
 * language the bot speaks and matches what parseLocalDateTime accepts.
 */
export function formatLocalDateTime(date: Date, zone: string, locale: string): string {
  return DateTime.fromJSDate(date, { zone }).setLocale(locale).toFormat('dd.MM.yyyy HH:mm ZZZZ');
}

/** "21.11.2025 23:59" in `zone`, with no zone said: for a time next to another that says it. */
export function formatLocalClock(date: Date, zone: string): string {
  return DateTime.fromJSDate(date, { zone }).toFormat('dd.MM.yyyy HH:mm');
}

/** "21.11.2025" in `zone`. */
export function formatLocalDate(date: Date, zone: string): string {
  return DateTime.fromJSDate(date, { zone }).toFormat('dd.MM.yyyy');
}

/** The UTC instant of local midnight on the 1st of the month containing `date` in `zone`. */
export function startOfMonth(date: Date, zone: string): Date {
  return DateTime.fromJSDate(date, { zone }).startOf('month').toUTC().toJSDate();
}

/** "2026-03": the calendar month containing `date`, as seen in `zone`. */
export function monthKey(date: Date, zone: string): MonthKey {
  return DateTime.fromJSDate(date, { zone }).toFormat('yyyy-MM');
}

function parseMonthKey(key: MonthKey): { year: number; month: number } {
  const m = MONTH_KEY.exec(key);
  const month = m ? +m[2]! : 0;
  if (!m || month < 1 || month > 12) throw new RangeError(`Invalid month key: ${key}`);
  return { year: +m[1]!, month };
}

export function isMonthKey(key: string): boolean {
  const m = MONTH_KEY.exec(key);
  return !!m && +m[2]! >= 1 && +m[2]! <= 12;
}

/** Shift a month key by `n` months (negative goes back). Throws on a malformed key. */
export function addMonths(key: MonthKey, n: number): MonthKey {
  const { year, month } = parseMonthKey(key);
  const index = year * 12 + (month - 1) + n;
  const y = Math.floor(index / 12);
  const mo = index - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}`;
}

/** "2026-01" → "2025-12". */
export function previousMonth(key: MonthKey): MonthKey {
  return addMonths(key, -1);
}
