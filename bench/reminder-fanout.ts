/**
 * N reminders due at the same moment go out through the outbox: queued with
 * enqueue, sent by the real bot's outbox sender (started by startApp) to the fake
 * Telegram server behind a proxy that answers 429 like Telegram when more than 30
 * messages arrive within a second. Real time, real sending: 10,000 take minutes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { enqueue, type OutgoingMessageInput } from '../src/outbox/outbox.js';
import * as sender from '../src/outbox/sender.js';
import { FakeBotApi } from '../test/support/fake-bot-api.js';
import { int, ms, percentile, progress, sleep, type Table } from './support/report.js';
import { TelegramLimits } from './support/telegram-limits.js';

export interface FanoutOptions {
  count: number;
}

const TELEGRAM_PER_SECOND = 30;
const KEY = /\(reminder (\d+)\)/;

export async function reminderFanout(options: FanoutOptions): Promise<Table[]> {
  const { count } = options;
  const api = await new FakeBotApi().start();
  const limits = await new TelegramLimits(api, { perSecond: TELEGRAM_PER_SECOND, retryAfterSeconds: 1 }).start();
  const dir = mkdtempSync(path.join(tmpdir(), 'citymentor-bench-fanout-'));
  const logs: string[] = [];
  const config = loadConfig({
    BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: limits.apiRoot,
    DATABASE_URL: `file:${path.join(dir, 'citymentor.db')}`,
    LOG_LEVEL: 'info',
  });
  const app = await startApp(config, { logger: createLogger('info', [api.token], { write: (line: string) => void logs.push(line) }) });
  const db = app.deps.db;
  try {
    // One reminder in ten goes to someone who already has one (two sessions that day): the limit per chat comes into play.
    const peopleCount = count - Math.floor(count / 10);
    for (let start = 0; start < peopleCount; start += 2_000) {
      await db.person.createMany({
        data: Array.from({ length: Math.min(2_000, peopleCount - start) }, (_, k) => ({
          telegramId: BigInt(20_000_000 + start + k),
          firstName: `Mentor ${start + k + 1}`,
          language: 'en',
        })),
      });
    }
    const people = await db.person.findMany({ where: { telegramId: { gte: 20_000_000n } }, orderBy: { id: 'asc' } });

    // Due a little later, so that queueing them is not part of the lag.
    const leadMs = 5_000 + count;
    const dueAt = new Date(Date.now() + leadMs);
    const messages: OutgoingMessageInput[] = Array.from({ length: count }, (_, i) => {
      const person = people[i % people.length]!;
      return {
        dedupeKey: `bench:reminder:${i}`,
        kind: 'session_reminder',
        personId: person.id,
        chatId: person.telegramId,
        text: `Your mentoring session starts in one hour (reminder ${i}).`,
        dueAt,
        expiresAt: new Date(dueAt.getTime() + 3_600_000),
      };
    });
    const enqueueStarted = performance.now();
    const queued = await enqueue(db, messages);
    const enqueueSeconds = (performance.now() - enqueueStarted) / 1000;
    const enqueuedLate = Date.now() > dueAt.getTime();
    progress(`${int(queued)} reminders queued in ${enqueueSeconds.toFixed(1)} s; due in ${Math.max(0, (dueAt.getTime() - Date.now()) / 1000).toFixed(1)} s`);

    // Until every row is finished (sent, failed, …), or long past what the limit allows.
    const giveUpAt = dueAt.getTime() + (count / 10) * 1000 + 120_000;
    let lastReport = Date.now();
    for (;;) {
      await sleep(1_000);
      const open = await db.outgoingMessage.count({ where: { status: { in: ['pending', 'sending'] } } });
      if (open === 0 && Date.now() > dueAt.getTime()) break;
      if (Date.now() > giveUpAt) {
        progress(`giving up with ${open} reminders still queued`);
        break;
      }
      if (Date.now() - lastReport >= 30_000) {
        lastReport = Date.now();
        progress(`${int(count - open)} of ${int(count)} done, ${limits.tooMany.length} answered 429`);
      }
    }

    const due = dueAt.getTime();
    const sends = api.calls.filter((c) => c.method === 'sendMessage' && !c.error && typeof c.payload.text === 'string' && KEY.test(c.payload.text));
    const perKey = new Map<number, number>();
    const lags: number[] = [];
    const byChat = new Map<number, number[]>();
    for (const call of sends) {
      const key = Number(KEY.exec(String(call.payload.text))![1]);
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
      lags.push(performance.timeOrigin + call.at - due);
      const chat = Number(call.payload.chat_id);
      const times = byChat.get(chat) ?? [];
      times.push(call.at);
      byChat.set(chat, times);
    }
    let duplicates = 0;
    for (const n of perKey.values()) if (n > 1) duplicates += n - 1;
    const neverSent = count - perKey.size;
    let closeToSameChat = 0;
    let smallestGap = Number.POSITIVE_INFINITY;
    for (const times of byChat.values()) {
      for (let k = 1; k < times.length; k++) {
        const gap = times[k]! - times[k - 1]!;
        smallestGap = Math.min(smallestGap, gap);
        if (gap < 1000) closeToSameChat++;
      }
    }
    const first = Math.min(...sends.map((c) => c.at));
    const last = Math.max(...sends.map((c) => c.at));
    const seconds = (last - first) / 1000;
    const rate = sends.length > 1 ? (sends.length - 1) / seconds : Number.NaN;
    const statuses = await db.outgoingMessage.groupBy({ by: ['status'], _count: { _all: true } });
    // Read loosely: the sender is still being finished and these settings may move.
    const senderLimit = (sender as Record<string, unknown>).OVERALL_PER_SECOND;
    const pollMs = (sender as Record<string, unknown>).POLL_INTERVAL_MS;
    const slowDowns = logs.filter((l) => l.includes('Telegram asked to slow down')).length;

    return [
      {
        title: `Reminder fan-out: ${int(count)} reminders due at once through the outbox`,
        columns: ['', 'value'],
        rows: [
          ['reminders queued / people', `${int(queued)} / ${int(people.length)}`],
          ['delivered (accepted by the fake Telegram)', int(sends.length)],
          ['never delivered', int(neverSent)],
          ['duplicates (extra deliveries of one outbox row)', int(duplicates)],
          ['rows by status', statuses.map((s) => `${s.status} ${s._count._all}`).join(', ')],
          ['sending took (first to last delivery), s', ms(seconds, 1)],
          ['achieved rate, messages/s', ms(rate, 2)],
          ['Telegram limit / sender setting, messages/s', `${TELEGRAM_PER_SECOND} / ${typeof senderLimit === 'number' ? senderLimit : '?'}`],
          ['achieved rate, % of Telegram limit', `${ms((100 * rate) / TELEGRAM_PER_SECOND, 1)}%`],
          ['most deliveries within one second', limits.busiestSecond()],
          ['answered 429 (more than 30 within a second)', int(limits.tooMany.length)],
          ['"asked to slow down" lines in the bot\'s log', slowDowns],
          ['lag behind due time p50, s', ms(percentile(lags, 50) / 1000, 2)],
          ['lag behind due time p99, s', ms(percentile(lags, 99) / 1000, 2)],
          ['lag behind due time max, s', ms(percentile(lags, 100) / 1000, 2)],
          ['two messages to one chat less than 1 s apart', int(closeToSameChat)],
          ['smallest gap between two messages to one chat, ms', ms(smallestGap, 0)],
          ['enqueue (all rows, with dedupe check), s', `${ms(enqueueSeconds, 2)}${enqueuedLate ? ' (finished after the due time)' : ''}`],
        ],
        notes: [
          `${int(count)} reminders to ${int(people.length)} people (one in ten has two), all due at the same instant ${(leadMs / 1000).toFixed(0)} s after queueing starts; one bot instance (startApp: outbox sender polling every ${typeof pollMs === 'number' ? pollMs : '?'} ms), SQLite`,
          'the fake Telegram server sits behind a loopback proxy that answers 429 with retry_after 1 when a message would be the 31st within one second (sliding window over the messages it let through)',
          'lag: when the fake server received the message minus the due time; duplicates: deliveries per outbox row (found by the number in the text)',
        ],
      },
    ];
  } finally {
    await app.stop();
    await limits.close();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
