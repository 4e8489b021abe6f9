import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REMINDER_OFFSETS,
  planReminders,
  reminderFate,
  settleDueReminders,
} from '../src/domain/reminders.js';
import {
  type ArrivalWindow,
  type ChatId,
  createArrivalWindow,
  createPacer,
  isGroupChatId,
  type Pacer,
  type PacerOptions,
  pickNextChat,
} from '../src/domain/send-pacing.js';
import { createOutboxPacing } from '../src/outbox/sender.js';

const H = 3600_000;
const MIN = 60_000;
const start = new Date('2026-03-10T12:00:00Z');
const before = (ms: number) => new Date(start.getTime() - ms);

describe('planReminders', () => {
  it('plans a day-before and an hour-before reminder by default, earliest first', () => {
    expect(DEFAULT_REMINDER_OFFSETS).toEqual([1440, 60]);
    expect(planReminders(start, undefined, before(48 * H))).toEqual([
      { offsetMinutes: 1440, dueAt: before(24 * H) },
      { offsetMinutes: 60, dueAt: before(1 * H) },
    ]);
  });

  it('leaves out reminders whose time has passed', () => {
    expect(planReminders(start, undefined, before(3 * H))).toEqual([{ offsetMinutes: 60, dueAt: before(H) }]);
    expect(planReminders(start, undefined, before(30 * MIN))).toEqual([]);
    expect(planReminders(start, undefined, new Date(start.getTime() + H))).toEqual([]);
  });

  it('keeps a reminder due exactly now', () => {
    expect(planReminders(start, [60], before(H))).toEqual([{ offsetMinutes: 60, dueAt: before(H) }]);
    expect(planReminders(start, [60], before(H - 1))).toEqual([]);
  });

  it('sorts custom offsets, drops duplicates and rejects negative ones', () => {
    const planned = planReminders(start, [15, 1440, 60, 15], before(48 * H));
    expect(planned.map((r) => r.offsetMinutes)).toEqual([1440, 60, 15]);
    expect(() => planReminders(start, [-5], before(H))).toThrow(RangeError);
  });
});

describe('reminderFate', () => {
  const dueAt = before(H);
  const grace = 5 * MIN;

  it('waits until due, then sends on time within the grace period', () => {
    expect(reminderFate(dueAt, start, before(H + 1), grace)).toBe('wait');
    expect(reminderFate(dueAt, start, dueAt, grace)).toBe('send');
    expect(reminderFate(dueAt, start, before(H - grace), grace)).toBe('send');
  });

  it('sends late when missed but the session has not started', () => {
    expect(reminderFate(dueAt, start, before(H - grace - 1), grace)).toBe('send_late');
    expect(reminderFate(dueAt, start, before(1), grace)).toBe('send_late');
  });

  it('drops once the session has started', () => {
    expect(reminderFate(dueAt, start, start, grace)).toBe('drop');
    expect(reminderFate(dueAt, start, new Date(start.getTime() + 10 * MIN), grace)).toBe('drop');
  });

  it('drops a reminder overtaken by a later one that is also due', () => {
    const dayBefore = before(24 * H);
    expect(reminderFate(dayBefore, start, before(2 * H), grace, dueAt)).toBe('send_late');
    expect(reminderFate(dayBefore, start, before(30 * MIN), grace, dueAt)).toBe('drop');
  });

  it('settles a batch after an outage: only the freshest overdue reminder goes out', () => {
    const pending = [
      { id: 'h', dueAt: before(H) },
      { id: 'd', dueAt: before(24 * H) },
    ];
    // Down from two days before until 30 minutes before the start.
    expect(settleDueReminders(pending, start, before(30 * MIN), grace).map((x) => [x.reminder.id, x.fate])).toEqual([
      ['d', 'drop'],
      ['h', 'send_late'],
    ]);
    // Back 23 hours before: the day-before one is late but still useful.
    expect(settleDueReminders(pending, start, before(23 * H), grace).map((x) => [x.reminder.id, x.fate])).toEqual([
      ['d', 'send_late'],
      ['h', 'wait'],
    ]);
    // After the start nothing is sent.
    expect(settleDueReminders(pending, start, start, grace).every((x) => x.fate === 'drop')).toBe(true);
  });

  it('sends only one of two reminders with the same due time', () => {
    const pending = [
      { id: 'a', dueAt: before(H) },
      { id: 'b', dueAt: before(H) },
    ];
    const fates = settleDueReminders(pending, start, before(H), grace).map((x) => x.fate);
    expect(fates.sort()).toEqual(['drop', 'send']);
  });
});

/** Deterministic PRNG so the simulation is reproducible. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Sent {
  chatId: ChatId;
  at: number;
}

/**
 * Drains per-chat queues the way a broadcaster would: round-robin over chats,
 * asking the pacer for the soonest chat, waking up (sometimes a little late) and
 * sending. Time is virtual; nothing here depends on a real clock.
 */
function simulate(queue: Map<ChatId, number>, options: PacerOptions | Pacer, seed = 1): Sent[] {
  const pacer = 'next' in options ? options : createPacer(options);
  const rnd = lcg(seed);
  const pending = new Map(queue);
  const sent: Sent[] = [];
  let now = 0;
  while (pending.size > 0) {
    const pick = pickNextChat(pacer, pending.keys(), now)!;
    // Never a busy loop: when something is pending, waiting the returned time is enough.
    now += pick.waitMs;
    if (rnd() < 0.1) now += Math.floor(rnd() * 7); // late wake-ups
    expect(pacer.next(pick.chatId, now)).toBe(0);
    pacer.record(pick.chatId, now);
    sent.push({ chatId: pick.chatId, at: now });
    const left = pending.get(pick.chatId)! - 1;
    pending.delete(pick.chatId); // re-insert at the back: round-robin
    if (left > 0) pending.set(pick.chatId, left);
  }
  return sent;
}

/** Largest number of sends in any window [t, t + windowMs). */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (sorted[j]! <= sorted[i]! - windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** Sends per second from the first send to the last. */
function rate(times: number[]): number {
  return ((times.length - 1) * 1000) / (Math.max(...times) - Math.min(...times));
}

function minGap(times: number[]): number {
  let gap = Infinity;
  for (let i = 1; i < times.length; i++) gap = Math.min(gap, times[i]! - times[i - 1]!);
  return gap;
}

describe('send pacer', () => {
  it('never exceeds 30/s overall or 1/s per chat over 10,000 messages, 500 chats and one flooding chat', () => {
    const FLOOD = 777_000;
    const queue = new Map<ChatId, number>();
    queue.set(FLOOD, 1000);
    for (let chat = 1; chat <= 500; chat++) queue.set(chat, 18);
    const total = [...queue.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(10_000);

    const sent = simulate(queue, { perSecond: 30, perChatIntervalMs: 1000 });
    expect(sent).toHaveLength(10_000);

    expect(maxInWindow(sent.map((s) => s.at), 1000)).toBe(30);

    const byChat = new Map<ChatId, number[]>();
    for (const s of sent) {
      const times = byChat.get(s.chatId) ?? [];
      times.push(s.at);
      byChat.set(s.chatId, times);
    }
    for (const [chatId, times] of byChat) {
      expect(times.length).toBe(queue.get(chatId));
      expect(minGap(times), `chat ${chatId}`).toBeGreaterThanOrEqual(1000);
    }

    // The flood is paced at 1/s but does not hold back everyone else:
    // 9,000 other messages at ~29/s finish in about 310 virtual seconds.
    const others = sent.filter((s) => s.chatId !== FLOOD).map((s) => s.at);
    expect(Math.max(...others)).toBeLessThan(340_000);
    expect(Math.max(...byChat.get(FLOOD)!)).toBeGreaterThanOrEqual(999_000);
    // And the pacer uses the capacity it has: a full 30 go out in each of the first seconds.
    expect(sent.filter((s) => s.at < 10_000).length).toBeGreaterThanOrEqual(290);
  });

  it('holds other limits too', () => {
    const queue = new Map<ChatId, number>([[1, 5], [2, 5], [3, 5], [4, 5], [5, 5]]);
    const sent = simulate(queue, { perSecond: 3, perChatIntervalMs: 2500 }, 7);
    expect(maxInWindow(sent.map((s) => s.at), 1000)).toBeLessThanOrEqual(3);
    for (let chat = 1; chat <= 5; chat++) {
      expect(minGap(sent.filter((s) => s.chatId === chat).map((s) => s.at))).toBeGreaterThanOrEqual(2500);
    }
  });

  it('caps a flooded group at 20 messages a minute', () => {
    const group = -100_123_456;
    const queue = new Map<ChatId, number>([[group, 100], ['@citymentor_news', 30], [42, 30]]);
    const sent = simulate(queue, {});
    const groupTimes = sent.filter((s) => s.chatId === group).map((s) => s.at);
    expect(maxInWindow(groupTimes, 60_000)).toBe(20);
    expect(minGap(groupTimes)).toBeGreaterThanOrEqual(1000);
    expect(maxInWindow(sent.filter((s) => s.chatId === '@citymentor_news').map((s) => s.at), 60_000)).toBe(20);
    // A private chat is not under the group cap.
    expect(maxInWindow(sent.filter((s) => s.chatId === 42).map((s) => s.at), 60_000)).toBe(30);
  });

  it('tells the caller how long to wait and nothing longer', () => {
    const pacer = createPacer({ perSecond: 2, perChatIntervalMs: 1000 });
    expect(pacer.next(1, 0)).toBe(0);
    pacer.record(1, 0);
    expect(pacer.next(1, 400)).toBe(600);
    expect(pacer.next(2, 400)).toBe(0);
    pacer.record(2, 400);
    expect(pacer.next(3, 500)).toBe(500); // two sends in (0, 1000] already
    expect(pacer.next(3, 1000)).toBe(0);
  });

  it('spreads sends evenly when asked, so no burst can bunch up with the next', () => {
    const queue = new Map<ChatId, number>(Array.from({ length: 200 }, (_, i) => [i + 1, 1] as [ChatId, number]));
    const times = simulate(queue, { perSecond: 25, minIntervalMs: 40 }, 3).map((s) => s.at);
    expect(minGap(times)).toBeGreaterThanOrEqual(40);
    // 31 sends span at least 1.2 s: a message would have to arrive 200 ms late to break 30/s.
    for (let i = 0; i + 30 < times.length; i++) expect(times[i + 30]! - times[i]!).toBeGreaterThanOrEqual(1200);
    // Without the gap the same limit lets a whole second's sends leave at once.
    const bursty = simulate(queue, { perSecond: 25 }, 3).map((s) => s.at);
    expect(minGap(bursty)).toBe(0);
  });

  it('uses the whole limit in steady state: 30 a second lets at least 29.5 a second through', () => {
    const queue = new Map<ChatId, number>(Array.from({ length: 3000 }, (_, i) => [i + 1, 1] as [ChatId, number]));
    const times = simulate(queue, { perSecond: 30 }, 5).map((s) => s.at);
    expect(maxInWindow(times, 1000)).toBe(30);
    expect(rate(times)).toBeGreaterThanOrEqual(29.5);
  });

  it('widens the window on request: 30 per 1,040 ms never puts 31 sends within 1,040 ms', () => {
    const queue = new Map<ChatId, number>(Array.from({ length: 1000 }, (_, i) => [i + 1, 1] as [ChatId, number]));
    const times = simulate(queue, { perSecond: 30, windowMs: 1040 }, 9).map((s) => s.at);
    expect(maxInWindow(times, 1040)).toBe(30);
    expect(maxInWindow(times, 1000)).toBe(30);
    expect(rate(times)).toBeGreaterThanOrEqual(28.5);
    expect(() => createPacer({ windowMs: 0 })).toThrow(RangeError);
  });

  it('pauses everything after a 429', () => {
    const pacer = createPacer();
    pacer.pauseUntil(5000);
    expect(pacer.next(1, 1000)).toBe(4000);
    expect(pacer.next(2, 5000)).toBe(0);
  });

  it('recognises group and channel ids', () => {
    expect(isGroupChatId(-100123)).toBe(true);
    expect(isGroupChatId('-42')).toBe(true);
    expect(isGroupChatId('@channel')).toBe(true);
    expect(isGroupChatId(42)).toBe(false);
    expect(isGroupChatId('42')).toBe(false);
  });
});

/**
 * Sends `count` messages through an arrival window and an even-spacing pacer, with
 * up to `maxInFlight` waiting for an answer, each taking `latency()` virtual ms to be
 * answered and arriving at Telegram at a random moment in between. Returns when each
 * left and when each arrived.
 */
function simulateArrivals(
  arrivals: ArrivalWindow,
  spacing: Pacer,
  count: number,
  latency: () => number,
  seed: number,
  maxInFlight = 8,
): { starts: number[]; arrived: number[] } {
  const rnd = lcg(seed);
  const starts: number[] = [];
  const arrived: number[] = [];
  const answersDue: number[] = [];
  let now = 0;
  while (starts.length < count || answersDue.length > 0) {
    answersDue.sort((a, b) => a - b);
    const canStart = starts.length < count && answersDue.length < maxInFlight;
    const wait = canStart ? Math.max(arrivals.next(now), spacing.next(starts.length, now)) : Number.POSITIVE_INFINITY;
    const answerAt = answersDue[0] ?? Number.POSITIVE_INFINITY;
    if (answerAt <= now + wait) {
      now = Math.max(now, answerAt);
      answersDue.shift();
      arrivals.answered(now);
      continue;
    }
    now += wait;
    if (rnd() < 0.1) now += Math.floor(rnd() * 7); // late wake-ups
    if (arrivals.next(now) > 0) continue;
    arrivals.started();
    spacing.record(starts.length, now);
    const took = latency();
    starts.push(now);
    arrived.push(now + rnd() * took);
    answersDue.push(now + took);
  }
  return { starts, arrived };
}

describe('arrival window', () => {
  it('never lets 31 arrive within a second, however the network delays them', () => {
    const rnd = lcg(21);
    // Round trips from 1 ms to 400 ms, at random: arrivals come far out of step with sends.
    const { starts, arrived } = simulateArrivals(createArrivalWindow(30), createPacer({ perSecond: 1000, perChatIntervalMs: 0 }), 5000, () => 1 + rnd() * 400, 3);
    expect(starts).toHaveLength(5000);
    expect(maxInWindow(arrived, 1000)).toBeLessThanOrEqual(30);
    // Each message counted from leaving to answer: the worst case, arriving at either end.
    expect(maxInWindow(starts, 1000)).toBeLessThanOrEqual(30);
  });

  it('reaches 30 per (1 s + round trip) in steady state', () => {
    const { starts } = simulateArrivals(createArrivalWindow(30), createPacer({ perSecond: 1000, perChatIntervalMs: 0 }), 3000, () => 5, 5);
    expect(rate(starts)).toBeGreaterThanOrEqual(29.5);
  });

  it('waits for answers when all it may send are in flight', () => {
    const w = createArrivalWindow(2);
    expect(w.next(0)).toBe(0);
    w.started();
    w.started();
    expect(w.next(10)).toBe(Number.POSITIVE_INFINITY);
    w.answered(100);
    expect(w.next(100)).toBe(1000); // one in flight, one answered at 100: counted until 1100
    w.answered(200);
    expect(w.next(1100)).toBe(0);
    expect(() => createArrivalWindow(0)).toThrow(RangeError);
  });
});

describe("the outbox sender's pacing", () => {
  it('keeps within 30 a second at Telegram and reaches at least 95 % of it (28.5 a second) with 10 ms answers', () => {
    const { arrivals, overall } = createOutboxPacing();
    const rnd = lcg(31);
    const { starts, arrived } = simulateArrivals(arrivals, overall, 3000, () => 5 + rnd() * 10, 11);
    expect(maxInWindow(arrived, 1000)).toBeLessThanOrEqual(30);
    expect(rate(starts)).toBeGreaterThanOrEqual(28.5);
    // Evenly spaced: never two sends at once, even after a late wake-up.
    expect(minGap(starts)).toBeGreaterThanOrEqual(30);
  });

  it('stays within 30 a second at Telegram when the network is slow and uneven', () => {
    const { arrivals, overall } = createOutboxPacing();
    const rnd = lcg(41);
    const { arrived } = simulateArrivals(arrivals, overall, 3000, () => (rnd() < 0.05 ? 300 + rnd() * 700 : 5 + rnd() * 50), 13);
    expect(maxInWindow(arrived, 1000)).toBeLessThanOrEqual(30);
  });

  it('pauses everything after a 429, then goes on at the same pace', () => {
    const { overall } = createOutboxPacing();
    overall.record(1, 0);
    overall.pauseUntil(3000);
    expect(overall.pausedFor(100)).toBe(2900);
    expect(overall.next(2, 100)).toBe(2900);
    expect(overall.next(2, 3000)).toBe(0);
    expect(overall.pausedFor(3000)).toBe(0);
    overall.record(2, 3000);
    expect(overall.next(3, 3000)).toBeGreaterThan(0);
  });
});
