import { createEvent, type EventAttributes } from 'ics';

export interface SessionCalendarInput {
  /** Session id; becomes the stable UID so updates replace the same calendar entry. */
  id: string | number;
  title: string;
  startsAt: Date;
  durationMinutes: number;
  /** Address for an offline session. */
  location?: string;
  /** Meeting link for an online session. */
  url?: string;
  /** The agenda. Calendar files get forwarded: keep confidential notes out. */
  description?: string;
  organizer: { name: string; email?: string };
  /** 0 when first sent; increase on every reschedule and on cancellation. */
  sequence?: number;
  cancelled?: boolean;
  /** DTSTAMP: when this version of the file was produced. */
  now: Date;
}

/**
 * ORGANIZER must carry a calendar address (RFC 5545) and a CANCEL needs one
 * (RFC 5546); the reserved .invalid domain makes clear it is not a mailbox.
 */
export const FALLBACK_ORGANIZER_EMAIL = 'noreply@citymentor.invalid';

export function sessionUid(id: string | number): string {
  return `session-${id}@citymentor`;
}

export function sessionIcsFileName(id: string | number): string {
  return `session-${id}.ics`;
}

function toUtcArray(d: Date): [number, number, number, number, number] {
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
}

/** The .ics text for one session; throws when the ics package rejects the input. */
export function buildSessionIcs(input: SessionCalendarInput): string {
  if (Number.isNaN(input.startsAt.getTime())) throw new RangeError('Invalid session start');
  if (!(input.durationMinutes > 0)) throw new RangeError('Session duration must be positive');
  const sequence = input.sequence ?? 0;
  if (!Number.isInteger(sequence) || sequence < 0) throw new RangeError('SEQUENCE must be a non-negative integer');

  const attributes = {
    uid: sessionUid(input.id),
    productId: '-//CityMentor//Sessions//EN',
    // PUBLISH for a plain import (there are no attendees to REQUEST); CANCEL tells
    // clients that already hold this UID to remove it.
    method: input.cancelled ? 'CANCEL' : 'PUBLISH',
    status: input.cancelled ? 'CANCELLED' : 'CONFIRMED',
    sequence,
    title: input.title,
    start: toUtcArray(input.startsAt),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: input.durationMinutes },
    // Many clients ignore URL but show LOCATION, so an online session puts its link there too.
    ...(input.location ?? input.url ? { location: input.location ?? input.url } : {}),
    ...(input.url ? { url: input.url } : {}),
    ...(input.description ? { description: input.description } : {}),
    organizer: { name: input.organizer.name, email: input.organizer.email ?? FALLBACK_ORGANIZER_EMAIL },
    // Mentoring is confidential; shared calendars should show the slot as busy, not the details.
    classification: 'PRIVATE',
    // Not in the package's typings, but honoured: keeps DTSTAMP tied to the caller's clock.
    timestamp: input.now.getTime(),
  } satisfies EventAttributes & { timestamp: number };

  const { error, value } = createEvent(attributes);
  if (error) throw error;
  if (!value) throw new Error('ics produced no output');
  return value;
}
