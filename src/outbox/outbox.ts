import type { InlineKeyboardButton } from 'grammy/types';
import type { Database } from '../db/database.js';
import { existingDedupeKeys, insertOutgoing, insertOutgoingOne, type OutgoingRowData } from '../db/outgoing-messages.js';

/**
 * The durable outbox. Everything the bot sends on its own (broadcasts, session
 * reminders, monthly nudges, delivery reports) is queued here first and sent by
 * src/outbox/sender.ts within Telegram's limits, by whichever instance claims it.
 */

export type OutgoingStatus = 'pending' | 'sending' | 'sent' | 'blocked' | 'failed' | 'dropped' | 'uncertain';

/** Statuses a message never leaves. */
export const FINISHED_STATUSES: readonly OutgoingStatus[] = ['sent', 'blocked', 'failed', 'dropped', 'uncertain'];

/** A calendar file sent as a document with the message as its caption. */
export interface IcsAttachment {
  kind: 'ics';
  /** File name as the person sees it, e.g. "session-12.ics". */
  name: string;
  content: string;
}

export type OutgoingAttachment = IcsAttachment;

export interface OutgoingMessageInput {
  /** The same key is never queued twice: e.g. "broadcast:12:345" or "reminder:session:7:person:3:1440". */
  dedupeKey: string;
  /** What it is, for logs and reports: "broadcast", "session_reminder", … */
  kind: string;
  personId: number;
  /** The person's Telegram id (their private chat). */
  chatId: bigint;
  /**
   * An i18n key rendered in the person's language when sent (their language may change
   * in between), with its parameters. Values are HTML-escaped as in every message.
   */
  template?: string;
  params?: Record<string, unknown>;
  /** Or a fixed text, already in HTML (escape people's own words with escapeHtml). */
  text?: string;
  attachment?: OutgoingAttachment;
  /** Inline keyboard rows. */
  buttons?: InlineKeyboardButton[][];
  dueAt: Date;
  /** After this moment the message is dropped rather than sent late. */
  expiresAt?: Date;
  broadcastId?: number;
  sessionId?: number;
  eventId?: number;
  /** 'blocked' records a person who blocked the bot as skipped without trying to send. */
  status?: 'pending' | 'blocked';
}

/** A client or a transaction: enqueueing can be part of a larger change. */
export type OutboxStore = Pick<Database, 'outgoingMessage'>;

const CHUNK = 500;

function toRow(message: OutgoingMessageInput): OutgoingRowData {
  if (message.template === undefined && message.text === undefined && message.attachment === undefined) {
    throw new Error(`Outgoing message ${message.dedupeKey} has nothing to send`);
  }
  return {
    dedupeKey: message.dedupeKey,
    kind: message.kind,
    personId: message.personId,
    chatId: message.chatId,
    template: message.template ?? null,
    params: message.params === undefined ? null : JSON.stringify(message.params),
    text: message.text ?? null,
    attachment: message.attachment ? JSON.stringify(message.attachment) : null,
    buttons: message.buttons ? JSON.stringify(message.buttons) : null,
    dueAt: message.dueAt,
    expiresAt: message.expiresAt ?? null,
    broadcastId: message.broadcastId ?? null,
    sessionId: message.sessionId ?? null,
    eventId: message.eventId ?? null,
    status: message.status ?? 'pending',
    ...(message.status === 'blocked' ? { error: 'blocked the bot before sending' } : {}),
  };
}

/**
 * Queues messages; those whose dedupeKey is already queued (by this or another
 * instance, now or earlier) are left out. Returns how many were queued. Inside a
 * PostgreSQL transaction a key queued concurrently fails the transaction instead,
 * so pass a transaction only for keys that cannot exist yet (e.g. a new broadcast's).
 */
export async function enqueue(store: OutboxStore, messages: readonly OutgoingMessageInput[]): Promise<number> {
  let queued = 0;
  for (let start = 0; start < messages.length; start += CHUNK) {
    const chunk = messages.slice(start, start + CHUNK);
    const taken = await existingDedupeKeys(store, chunk.map((m) => m.dedupeKey));
    const fresh = new Map<string, OutgoingRowData>();
    for (const message of chunk) {
      if (!taken.has(message.dedupeKey) && !fresh.has(message.dedupeKey)) fresh.set(message.dedupeKey, toRow(message));
    }
    if (fresh.size === 0) continue;
    try {
      queued += await insertOutgoing(store, [...fresh.values()]);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another instance queued some of them in the meantime: add the rest one by one.
      for (const row of fresh.values()) {
        try {
          await insertOutgoingOne(store, row);
          queued++;
        } catch (rowError) {
          if (!isUniqueViolation(rowError)) throw rowError;
        }
      }
    }
  }
  if (queued > 0) nudgeOutbox();
  return queued;
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

// Senders in this process wake at once when something is queued instead of at their next poll.
const wakers = new Set<() => void>();

export function nudgeOutbox(): void {
  for (const wake of wakers) wake();
}

/** Used by the sender: `wake` runs whenever something is queued in this process. */
export function onOutboxNudge(wake: () => void): () => void {
  wakers.add(wake);
  return () => wakers.delete(wake);
}
