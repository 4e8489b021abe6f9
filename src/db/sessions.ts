import type { MentoringLog, Session, SessionRsvp } from '../generated/sqlite/client.ts';
import type { Database } from './database.js';

export type { MentoringLog, Session, SessionRsvp };

export type SessionKind = 'online' | 'visit' | 'programme_event';
export const SESSION_KINDS: readonly SessionKind[] = ['online', 'visit', 'programme_event'];

export function isSessionKind(value: unknown): value is SessionKind {
  return typeof value === 'string' && (SESSION_KINDS as readonly string[]).includes(value);
}

export type SessionStatus = 'scheduled' | 'cancelled' | 'held' | 'not_held';
export type RsvpAnswer = 'yes' | 'no' | 'other_time';

export type SessionWithRsvps = Session & { rsvps: SessionRsvp[] };

/** A client or a transaction. */
type Store = Pick<Database, 'session' | 'sessionRsvp' | 'outgoingMessage'>;

export interface NewSession {
  programmeId: number;
  pairId: number;
  kind: SessionKind;
  startsAt: Date;
  durationMinutes: number;
  place: string | null;
  agenda: string | null;
  organiserId: number;
}

export function createSession(store: Store, session: NewSession): Promise<Session> {
  return store.session.create({ data: { ...session, status: 'scheduled', sequence: 0 } });
}

export function findSession(db: Database, id: number): Promise<SessionWithRsvps | null> {
  return db.session.findUnique({ where: { id }, include: { rsvps: { orderBy: { answeredAt: 'asc' } } } });
}

/**
 * Scheduled sessions that have not ended at `now`, soonest first: of the given pairs or
 * organised by the given person, or all of the programme when neither is given.
 */
export async function listUpcomingSessions(
  db: Database,
  filter: { programmeId: number; now: Date; pairIds?: number[]; organiserId?: number },
): Promise<SessionWithRsvps[]> {
  // A session lasts at most a day: anything starting earlier has ended.
  const earliestStart = new Date(filter.now.getTime() - 24 * 60 * 60_000);
  const who =
    filter.pairIds === undefined && filter.organiserId === undefined
      ? {}
      : {
          OR: [
            ...(filter.pairIds?.length ? [{ pairId: { in: filter.pairIds } }] : []),
            ...(filter.organiserId !== undefined ? [{ organiserId: filter.organiserId }] : []),
          ],
        };
  const rows = await db.session.findMany({
    where: { programmeId: filter.programmeId, status: 'scheduled', startsAt: { gte: earliestStart }, ...who },
    include: { rsvps: { orderBy: { answeredAt: 'asc' } } },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
  });
  return rows.filter((s) => endOf(s).getTime() > filter.now.getTime());
}

export function endOf(session: Pick<Session, 'startsAt' | 'durationMinutes'>): Date {
  return new Date(session.startsAt.getTime() + session.durationMinutes * 60_000);
}

/**
 * Moves a scheduled session, unless someone changed it since it was read (another
 * reschedule or a cancellation): the sequence is the version. The follow-up is asked
 * again after the new end; answers given for the old time no longer hold.
 */
export async function moveSession(
  store: Store,
  change: { id: number; expectedSequence: number; startsAt: Date },
): Promise<Session | undefined> {
  const { count } = await store.session.updateMany({
    where: { id: change.id, sequence: change.expectedSequence, status: 'scheduled' },
    data: { startsAt: change.startsAt, sequence: change.expectedSequence + 1, followUpSentAt: null },
  });
  if (count !== 1) return undefined;
  await store.sessionRsvp.deleteMany({ where: { sessionId: change.id } });
  return (await store.session.findUnique({ where: { id: change.id } })) ?? undefined;
}

export async function cancelSession(store: Store, change: { id: number; expectedSequence: number }): Promise<Session | undefined> {
  const { count } = await store.session.updateMany({
    where: { id: change.id, sequence: change.expectedSequence, status: 'scheduled' },
    data: { status: 'cancelled', sequence: change.expectedSequence + 1 },
  });
  if (count !== 1) return undefined;
  return (await store.session.findUnique({ where: { id: change.id } })) ?? undefined;
}

export async function recordRsvp(
  db: Database,
  rsvp: { sessionId: number; personId: number; answer: RsvpAnswer; note?: string | null; at: Date },
): Promise<SessionRsvp> {
  const data = { answer: rsvp.answer, note: rsvp.note ?? null, answeredAt: rsvp.at };
  return db.sessionRsvp.upsert({
    where: { sessionId_personId: { sessionId: rsvp.sessionId, personId: rsvp.personId } },
    create: { sessionId: rsvp.sessionId, personId: rsvp.personId, ...data },
    update: data,
  });
}

/**
 * Marks the session's messages still waiting in the outbox as dropped (reminders,
 * invitations and follow-ups of its old time), so that none of them goes out.
 * `onlyKinds` limits it to some kinds of message; `keep` spares the rows it accepts.
 */
export async function dropPendingSessionMessages(
  store: Pick<Database, 'outgoingMessage'>,
  sessionId: number,
  options: { onlyKinds?: string[]; keep?: (dedupeKey: string) => boolean; reason?: string } = {},
): Promise<number> {
  const where = { sessionId, status: 'pending', ...(options.onlyKinds ? { kind: { in: options.onlyKinds } } : {}) };
  let ids: number[] | undefined;
  if (options.keep) {
    const rows = await store.outgoingMessage.findMany({ where, select: { id: true, dedupeKey: true } });
    ids = rows.filter((r) => !options.keep!(r.dedupeKey)).map((r) => r.id);
    if (ids.length === 0) return 0;
  }
  const { count } = await store.outgoingMessage.updateMany({
    where: { ...where, ...(ids ? { id: { in: ids } } : {}) },
    data: { status: 'dropped', error: options.reason ?? 'the session was changed' },
  });
  return count;
}

/** Sessions that have ended but whose mentor was not asked yet whether they took place. */
export async function sessionsAwaitingFollowUp(db: Database, now: Date): Promise<Session[]> {
  const started = await db.session.findMany({
    where: { status: 'scheduled', followUpSentAt: null, pairId: { not: null }, startsAt: { lte: now } },
    orderBy: { startsAt: 'asc' },
    take: 500,
  });
  return started.filter((s) => endOf(s).getTime() <= now.getTime());
}

export async function markFollowUpSent(db: Database, sessionId: number, sequence: number, at: Date): Promise<void> {
  await db.session.updateMany({ where: { id: sessionId, sequence, followUpSentAt: null }, data: { followUpSentAt: at } });
}

/**
 * The mentor's one-tap answer that the session took place: the session becomes
 * 'held' and the time is logged, together. Undefined when it was already answered.
 */
export async function logHeldSession(
  db: Database,
  log: { sessionId: number; pairId: number; mentorPersonId: number; date: string; amount: number; activity: string; at: Date },
): Promise<MentoringLog | undefined> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.session.updateMany({ where: { id: log.sessionId, status: 'scheduled' }, data: { status: 'held' } });
    if (count !== 1) return undefined;
    return tx.mentoringLog.create({
      data: {
        pairId: log.pairId,
        mentorPersonId: log.mentorPersonId,
        date: log.date,
        amount: log.amount,
        activity: log.activity,
        sessionId: log.sessionId,
        createdAt: log.at,
      },
    });
  });
}

export async function markNotHeld(db: Database, sessionId: number): Promise<boolean> {
  const { count } = await db.session.updateMany({ where: { id: sessionId, status: 'scheduled' }, data: { status: 'not_held' } });
  return count === 1;
}

/** Upcoming scheduled sessions of a programme, for re-planning their reminders. */
export function scheduledSessionsFrom(db: Database, programmeId: number, now: Date): Promise<Session[]> {
  return db.session.findMany({ where: { programmeId, status: 'scheduled', startsAt: { gt: now } }, orderBy: { startsAt: 'asc' } });
}

/** Programme.reminderOffsets, written here because only sessions use them. */
export async function setReminderOffsets(db: Database, programmeId: number, offsets: readonly number[]): Promise<void> {
  await db.programme.update({ where: { id: programmeId }, data: { reminderOffsets: JSON.stringify(offsets) } });
}
