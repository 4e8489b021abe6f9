/**
 * Pacing of outgoing Telegram messages (Bot API FAQ): about 30 messages per second
 * overall, no more than one message per second to one chat, and no more than
 * 20 messages per minute to one group. Sliding windows over the actual send
 * times: a message may go at t only if fewer than `perSecond` sends lie in
 * (t - windowMs, t], so no window of `windowMs` (1 second unless widened) ever
 * holds more than `perSecond` sends.
 * Pure and deterministic: the caller passes the clock and does the waiting.
 */

export type ChatId = number | string;

export interface PacerOptions {
  /** Global cap on sends in any window of `windowMs`. */
  perSecond?: number;
  /**
   * Length of that window, 1000 ms by default. A little longer than Telegram's
   * second leaves room for network jitter: sends spread over more than a second
   * can only bunch into one second at Telegram if they arrive that much out of step.
   */
  windowMs?: number;
  /** Minimum gap between two sends to the same chat. */
  perChatIntervalMs?: number;
  /** Cap on sends to one group/channel in any 60-second window. */
  perGroupPerMinute?: number;
  /** Minimum gap between any two sends, so that they leave evenly rather than in bursts. */
  minIntervalMs?: number;
}

export interface Pacer {
  /** Milliseconds to wait before a message to `chatId` may be sent (0 = now). */
  next(chatId: ChatId, nowMs: number): number;
  /** Note a send to `chatId` at `nowMs`; call once per message actually sent. */
  record(chatId: ChatId, nowMs: number): void;
  /** Hold every send until `untilMs`, e.g. after a 429 with retry_after. */
  pauseUntil(untilMs: number): void;
  /** Milliseconds left of such a pause (0 = none). */
  pausedFor(nowMs: number): number;
}

export const DEFAULT_PER_SECOND = 30;
export const DEFAULT_PER_CHAT_INTERVAL_MS = 1000;
export const DEFAULT_PER_GROUP_PER_MINUTE = 20;

const SECOND = 1000;
const MINUTE = 60_000;
const SWEEP_EVERY = 1024;

/** Groups, supergroups and channels have negative ids or '@username' handles. */
export function isGroupChatId(chatId: ChatId): boolean {
  if (typeof chatId === 'number') return chatId < 0;
  return chatId.startsWith('-') || chatId.startsWith('@');
}

interface ChatState {
  last: number;
  /** Send times within the last minute, oldest first; groups only. */
  recent?: number[];
}

export function createPacer(options: PacerOptions = {}): Pacer {
  const perSecond = options.perSecond ?? DEFAULT_PER_SECOND;
  const windowMs = options.windowMs ?? SECOND;
  const interval = options.perChatIntervalMs ?? DEFAULT_PER_CHAT_INTERVAL_MS;
  const perGroupPerMinute = options.perGroupPerMinute ?? DEFAULT_PER_GROUP_PER_MINUTE;
  const minInterval = options.minIntervalMs ?? 0;
  if (!Number.isInteger(perSecond) || perSecond < 1) throw new RangeError('perSecond must be a positive integer');
  if (!(windowMs > 0)) throw new RangeError('windowMs must be > 0');
  if (!(interval >= 0)) throw new RangeError('perChatIntervalMs must be >= 0');
  if (!Number.isInteger(perGroupPerMinute) || perGroupPerMinute < 1) {
    throw new RangeError('perGroupPerMinute must be a positive integer');
  }
  if (!(minInterval >= 0)) throw new RangeError('minIntervalMs must be >= 0');

  // Ring buffer of the last `perSecond` send times; the slot at `head` is the oldest.
  const ring = new Array<number>(perSecond).fill(Number.NEGATIVE_INFINITY);
  let head = 0;
  let latest = Number.NEGATIVE_INFINITY;
  let pausedUntil = Number.NEGATIVE_INFINITY;
  const chats = new Map<string, ChatState>();
  let recordsSinceSweep = 0;

  const key = (chatId: ChatId) => String(chatId);

  function sweep(now: number): void {
    for (const [k, st] of chats) {
      const lastRecent = st.recent?.[st.recent.length - 1] ?? Number.NEGATIVE_INFINITY;
      if (st.last + interval <= now && lastRecent + MINUTE <= now) chats.delete(k);
    }
  }

  return {
    next(chatId, nowMs) {
      let until = Math.max(pausedUntil, ring[head]! + windowMs, latest + minInterval);
      const st = chats.get(key(chatId));
      if (st) {
        until = Math.max(until, st.last + interval);
        if (st.recent && st.recent.length >= perGroupPerMinute) {
          until = Math.max(until, st.recent[st.recent.length - perGroupPerMinute]! + MINUTE);
        }
      }
      return Math.max(0, until - nowMs);
    },

    record(chatId, nowMs) {
      // A clock stepping back must not let the windows be reused: keep time monotonic.
      const t = Math.max(nowMs, latest);
      latest = t;
      ring[head] = t;
      head = (head + 1) % perSecond;

      const k = key(chatId);
      const st = chats.get(k) ?? { last: t };
      st.last = t;
      if (isGroupChatId(chatId)) {
        const recent = (st.recent ??= []);
        recent.push(t);
        while (recent.length > perGroupPerMinute || (recent.length > 0 && recent[0]! + MINUTE <= t)) recent.shift();
      }
      chats.set(k, st);

      if (++recordsSinceSweep >= SWEEP_EVERY) {
        recordsSinceSweep = 0;
        sweep(t);
      }
    },

    pauseUntil(untilMs) {
      pausedUntil = Math.max(pausedUntil, untilMs);
    },

    pausedFor(nowMs) {
      return Math.max(0, pausedUntil - nowMs);
    },
  };
}

/**
 * Among chats with pending messages, the one that may be served soonest
 * (ties go to the earliest in iteration order, so a fair queue stays fair).
 * Lets one flooded chat wait on its own limit without blocking the others.
 */
export function pickNextChat(
  pacer: Pacer,
  pendingChatIds: Iterable<ChatId>,
  nowMs: number,
): { chatId: ChatId; waitMs: number } | undefined {
  let best: { chatId: ChatId; waitMs: number } | undefined;
  for (const chatId of pendingChatIds) {
    const waitMs = pacer.next(chatId, nowMs);
    if (!best || waitMs < best.waitMs) best = { chatId, waitMs };
    if (waitMs === 0) break;
  }
  return best;
}

/**
 * Telegram counts a message when it arrives, which is some time after it leaves and
 * before its answer comes back. Counting sends alone leaves the limit to network
 * jitter; this window counts each message from the moment it leaves until a full
 * window after its answer, so that no `perSecond + 1` messages can ever arrive
 * within one window, however late or out of step they arrive. The price is the
 * round trip: the steady rate is `perSecond` per (window + round trip).
 */
export interface ArrivalWindow {
  /** Milliseconds to wait before the next message may leave; Infinity while `perSecond` are in flight. */
  next(nowMs: number): number;
  /** Note a message leaving; call once per message sent. */
  started(): void;
  /** Note its answer (or failure) coming back; call once per started(). */
  answered(nowMs: number): void;
}

export function createArrivalWindow(perSecond = DEFAULT_PER_SECOND, windowMs = SECOND): ArrivalWindow {
  if (!Number.isInteger(perSecond) || perSecond < 1) throw new RangeError('perSecond must be a positive integer');
  if (!(windowMs > 0)) throw new RangeError('windowMs must be > 0');
  let inFlight = 0;
  // Answer times of the last `perSecond` messages answered, oldest first (monotonic).
  const answers: number[] = [];
  let latest = Number.NEGATIVE_INFINITY;
  return {
    next(nowMs) {
      // Messages that may still arrive in (now - window, now]: all in flight, and those answered in that window.
      const recent = answers.filter((at) => at + windowMs > nowMs);
      const excess = inFlight + recent.length - (perSecond - 1);
      if (excess <= 0) return 0;
      if (excess > recent.length) return Number.POSITIVE_INFINITY;
      return recent[excess - 1]! + windowMs - nowMs;
    },
    started() {
      inFlight++;
    },
    answered(nowMs) {
      inFlight = Math.max(0, inFlight - 1);
      latest = Math.max(latest, nowMs);
      answers.push(latest);
      if (answers.length > perSecond) answers.shift();
    },
  };
}
