import type { AppDeps } from '../context.js';
import type { Person, Programme } from '../db/database.js';
import {
  cancelSession,
  createSession,
  dropPendingSessionMessages,
  listUpcomingSessions,
  markFollowUpSent,
  moveSession,
  type NewSession,
  type Session,
  scheduledSessionsFrom,
  sessionsAwaitingFollowUp,
  setReminderOffsets,
} from '../db/sessions.js';
import { enqueue } from '../outbox/outbox.js';
import { cancellations, followUp, invitations, offsetOfReminderKey, REMINDER_KIND, reminders } from './notices.js';
import { loadParty, loadSessionParty, recipientsOf, type SessionParty } from './participants.js';

/**
 * The changes to a session and what everyone is sent because of them, each done in
 * one transaction: the session row, the dropped old reminders and the queued messages
 * change together or not at all.
 */

export async function scheduleSession(
  deps: AppDeps,
  programme: Programme,
  input: NewSession,
): Promise<{ session: Session; party: SessionParty; invited: number } | undefined> {
  const party = await loadParty(deps.db, input.pairId, input.organiserId);
  if (!party) return undefined;
  const session = await deps.db.$transaction(async (tx) => {
    const created = await createSession(tx, input);
    await enqueue(tx, [...(await invitations(deps, programme, created, party)), ...reminders(deps, programme, created, party)]);
    return created;
  });
  return { session, party, invited: recipientsOf(party).length };
}

/** Undefined when the session changed in the meantime (moved, cancelled or recorded). */
export async function rescheduleSession(
  deps: AppDeps,
  programme: Programme,
  session: Session,
  startsAt: Date,
  actor: Person,
): Promise<Session | undefined> {
  const party = await loadSessionParty(deps.db, session);
  if (!party) return undefined;
  return deps.db.$transaction(async (tx) => {
    const moved = await moveSession(tx, { id: session.id, expectedSequence: session.sequence, startsAt });
    if (!moved) return undefined;
    await dropPendingSessionMessages(tx, session.id, { reason: 'the session was moved' });
    await enqueue(tx, [
      ...(await invitations(deps, programme, moved, party, { previousStart: session.startsAt, changedBy: actor })),
      ...reminders(deps, programme, moved, party),
    ]);
    return moved;
  });
}

export async function cancelAndNotify(deps: AppDeps, programme: Programme, session: Session, actor: Person): Promise<Session | undefined> {
  const party = await loadSessionParty(deps.db, session);
  if (!party) return undefined;
  return deps.db.$transaction(async (tx) => {
    const cancelled = await cancelSession(tx, { id: session.id, expectedSequence: session.sequence });
    if (!cancelled) return undefined;
    await dropPendingSessionMessages(tx, session.id, { reason: 'the session was cancelled' });
    await enqueue(tx, await cancellations(deps, programme, cancelled, party, actor));
    return cancelled;
  });
}

/**
 * A pair has ended: its sessions still to come are cancelled, so nobody is invited to
 * or reminded of a meeting that will not happen, and everyone invited is told. A
 * session already under way is left alone. Returns how many were cancelled.
 */
export async function cancelSessionsOfEndedPair(deps: AppDeps, programme: Programme, pairId: number, actor: Person): Promise<number> {
  const now = deps.clock.now();
  let cancelled = 0;
  for (const session of await listUpcomingSessions(deps.db, { programmeId: programme.id, now, pairIds: [pairId] })) {
    if (session.startsAt.getTime() <= now.getTime()) continue;
    if (await cancelAndNotify(deps, programme, session, actor)) cancelled++;
  }
  return cancelled;
}

/**
 * New reminder offsets for the programme. Upcoming sessions follow them: reminders
 * for offsets no longer wanted are dropped, those for new offsets are queued.
 */
export async function changeReminderOffsets(deps: AppDeps, programme: Programme, offsets: number[]): Promise<void> {
  await setReminderOffsets(deps.db, programme.id, offsets);
  const updated = { ...programme, reminderOffsets: JSON.stringify(offsets) };
  const wanted = new Set(offsets);
  for (const session of await scheduledSessionsFrom(deps.db, programme.id, deps.clock.now())) {
    const party = await loadSessionParty(deps.db, session);
    if (!party) continue;
    await dropPendingSessionMessages(deps.db, session.id, {
      onlyKinds: [REMINDER_KIND],
      keep: (key) => wanted.has(offsetOfReminderKey(key) ?? -1),
      reason: 'reminder times changed',
    });
    await enqueue(deps.db, reminders(deps, updated, session, party, offsets));
  }
}

/**
 * Asks the mentor of every session that has ended whether it took place. Safe to run
 * on several instances at once: the follow-up's key is unique per session version.
 */
export async function queueFollowUps(deps: AppDeps, programme: Programme): Promise<number> {
  let queued = 0;
  for (const session of await sessionsAwaitingFollowUp(deps.db, deps.clock.now())) {
    const party = await loadSessionParty(deps.db, session);
    const message = party ? followUp(deps, programme, session, party) : undefined;
    if (message) queued += await enqueue(deps.db, [message]);
    await markFollowUpSent(deps.db, session.id, session.sequence, deps.clock.now());
  }
  return queued;
}
