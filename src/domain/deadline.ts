import { DateTime } from 'luxon';
import { parseLocalDate, parseLocalDateTime } from './time-zone.js';

export const DEFAULT_DEADLINE_WARNING_MS = 24 * 60 * 60 * 1000;

export type DeadlineStatus =
  | { state: 'none' }
  | { state: 'open'; msLeft: number }
  | { state: 'closing_soon'; msLeft: number }
  | { state: 'closed' };

/**
 * A stored deadline is the LAST ACCEPTED INSTANT, not the first rejected one:
 * the call is closed only when now > deadline. A call announced as "until 23:59"
 * must therefore be stored as 23:59:59.999 local (see parseDeadline), so that the
 * whole 23:59 minute is still open, as applicants reading the announcement expect.
 * msLeft is deadline - now (0 at the deadline instant itself, which is still open).
 */
export function deadlineStatus(
  deadline: Date | null | undefined,
  now: Date,
  warnWithinMs: number = DEFAULT_DEADLINE_WARNING_MS,
): DeadlineStatus {
  if (deadline == null) return { state: 'none' };
  if (Number.isNaN(deadline.getTime())) throw new RangeError('Invalid deadline date');
  const msLeft = deadline.getTime() - now.getTime();
  if (msLeft < 0) return { state: 'closed' };
  return msLeft <= warnWithinMs ? { state: 'closing_soon', msLeft } : { state: 'open', msLeft };
}

export function isOpen(deadline: Date | null | undefined, now: Date): boolean {
  return deadlineStatus(deadline, now).state !== 'closed';
}

/**
 * What a coordinator types → the last accepted instant.
 * "21.11.2025 23:59" → 23:59:59.999 local; a bare date "28.04.2026" means the
 * whole day is included ("until 28 April inclusive") → 23:59:59.999 local that day.
 * Undefined for anything parseLocalDateTime / parseLocalDate rejects.
 */
export function parseDeadline(text: string, zone: string): Date | undefined {
  const at = parseLocalDateTime(text, zone);
  if (at) return new Date(at.getTime() + 59_999);
  const day = parseLocalDate(text);
  if (!day) return undefined;
  const end = DateTime.fromISO(day, { zone }).endOf('day');
  return end.isValid ? end.toUTC().toJSDate() : undefined;
}

/** A deadline for examples in help texts: always in the future, about a month from now, as coordinators type it. */
export function exampleDeadline(now: Date, zone: string): string {
  return DateTime.fromJSDate(now, { zone }).plus({ days: 30 }).toFormat('dd.MM.yyyy') + ' 23:59';
}
