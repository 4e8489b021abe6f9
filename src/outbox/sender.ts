import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Api, GrammyError, InputFile } from 'grammy';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import type { AppDeps } from '../context.js';
import { reportFinishedBroadcasts } from '../db/broadcasts.js';
import type { Person } from '../db/database.js';
import {
  claimDueMessages,
  dropExpired,
  markAbandonedUncertain,
  markBlockedMessage,
  markDropped,
  markFailed,
  markSent,
  type OutgoingMessage,
  recipientsOf,
  releaseMessages,
} from '../db/outgoing-messages.js';
import { markBlocked } from '../db/people.js';
import { type ArrivalWindow, createArrivalWindow, createPacer, type Pacer, pickNextChat } from '../domain/send-pacing.js';
import { isLocale } from '../locales.js';
import { onOutboxNudge, type OutgoingAttachment } from './outbox.js';

/** How often the queue is looked at when nothing nudges the sender. */
export const POLL_INTERVAL_MS = 250;
/** A message claimed longer ago than this by an instance that never finished it is 'uncertain'. */
export const CLAIM_LEASE_MS = 2 * 60_000;
/** About one second of sending: an instance that dies loses at most this many to 'uncertain'. */
export const CLAIM_BATCH = 30;
/** Sends waiting for Telegram's answer at once (different chats). */
const MAX_IN_FLIGHT = 8;
/** A pass stops taking new messages from its batch after this long, well inside the lease. */
const PASS_BUDGET_MS = CLAIM_LEASE_MS / 3;
/** Attempts after which a message failing with a temporary error is given up. */
export const MAX_ATTEMPTS = 5;
/** Wait before retrying a temporary failure, by attempt. */
const RETRY_DELAYS_MS = [10_000, 60_000, 5 * 60_000, 30 * 60_000];
const CAPTION_LIMIT = 1024;
const REPORT_CHECK_INTERVAL_MS = 1_000;

/**
 * Telegram's limits, kept with three pacers: `arrivals` counts a message from when it
 * leaves until a second after its answer, so no 31 can arrive at Telegram within one
 * second whatever the network does; `overall` spaces the sends evenly and holds them
 * all after a 429; the one per chat counts a message when Telegram has answered, so
 * the next message to that chat arrives a full interval after the previous one
 * however long the network took.
 */
export interface OutboxPacing {
  arrivals: ArrivalWindow;
  overall: Pacer;
  perChat: Pacer;
}

/**
 * Telegram's ≈30 a second, counted as Telegram counts them (see `arrivals`): the
 * steady rate is 30 per (1 s + the round trip), e.g. 29.7/s with 10 ms answers.
 */
export const OVERALL_PER_SECOND = 30;
/**
 * A gap between sends, so that a second's worth never leaves at once. A little
 * shorter than 1000/30 ms, so that the sender's own pauses (waiting for answers,
 * claiming the next batch) come out of the slack at the end of each second rather
 * than out of the rate.
 */
const OVERALL_MIN_INTERVAL_MS = 1000 / 32;

export function createOutboxPacing(): OutboxPacing {
  return {
    arrivals: createArrivalWindow(OVERALL_PER_SECOND),
    overall: createPacer({ perSecond: OVERALL_PER_SECOND, perChatIntervalMs: 0, minIntervalMs: OVERALL_MIN_INTERVAL_MS }),
    perChat: createPacer({ perSecond: 1000 }),
  };
}

interface SendPacer extends Pacer {
  /** Telegram answered a message (or the request failed): it can no longer arrive later. */
  answered(nowMs: number): void;
}

/** The wait before a message to a chat may leave, by all three pacers. */
function combined(pacing: OutboxPacing): SendPacer {
  return {
    next: (chatId, nowMs) =>
      Math.max(pacing.arrivals.next(nowMs), pacing.overall.next(chatId, nowMs), pacing.perChat.next(chatId, nowMs)),
    record: (chatId, nowMs) => {
      pacing.arrivals.started();
      pacing.overall.record(chatId, nowMs);
    },
    pauseUntil: (untilMs) => pacing.overall.pauseUntil(untilMs),
    pausedFor: (nowMs) => pacing.overall.pausedFor(nowMs),
    answered: (nowMs) => pacing.arrivals.answered(nowMs),
  };
}

export interface SendOptions {
  /** Shared across passes, so limits hold between them. */
  pacing?: OutboxPacing;
  /** Aborted when the sender stops: no new send starts, sends in progress finish. */
  signal?: AbortSignal;
  /** Real elapsed time for pacing (Telegram's limits are in real seconds, whatever deps.clock says). */
  elapsedMs?: () => number;
}

export interface PassResult {
  sent: number;
  blocked: number;
  failed: number;
  retried: number;
  dropped: number;
  uncertain: number;
}

type Outcome = 'sent' | 'blocked' | 'failed' | 'retried' | 'paused';

/**
 * The sender's own Api: without the bot's auto-retry, so that a 429 pauses every
 * send of this instance (and the message is retried by the outbox, counted once)
 * instead of one request sleeping inside the HTTP client.
 */
const bareApis = new WeakMap<Api, Api>();
function bareApi(api: Api): Api {
  let bare = bareApis.get(api);
  if (!bare) {
    bare = new Api(api.token, api.options);
    bareApis.set(api, bare);
  }
  return bare;
}

export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/**
 * One pass over the outbox: gives up on messages abandoned mid-send, drops expired
 * ones, then claims and sends due messages batch by batch until none are due (or
 * the signal stops it). Exported for tests and benchmarks; the bot runs it in a loop.
 */
export async function sendDueMessages(deps: AppDeps, api: Api, instanceId: string, options: SendOptions = {}): Promise<PassResult> {
  const { db, logger, clock } = deps;
  const pacing = options.pacing ?? createOutboxPacing();
  const pacer = combined(pacing);
  const elapsed = options.elapsedMs ?? (() => performance.now());
  const result: PassResult = { sent: 0, blocked: 0, failed: 0, retried: 0, dropped: 0, uncertain: 0 };

  for (const message of await markAbandonedUncertain(db, new Date(clock.now().getTime() - CLAIM_LEASE_MS))) {
    logger.warn(
      { outgoingId: message.id, kind: message.kind, personId: message.personId, claimedBy: message.claimedBy },
      'outgoing message abandoned mid-send: marked uncertain, not sent again',
    );
    result.uncertain++;
  }
  for (const message of await dropExpired(db, clock.now())) {
    logger.info({ outgoingId: message.id, kind: message.kind, personId: message.personId }, 'outgoing message expired: dropped');
    result.dropped++;
  }

  const started = elapsed();
  while (!options.signal?.aborted && elapsed() - started < PASS_BUDGET_MS) {
    // Claim nothing while Telegram asked us to wait: the rows stay free for others.
    // Only that pause: the pacing waits are better spent claiming the next batch.
    const pause = pacer.pausedFor(elapsed());
    if (pause > 0) {
      await sleep(pause, options.signal);
      continue;
    }
    const batch = await claimDueMessages(db, deps.config.database.provider, { instanceId, now: clock.now(), limit: CLAIM_BATCH });
    if (batch.length === 0) break;
    // After a 429 the loop comes back to the pause above before claiming more.
    await sendBatch(deps, bareApi(api), batch, pacer, pacing.perChat, elapsed, options.signal, result, started);
  }
  return result;
}

/** Sends one claimed batch; returns true when Telegram asked to pause. Unsent rows go back to the queue. */
async function sendBatch(
  deps: AppDeps,
  api: Api,
  batch: OutgoingMessage[],
  pacer: SendPacer,
  perChat: Pacer,
  elapsed: () => number,
  signal: AbortSignal | undefined,
  result: PassResult,
  passStarted: number,
): Promise<boolean> {
  const { db, clock, logger } = deps;
  const people = new Map((await recipientsOf(db, batch.map((m) => m.personId))).map((p) => [p.id, p]));

  // Queues per chat, oldest first; a chat with several messages waits its turn without holding others up.
  const queues = new Map<string, OutgoingMessage[]>();
  for (const message of batch) {
    const person = people.get(message.personId);
    if (message.expiresAt && message.expiresAt.getTime() <= clock.now().getTime()) {
      await markDropped(db, message, clock.now(), 'expired before it could be sent');
      logger.info({ outgoingId: message.id, kind: message.kind, personId: message.personId }, 'outgoing message expired: dropped');
      result.dropped++;
      continue;
    }
    if (person?.blockedAt) {
      await markBlockedMessage(db, message, clock.now(), 'blocked the bot before sending');
      result.blocked++;
      continue;
    }
    const key = String(message.chatId);
    const queue = queues.get(key) ?? [];
    queue.push(message);
    queues.set(key, queue);
  }

  const inFlight = new Set<Promise<void>>();
  const busy = new Set<string>();
  let paused = false;
  while (queues.size > 0 && !paused && !signal?.aborted && elapsed() - passStarted < PASS_BUDGET_MS) {
    const ready = [...queues.keys()].filter((chat) => !busy.has(chat));
    if (ready.length === 0 || inFlight.size >= MAX_IN_FLIGHT) {
      await Promise.race(inFlight);
      continue;
    }
    const next = pickNextChat(pacer, ready, elapsed())!;
    if (next.waitMs > 0) {
      await Promise.race([sleep(next.waitMs, signal), ...inFlight]);
      continue;
    }
    const chat = String(next.chatId);
    const queue = queues.get(chat)!;
    const message = queue.shift()!;
    if (queue.length === 0) queues.delete(chat);
    pacer.record(chat, elapsed());
    busy.add(chat);
    const send = deliver(deps, api, message, people.get(message.personId), pacer, elapsed)
      .then((outcome) => {
        if (outcome === 'paused') paused = true;
        else result[outcome]++;
      })
      .catch((error) => logger.error({ err: error, outgoingId: message.id }, 'outgoing message could not be recorded'))
      .finally(() => {
        perChat.record(chat, elapsed());
        busy.delete(chat);
        inFlight.delete(send);
      });
    inFlight.add(send);
  }
  await Promise.all(inFlight);
  // Not attempted: stopping, paused by Telegram, or out of time. Another pass (or instance) takes them.
  await releaseMessages(db, [...queues.values()].flat());
  return paused;
}

async function deliver(
  deps: AppDeps,
  api: Api,
  message: OutgoingMessage,
  person: Person | undefined,
  pacer: SendPacer,
  elapsed: () => number,
): Promise<Outcome> {
  const { db, clock, logger } = deps;
  const log = { outgoingId: message.id, kind: message.kind, personId: message.personId };
  let error: unknown;
  let sent = false;
  try {
    await send(deps, api, message, person);
    sent = true;
  } catch (sendError) {
    error = sendError;
  } finally {
    // Before writing to the database: the sooner it is noted, the sooner the next may leave.
    pacer.answered(elapsed());
  }
  if (sent) {
    // If recording this fails, the row stays 'sending' and later becomes 'uncertain': never sent again.
    await markSent(db, message, clock.now());
    logger.debug(log, 'outgoing message sent');
    return 'sent';
  }
  const description = describe(error);
  if (error instanceof GrammyError && error.error_code === 403) {
    await markBlocked(db, message.chatId, clock.now());
    await markBlockedMessage(db, message, clock.now(), description);
    logger.info(log, 'outgoing message not delivered: the person blocked the bot');
    return 'blocked';
  }
  if (error instanceof GrammyError && error.error_code === 429) {
    const seconds = error.parameters.retry_after ?? 5;
    pacer.pauseUntil(elapsed() + seconds * 1000);
    await releaseMessages(db, [message]);
    logger.warn({ ...log, retryAfter: seconds }, 'Telegram asked to slow down: sending paused');
    return 'paused';
  }
  const attempts = message.attempts + 1;
  // Telegram refusing the request itself (400: chat not found, bad markup) will refuse it again.
  const permanent = error instanceof GrammyError && error.error_code >= 400 && error.error_code < 500;
  if (permanent || attempts >= MAX_ATTEMPTS) {
    await markFailed(db, message, clock.now(), description, attempts);
    logger.warn({ ...log, attempts, error: description }, 'outgoing message failed');
    return 'failed';
  }
  const delay = RETRY_DELAYS_MS[Math.min(attempts - 1, RETRY_DELAYS_MS.length - 1)]!;
  await releaseMessages(db, [message], { dueAt: new Date(clock.now().getTime() + delay), attempts, error: description });
  logger.warn({ ...log, attempts, error: description }, 'outgoing message not sent: will retry');
  return 'retried';
}

async function send(deps: AppDeps, api: Api, message: OutgoingMessage, person: Person | undefined): Promise<void> {
  const locale = person && isLocale(person.language) ? person.language : deps.config.defaultLocale;
  const t = deps.i18n.t(locale);
  const text = message.template
    ? t(message.template, (message.params ? JSON.parse(message.params) : {}) as Record<string, unknown>)
    : (message.text ?? '');
  const buttons = message.buttons ? (JSON.parse(message.buttons) as InlineKeyboardButton[][]) : undefined;
  const reply_markup: InlineKeyboardMarkup | undefined = buttons?.length ? { inline_keyboard: buttons } : undefined;
  const chatId = Number(message.chatId);
  const attachment = message.attachment ? (JSON.parse(message.attachment) as OutgoingAttachment) : undefined;

  if (!attachment) {
    await api.sendMessage(chatId, text, { parse_mode: 'HTML', reply_markup, link_preview_options: { is_disabled: true } });
    return;
  }
  const file = new InputFile(Buffer.from(attachment.content, 'utf8'), attachment.name);
  if (text.length <= CAPTION_LIMIT) {
    await api.sendDocument(chatId, file, { ...(text ? { caption: text, parse_mode: 'HTML' } : {}), reply_markup });
    return;
  }
  // Too long for a caption: the message first; it counts as delivered once it is sent.
  await api.sendMessage(chatId, text, { parse_mode: 'HTML', reply_markup, link_preview_options: { is_disabled: true } });
  try {
    await api.sendDocument(chatId, file);
  } catch (error) {
    deps.logger.warn({ outgoingId: message.id, error: describe(error) }, 'attachment of a delivered message not sent');
  }
}

function describe(error: unknown): string {
  if (error instanceof GrammyError) return `${error.error_code}: ${error.description}`;
  return error instanceof Error ? error.message : String(error);
}

/** Resolves after `ms`, or at once when the signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    // Infinity (all in flight) means "until an answer"; callers race this against the sends.
    const timer = setTimeout(done, Math.min(ms, 60_000));
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Sends what is due in the outbox, about every POLL_INTERVAL_MS and at once when
 * something is queued in this process. Any number of instances may run on one
 * database: each message is claimed by one of them. stop() lets the sends in
 * progress finish and puts the claimed but unsent messages back in the queue.
 */
export function startOutboxSender(deps: AppDeps, api: Api): { stop(): Promise<void> } {
  const instanceId = newInstanceId();
  const pacing = createOutboxPacing();
  const stopping = new AbortController();
  let wake: (() => void) | undefined;
  let nudged = false;
  const unsubscribe = onOutboxNudge(() => {
    nudged = true;
    wake?.();
  });
  let lastReportCheck = Number.NEGATIVE_INFINITY;

  const loop = (async () => {
    deps.logger.debug({ instanceId }, 'outbox sender started');
    while (!stopping.signal.aborted) {
      nudged = false;
      try {
        const pass = await sendDueMessages(deps, api, instanceId, { pacing, signal: stopping.signal });
        const changed = pass.sent + pass.blocked + pass.failed + pass.dropped + pass.uncertain > 0;
        if (changed || performance.now() - lastReportCheck >= REPORT_CHECK_INTERVAL_MS) {
          lastReportCheck = performance.now();
          await reportFinishedBroadcasts(deps);
        }
      } catch (error) {
        deps.logger.error({ err: error }, 'outbox pass failed');
      }
      if (stopping.signal.aborted || nudged) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, POLL_INTERVAL_MS);
        function done() {
          clearTimeout(timer);
          stopping.signal.removeEventListener('abort', done);
          wake = undefined;
          resolve();
        }
        wake = done;
        stopping.signal.addEventListener('abort', done, { once: true });
      });
    }
  })();

  return {
    async stop() {
      unsubscribe();
      stopping.abort();
      await loop;
      deps.logger.debug({ instanceId }, 'outbox sender stopped');
    },
  };
}
