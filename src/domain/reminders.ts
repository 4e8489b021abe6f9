/** A day before and an hour before. */
export const DEFAULT_REMINDER_OFFSETS: readonly number[] = [1440, 60];

/** A reminder sent within this much of its due time counts as on time (scheduler ticks are coarse). */
export const DEFAULT_REMINDER_GRACE_MS = 5 * 60 * 1000;

export interface PlannedReminder {
  offsetMinutes: number;
  dueAt: Date;
}

/**
 * Reminders for a session/event starting at `startsAt`, one per distinct offset
 * (minutes before the start), earliest first. Reminders whose due time has already
 * passed are left out: planning happens when a session is created or moved, and a
 * "tomorrow" reminder for something an hour away would be wrong. A reminder due
 * exactly at `now` is kept so the next scheduler tick still sends it.
 */
export function planReminders(
  startsAt: Date,
  offsetsMinutes: readonly number[] = DEFAULT_REMINDER_OFFSETS,
  now: Date,
): PlannedReminder[] {
  const start = startsAt.getTime();
  if (Number.isNaN(start)) throw new RangeError('Invalid session start');
  const offsets = [...new Set(offsetsMinutes)];
  for (const o of offsets) {
    if (!Number.isFinite(o) || o < 0) throw new RangeError(`Invalid reminder offset: ${o}`);
  }
  return offsets
    .map((offsetMinutes) => ({ offsetMinutes, dueAt: new Date(start - offsetMinutes * 60_000) }))
    .filter((r) => r.dueAt.getTime() >= now.getTime())
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/**
 * - 'wait': not due yet.
 * - 'send': due, and at most `graceMs` late.
 * - 'send_late': more than `graceMs` late (e.g. the bot was down), but the session has
 *   not started and no later reminder of the same session is due yet; the text should
 *   then say how long is left rather than "tomorrow" / "in an hour".
 * - 'drop': the session has already started, or a later reminder is also due
 *   (`nextDueAt <= now`), which makes this one stale: only the freshest is sent.
 */
export type ReminderFate = 'wait' | 'send' | 'send_late' | 'drop';

/**
 * @param nextDueAt due time of the next later reminder of the same session, if any;
 *   without it the "overtaken" rule cannot apply (use settleDueReminders for a batch).
 */
export function reminderFate(
  dueAt: Date,
  startsAt: Date,
  now: Date,
  graceMs: number = DEFAULT_REMINDER_GRACE_MS,
  nextDueAt?: Date,
): ReminderFate {
  const t = now.getTime();
  if (t >= startsAt.getTime()) return 'drop';
  if (t < dueAt.getTime()) return 'wait';
  if (nextDueAt && nextDueAt.getTime() <= t) return 'drop';
  return t - dueAt.getTime() <= graceMs ? 'send' : 'send_late';
}

/**
 * Fate of every pending reminder of ONE session, e.g. after a restart. Each
 * reminder is judged against the next later one, so among several overdue
 * reminders only the latest is sent.
 */
export function settleDueReminders<T extends { dueAt: Date }>(
  pending: readonly T[],
  startsAt: Date,
  now: Date,
  graceMs: number = DEFAULT_REMINDER_GRACE_MS,
): Array<{ reminder: T; fate: ReminderFate }> {
  const sorted = [...pending].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  return sorted.map((reminder, i) => {
    // Skip equal due times so duplicates do not drop each other; the later copy is dropped below.
    const next = sorted.slice(i + 1).find((r) => r.dueAt.getTime() > reminder.dueAt.getTime());
    const duplicate = i > 0 && sorted[i - 1]!.dueAt.getTime() === reminder.dueAt.getTime();
    const fate = reminderFate(reminder.dueAt, startsAt, now, graceMs, next?.dueAt);
    return { reminder, fate: duplicate && fate !== 'wait' ? 'drop' : fate };
  });
}
