import type { AppDeps } from '../context.js';
import { type Audience, unionOfPeople } from '../domain/audiences.js';
import { enqueue, type OutgoingMessageInput } from '../outbox/outbox.js';
import type { Database, Person } from './database.js';
import { countByStatus } from './outgoing-messages.js';
import type { Broadcast } from '../generated/sqlite/client.ts';

export type { Broadcast };

/** The i18n key of the delivery report a coordinator gets when a broadcast is finished. */
export const BROADCAST_REPORT_TEMPLATE = 'broadcast.report';

const ID_CHUNK = 500;

function personIdOfOwner(ownerKey: string): number | undefined {
  const match = /^person:(\d+)$/.exec(ownerKey);
  return match ? Number(match[1]) : undefined;
}

/** People with a submitted mentor application. */
async function applicants(db: Database, programmeId: number): Promise<number[]> {
  const rows = await db.formResponse.findMany({
    where: { programmeId, formId: 'application', status: 'submitted' },
    select: { ownerKey: true },
  });
  return rows.map((r) => personIdOfOwner(r.ownerKey)).filter((id): id is number => id !== undefined);
}

async function mentors(db: Database, programmeId: number): Promise<number[]> {
  return (await db.mentor.findMany({ where: { programmeId }, select: { personId: true } })).map((m) => m.personId);
}

async function teamMembers(db: Database, where: { programmeId: number; teamIds?: number[] }): Promise<number[]> {
  const rows = await db.teamMember.findMany({
    where: { team: { programmeId: where.programmeId }, ...(where.teamIds ? { teamId: { in: where.teamIds } } : {}) },
    select: { personId: true },
  });
  return rows.map((r) => r.personId);
}

/** Both sides of the active pairs: the mentor and every member of the team. */
async function activePairs(db: Database, programmeId: number): Promise<number[]> {
  const pairs = await db.pair.findMany({ where: { programmeId, status: 'active' }, select: { mentorId: true, teamId: true } });
  if (pairs.length === 0) return [];
  const mentorPeople = await db.mentor.findMany({ where: { id: { in: pairs.map((p) => p.mentorId) } }, select: { personId: true } });
  const members = await teamMembers(db, { programmeId, teamIds: pairs.map((p) => p.teamId) });
  return unionOfPeople(mentorPeople.map((m) => m.personId), members);
}

/** Person ids of an audience, each once. */
export async function audiencePersonIds(db: Database, programmeId: number, audience: Audience): Promise<number[]> {
  switch (audience) {
    case 'applicants':
      return unionOfPeople(await applicants(db, programmeId));
    case 'mentors':
      return unionOfPeople(await mentors(db, programmeId));
    case 'teams':
      return unionOfPeople(await teamMembers(db, { programmeId }));
    case 'pairs':
      return activePairs(db, programmeId);
    case 'everyone':
      return unionOfPeople(await applicants(db, programmeId), await mentors(db, programmeId), await teamMembers(db, { programmeId }));
  }
}

export async function audiencePeople(db: Database, programmeId: number, audience: Audience): Promise<Person[]> {
  const ids = await audiencePersonIds(db, programmeId, audience);
  const people: Person[] = [];
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    people.push(...(await db.person.findMany({ where: { id: { in: ids.slice(i, i + ID_CHUNK) } }, orderBy: { id: 'asc' } })));
  }
  return people;
}

// ---- Drafts ----

/** A broadcast waiting for its text: text is empty until the coordinator sends it. */
export async function startDraft(db: Database, draft: { programmeId: number; audience: Audience; createdById: number; at: Date }): Promise<Broadcast> {
  // One draft per coordinator: choosing an audience again starts over.
  await db.broadcast.deleteMany({ where: { createdById: draft.createdById, confirmedAt: null } });
  return db.broadcast.create({
    data: { programmeId: draft.programmeId, audience: draft.audience, text: '', createdById: draft.createdById, createdAt: draft.at },
  });
}

/** The coordinator's draft still waiting for its text, if started after `since`. */
export function draftAwaitingText(db: Database, createdById: number, since: Date): Promise<Broadcast | null> {
  return db.broadcast.findFirst({
    where: { createdById, confirmedAt: null, text: '', createdAt: { gte: since } },
    orderBy: { id: 'desc' },
  });
}

export async function setDraftText(db: Database, id: number, text: string): Promise<boolean> {
  const updated = await db.broadcast.updateMany({ where: { id, confirmedAt: null }, data: { text } });
  return updated.count === 1;
}

export function findBroadcast(db: Database, id: number): Promise<Broadcast | null> {
  return db.broadcast.findUnique({ where: { id } });
}

/** Drops an unconfirmed draft; a confirmed broadcast is never deleted. */
export async function discardDraft(db: Database, id: number): Promise<boolean> {
  return (await db.broadcast.deleteMany({ where: { id, confirmedAt: null } })).count === 1;
}

/**
 * Confirms a draft and queues one message per recipient in the same transaction:
 * either the broadcast is confirmed with all its messages queued, or nothing happened
 * (a second press, here or on another instance, finds it confirmed). People who
 * blocked the bot get a 'blocked' row, so the delivery report counts them.
 */
export async function confirmBroadcast(
  db: Database,
  broadcast: Broadcast,
  recipients: ReadonlyArray<Pick<Person, 'id' | 'telegramId' | 'blockedAt'>>,
  messageText: string,
  at: Date,
): Promise<{ queued: number; blocked: number } | undefined> {
  const messages: OutgoingMessageInput[] = recipients.map((person) => ({
    dedupeKey: `broadcast:${broadcast.id}:${person.id}`,
    kind: 'broadcast',
    personId: person.id,
    chatId: person.telegramId,
    text: messageText,
    dueAt: at,
    broadcastId: broadcast.id,
    status: person.blockedAt ? 'blocked' : 'pending',
  }));
  return db.$transaction(
    async (tx) => {
      const claimed = await tx.broadcast.updateMany({ where: { id: broadcast.id, confirmedAt: null }, data: { confirmedAt: at } });
      if (claimed.count === 0) return undefined;
      await enqueue(tx, messages);
      const blocked = messages.filter((m) => m.status === 'blocked').length;
      return { queued: messages.length - blocked, blocked };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

export interface DeliveryCounts {
  total: number;
  pending: number;
  sent: number;
  blocked: number;
  failed: number;
  uncertain: number;
}

export async function deliveryCounts(db: Database, broadcastId: number): Promise<DeliveryCounts> {
  const groups = await countByStatus(db, { broadcastId });
  const count = (...statuses: string[]) => groups.filter((g) => statuses.includes(g.status)).reduce((n, g) => n + g._count._all, 0);
  return {
    total: count('pending', 'sending', 'sent', 'blocked', 'failed', 'dropped', 'uncertain'),
    pending: count('pending', 'sending'),
    sent: count('sent'),
    blocked: count('blocked'),
    failed: count('failed', 'dropped'),
    uncertain: count('uncertain'),
  };
}

/**
 * Queues the delivery report of every confirmed broadcast whose messages are all
 * finished. Marking it reported and queueing the report happen together, so the
 * coordinator gets it exactly once, whichever instance notices first.
 */
export async function reportFinishedBroadcasts(deps: AppDeps): Promise<number> {
  const { db, clock } = deps;
  const open = await db.broadcast.findMany({ where: { confirmedAt: { not: null }, reportedAt: null }, orderBy: { id: 'asc' } });
  let reported = 0;
  for (const broadcast of open) {
    const counts = await deliveryCounts(db, broadcast.id);
    if (counts.pending > 0) continue;
    const coordinator = await db.person.findUnique({ where: { id: broadcast.createdById } });
    const now = clock.now();
    await db.$transaction(async (tx) => {
      const claimed = await tx.broadcast.updateMany({ where: { id: broadcast.id, reportedAt: null }, data: { reportedAt: now } });
      if (claimed.count === 0 || !coordinator) return;
      await enqueue(tx, [
        {
          dedupeKey: `broadcast-report:${broadcast.id}`,
          kind: 'broadcast_report',
          personId: coordinator.id,
          chatId: coordinator.telegramId,
          template: BROADCAST_REPORT_TEMPLATE,
          params: {
            excerpt: excerpt(broadcast.text),
            total: counts.total,
            sent: counts.sent,
            blocked: counts.blocked,
            failed: counts.failed,
            uncertain: counts.uncertain,
            ...(counts.uncertain > 0 ? { context: 'uncertain' } : {}),
          },
          dueAt: now,
        },
      ]);
      reported++;
    });
  }
  return reported;
}

function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 60).trimEnd()}…` : line;
}

/** /cancel: a broadcast not yet confirmed (waiting for its text, or shown as a preview) is dropped. Returns whether there was one. */
export async function discardWaitingDrafts(db: Database, createdById: number): Promise<boolean> {
  return (await db.broadcast.deleteMany({ where: { createdById, confirmedAt: null } })).count > 0;
}
