import type { EventRegistration, Prisma, ProgrammeEvent } from '../generated/sqlite/client.ts';
import { enqueue, type OutgoingMessageInput } from '../outbox/outbox.js';
import type { DatabaseProvider } from './database-url.js';
import type { Database, Person } from './database.js';

export type { EventRegistration, ProgrammeEvent };

/**
 * Programme events (forums, trainings) and registrations for them. Registering,
 * cancelling and moving up from the waitlist happen under a lock on the event, so
 * that when many people press Register at once exactly `capacity` of them get a
 * place and the rest queue in the order they came.
 */

export type RegistrationStatus = 'registered' | 'waitlisted' | 'cancelled';

/** Kinds of outbox rows that belong to one person's registration and go when it is cancelled. */
export const REGISTRATION_MESSAGE_KINDS = ['event_reminder', 'event_promoted'] as const;

/** Marks the reminders dropped because their registration was cancelled (and only those can come back). */
const CANCELLED_REGISTRATION = 'registration cancelled';

type Tx = Prisma.TransactionClient;

// Many people pressing at once queue for the event's lock; give them time.
const TX_OPTIONS = { maxWait: 20_000, timeout: 30_000 };

export interface NewEvent {
  programmeId: number;
  title: string;
  startsAt: Date;
  place: string;
  capacity: number;
  createdById: number;
  at: Date;
}

/** An event waiting for its audience: audience is empty until the coordinator picks one, and then it is announced. */
export function createEventDraft(db: Database, event: NewEvent): Promise<ProgrammeEvent> {
  return db.programmeEvent.create({
    data: {
      programmeId: event.programmeId,
      title: event.title,
      startsAt: event.startsAt,
      place: event.place,
      capacity: event.capacity,
      audience: '',
      createdById: event.createdById,
      createdAt: event.at,
    },
  });
}

export function findEvent(db: Database, id: number): Promise<ProgrammeEvent | null> {
  return db.programmeEvent.findUnique({ where: { id } });
}

export const isAnnounced = (event: Pick<ProgrammeEvent, 'audience' | 'cancelledAt'>) => event.audience !== '' && !event.cancelledAt;

/** Drops a draft that was never announced; false if it was announced (or dropped) meanwhile. */
export async function discardEventDraft(db: Database, id: number, at: Date): Promise<boolean> {
  const { count } = await db.programmeEvent.updateMany({ where: { id, audience: '', cancelledAt: null }, data: { cancelledAt: at } });
  return count === 1;
}

/**
 * Sets the audience of a draft and queues the announcement to each of them, together:
 * a second press (here or on another instance) finds it announced and sends nothing.
 */
export async function announceEvent(
  db: Database,
  eventId: number,
  audience: string,
  announcements: readonly OutgoingMessageInput[],
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.programmeEvent.updateMany({ where: { id: eventId, audience: '', cancelledAt: null }, data: { audience } });
    if (count !== 1) return false;
    await enqueue(tx, announcements);
    return true;
  }, TX_OPTIONS);
}

/** Announced events that have not started, soonest first. */
export function listUpcomingEvents(db: Database, programmeId: number, now: Date): Promise<ProgrammeEvent[]> {
  return db.programmeEvent.findMany({
    where: { programmeId, startsAt: { gt: now }, cancelledAt: null, NOT: { audience: '' } },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
  });
}

export interface EventCounts {
  registered: number;
  waitlisted: number;
}

export async function registrationCounts(db: Database, eventIds: readonly number[]): Promise<Map<number, EventCounts>> {
  const groups = await db.eventRegistration.groupBy({
    by: ['eventId', 'status'],
    where: { eventId: { in: [...eventIds] }, status: { in: ['registered', 'waitlisted'] } },
    _count: { _all: true },
  });
  const counts = new Map<number, EventCounts>(eventIds.map((id) => [id, { registered: 0, waitlisted: 0 }]));
  for (const group of groups) {
    const entry = counts.get(group.eventId)!;
    if (group.status === 'registered') entry.registered = group._count._all;
    else entry.waitlisted = group._count._all;
  }
  return counts;
}

/** The person's registrations for these events, by event id. */
export async function registrationsOfPerson(db: Database, personId: number, eventIds: readonly number[]): Promise<Map<number, EventRegistration>> {
  const rows = await db.eventRegistration.findMany({ where: { personId, eventId: { in: [...eventIds] } } });
  return new Map(rows.map((r) => [r.eventId, r]));
}

/** 1 for the first person on the waitlist; the order is registeredAt, then id. */
export async function waitlistPosition(store: Pick<Database, 'eventRegistration'>, registration: EventRegistration): Promise<number> {
  const ahead = await store.eventRegistration.count({
    where: {
      eventId: registration.eventId,
      status: 'waitlisted',
      OR: [{ registeredAt: { lt: registration.registeredAt } }, { registeredAt: registration.registeredAt, id: { lt: registration.id } }],
    },
  });
  return ahead + 1;
}

/** The event's people: registered (in the order they got their place) and the waitlist (in its order). */
export async function listRegistrations(db: Database, eventId: number) {
  const rows = await db.eventRegistration.findMany({ where: { eventId }, orderBy: [{ registeredAt: 'asc' }, { id: 'asc' }] });
  const people = await db.person.findMany({ where: { id: { in: rows.map((r) => r.personId) } } });
  const byId = new Map(people.map((p) => [p.id, p]));
  const withPerson = rows.flatMap((r) => {
    const person = byId.get(r.personId);
    return person ? [{ ...r, person }] : [];
  });
  return {
    registered: withPerson
      .filter((r) => r.status === 'registered')
      // People who moved up got their place when they moved up.
      .sort((a, b) => placeTime(a) - placeTime(b) || a.id - b.id),
    waitlisted: withPerson.filter((r) => r.status === 'waitlisted'),
    cancelled: withPerson.filter((r) => r.status === 'cancelled').length,
  };
}

const placeTime = (r: EventRegistration) => (r.promotedAt ?? r.registeredAt).getTime();

/** What a registration or a move up queues for the person: reminders and the like, built by the feature. */
export type MessagesFor = (person: Person, event: ProgrammeEvent, change: { registration: EventRegistration; promoted: boolean }) => OutgoingMessageInput[];

/**
 * Runs `work` holding the event: PostgreSQL locks the event's row until the transaction
 * ends; SQLite has one writer and runs one transaction at a time anyway.
 */
async function withEventLocked<T>(db: Database, provider: DatabaseProvider, eventId: number, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => {
    if (provider === 'postgresql') await tx.$queryRawUnsafe('SELECT id FROM "ProgrammeEvent" WHERE id = $1 FOR UPDATE', eventId);
    return work(tx);
  }, TX_OPTIONS);
}

/**
 * Cancels an announced event that has not started: nothing about it still waiting in
 * the outbox goes out (announcements, reminders), and `notices` for the people who had
 * a place or were waiting are queued, together. Undefined when it is no longer
 * announced (cancelled meanwhile) or has started.
 */
export async function cancelEvent(
  db: Database,
  provider: DatabaseProvider,
  input: { eventId: number; now: Date; notices: (people: Person[], event: ProgrammeEvent) => OutgoingMessageInput[] },
): Promise<{ event: ProgrammeEvent; told: number } | undefined> {
  return withEventLocked(db, provider, input.eventId, async (tx) => {
    const event = await tx.programmeEvent.findUnique({ where: { id: input.eventId } });
    if (!event || !isAnnounced(event) || event.startsAt.getTime() <= input.now.getTime()) return undefined;
    await tx.programmeEvent.update({ where: { id: event.id }, data: { cancelledAt: input.now } });
    await tx.outgoingMessage.updateMany({ where: { eventId: event.id, status: 'pending' }, data: { status: 'dropped', error: 'event cancelled' } });
    const holding = await tx.eventRegistration.findMany({ where: { eventId: event.id, status: { in: ['registered', 'waitlisted'] } } });
    const people = await tx.person.findMany({ where: { id: { in: holding.map((r) => r.personId) } } });
    const notices = input.notices(people, event);
    await enqueue(tx, notices);
    return { event, told: notices.length };
  });
}

export type RegisterOutcome =
  | { kind: 'not_found' }
  | { kind: 'started'; event: ProgrammeEvent }
  | { kind: 'already'; event: ProgrammeEvent; registration: EventRegistration; position?: number }
  | { kind: 'registered'; event: ProgrammeEvent; registration: EventRegistration }
  | { kind: 'waitlisted'; event: ProgrammeEvent; registration: EventRegistration; position: number };

/**
 * Gives the person a place if one is free, or puts them at the end of the waitlist;
 * counting the places and taking one happen in one transaction under the event's lock.
 * A registered person's reminders are queued in the same transaction.
 */
export async function register(
  db: Database,
  provider: DatabaseProvider,
  input: { eventId: number; person: Person; now: Date; messages: MessagesFor },
): Promise<RegisterOutcome> {
  return withEventLocked(db, provider, input.eventId, async (tx) => {
    const event = await tx.programmeEvent.findUnique({ where: { id: input.eventId } });
    if (!event || !isAnnounced(event)) return { kind: 'not_found' };
    if (event.startsAt.getTime() <= input.now.getTime()) return { kind: 'started', event };
    const existing = await tx.eventRegistration.findUnique({ where: { eventId_personId: { eventId: event.id, personId: input.person.id } } });
    if (existing && existing.status === 'registered') return { kind: 'already', event, registration: existing };
    if (existing && existing.status === 'waitlisted') {
      return { kind: 'already', event, registration: existing, position: await waitlistPosition(tx, existing) };
    }
    const taken = await tx.eventRegistration.count({ where: { eventId: event.id, status: 'registered' } });
    const status: RegistrationStatus = taken < event.capacity ? 'registered' : 'waitlisted';
    // Someone who cancelled and comes back starts again at the end of the line.
    const data = { status, registeredAt: input.now, promotedAt: null };
    const registration = existing
      ? await tx.eventRegistration.update({ where: { id: existing.id }, data })
      : await tx.eventRegistration.create({ data: { eventId: event.id, personId: input.person.id, ...data } });
    if (status === 'waitlisted') return { kind: 'waitlisted', event, registration, position: await waitlistPosition(tx, registration) };
    await queueFor(tx, input.person, event, registration, false, input);
    return { kind: 'registered', event, registration };
  });
}

export type CancelOutcome =
  | { kind: 'not_found' }
  | { kind: 'started'; event: ProgrammeEvent }
  | { kind: 'not_registered'; event: ProgrammeEvent }
  | { kind: 'cancelled'; event: ProgrammeEvent; wasRegistered: boolean; promoted: Person[] };

/**
 * Cancels the person's registration (or their place on the waitlist), drops their
 * pending reminders, and gives any free place to the first people on the waitlist,
 * queueing their reminders and the message that they moved up.
 */
export async function cancelRegistration(
  db: Database,
  provider: DatabaseProvider,
  input: { eventId: number; personId: number; now: Date; messages: MessagesFor },
): Promise<CancelOutcome> {
  return withEventLocked(db, provider, input.eventId, async (tx) => {
    const event = await tx.programmeEvent.findUnique({ where: { id: input.eventId } });
    if (!event || !isAnnounced(event)) return { kind: 'not_found' };
    if (event.startsAt.getTime() <= input.now.getTime()) return { kind: 'started', event };
    const existing = await tx.eventRegistration.findUnique({ where: { eventId_personId: { eventId: event.id, personId: input.personId } } });
    if (!existing || existing.status === 'cancelled') return { kind: 'not_registered', event };
    await tx.eventRegistration.update({ where: { id: existing.id }, data: { status: 'cancelled' } });
    await dropRegistrationMessages(tx, event.id, input.personId);

    const promoted: Person[] = [];
    let taken = await tx.eventRegistration.count({ where: { eventId: event.id, status: 'registered' } });
    while (taken < event.capacity) {
      const next = await tx.eventRegistration.findFirst({
        where: { eventId: event.id, status: 'waitlisted' },
        orderBy: [{ registeredAt: 'asc' }, { id: 'asc' }],
      });
      if (!next) break;
      const registration = await tx.eventRegistration.update({ where: { id: next.id }, data: { status: 'registered', promotedAt: input.now } });
      const person = await tx.person.findUnique({ where: { id: next.personId } });
      if (person) {
        await queueFor(tx, person, event, registration, true, input);
        promoted.push(person);
      }
      taken++;
    }
    return { kind: 'cancelled', event, wasRegistered: existing.status === 'registered', promoted };
  });
}

async function queueFor(
  tx: Tx,
  person: Person,
  event: ProgrammeEvent,
  registration: EventRegistration,
  promoted: boolean,
  input: { now: Date; messages: MessagesFor },
): Promise<void> {
  // Reminders dropped by an earlier cancellation come back rather than being queued anew (their keys are taken).
  await tx.outgoingMessage.updateMany({
    where: {
      eventId: event.id,
      personId: person.id,
      kind: 'event_reminder',
      status: 'dropped',
      error: CANCELLED_REGISTRATION,
      dueAt: { gt: input.now },
    },
    data: { status: 'pending', error: null },
  });
  const messages = input.messages(person, event, { registration, promoted });
  // Inside the lock: no one else can be queueing this person's rows for this event now.
  if (messages.length > 0) await enqueue(tx, messages);
}

/** The person's reminders for the event that are not sent yet are not sent at all. */
export async function dropRegistrationMessages(store: Pick<Database, 'outgoingMessage'>, eventId: number, personId: number): Promise<number> {
  const { count } = await store.outgoingMessage.updateMany({
    where: { eventId, personId, status: 'pending', kind: { in: [...REGISTRATION_MESSAGE_KINDS] } },
    data: { status: 'dropped', error: CANCELLED_REGISTRATION },
  });
  return count;
}
