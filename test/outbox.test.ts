import path from 'node:path';
import { Api } from 'grammy';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { AppDeps } from '../src/context.js';
import { type Database, openDatabase } from '../src/db/database.js';
import { createI18n } from '../src/i18n.js';
import { createLogger } from '../src/logger.js';
import { enqueue, type OutgoingMessageInput } from '../src/outbox/outbox.js';
import { CLAIM_LEASE_MS, MAX_ATTEMPTS, newInstanceId, sendDueMessages } from '../src/outbox/sender.js';
import { type ApiCall, type FakeBotApi, TEST_BOT_TOKEN } from './support/fake-bot-api.js';
import { FakeBotApi as FakeServer } from './support/fake-bot-api.js';
import { startTestBot, tempDir, TestClock } from './support/test-bot.js';

async function addPeople(db: Database, telegramIds: number[], language = 'en') {
  const people = [];
  for (const id of telegramIds) people.push(await db.person.create({ data: { telegramId: BigInt(id), firstName: `P${id}`, language } }));
  return people;
}

function message(person: { id: number; telegramId: bigint }, key: string, extra: Partial<OutgoingMessageInput> = {}): OutgoingMessageInput {
  return { dedupeKey: key, kind: 'test', personId: person.id, chatId: person.telegramId, text: `Message ${key}`, dueAt: new Date(0), ...extra };
}

/** When the fake server received each call, in real milliseconds. */
function stampCalls(api: FakeBotApi): Map<ApiCall, number> {
  const stamps = new Map<ApiCall, number>();
  const push = api.calls.push.bind(api.calls);
  api.calls.push = (...items: ApiCall[]) => {
    for (const item of items) stamps.set(item, performance.now());
    return push(...items);
  };
  return stamps;
}

const sends = (api: FakeBotApi) => api.calls.filter((c) => /^send(Message|Document)$/.test(c.method));
const delivered = (api: FakeBotApi) => sends(api).filter((c) => !c.error);

/** Waits until `check` holds, looking again every 50 ms. */
async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('The condition never held');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A connection of its own to a bot's database, e.g. while the bot is stopped. */
async function withDatabase<T>(databaseUrl: string, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(loadConfig({ BOT_TOKEN: TEST_BOT_TOKEN, DATABASE_URL: databaseUrl }).database);
  try {
    return await work(db);
  } finally {
    await db.$disconnect();
  }
}

/** What a second bot instance has: its own database connection, translations and logs. */
async function instanceDeps(databaseUrl: string, clock: TestClock, logs: string[] = []): Promise<AppDeps> {
  const config = loadConfig({ BOT_TOKEN: TEST_BOT_TOKEN, DATABASE_URL: databaseUrl });
  const db = await openDatabase(config.database, { migrate: true });
  const logger = createLogger('debug', [], { write: (line: string) => void logs.push(line) });
  return { config, db, i18n: await createI18n('en'), logger, clock };
}

describe('the outbox', () => {
  it('keeps within Telegram limits: one message a second to a chat, thirty a second overall', async () => {
    const bot = await startTestBot();
    const stamps = stampCalls(bot.api);
    const db = bot.app.deps.db;
    const [busy, ...others] = await addPeople(db, [500, ...Array.from({ length: 70 }, (_, i) => 600 + i)]);
    await enqueue(db, [
      ...[1, 2, 3, 4].map((n) => message(busy!, `busy:${n}`)),
      ...others.map((p) => message(p, `other:${p.id}`)),
    ]);
    await bot.api.waitFor(() => delivered(bot.api).length >= 74, 30_000);

    const toBusy = delivered(bot.api).filter((c) => Number(c.payload.chat_id) === 500).map((c) => stamps.get(c)!);
    expect(toBusy).toHaveLength(4);
    for (let i = 1; i < toBusy.length; i++) expect(toBusy[i]! - toBusy[i - 1]!, 'gap between messages to one chat').toBeGreaterThanOrEqual(1000);

    // Never 31 messages within one second, as Telegram received them.
    const times = sends(bot.api).map((c) => stamps.get(c)!).sort((a, b) => a - b);
    for (let i = 0; i + 30 < times.length; i++) expect(times[i + 30]! - times[i]!, `sends ${i}..${i + 30}`).toBeGreaterThan(1000);
    // Messages to one chat keep their order.
    expect(delivered(bot.api).filter((c) => Number(c.payload.chat_id) === 500).map((c) => c.payload.text)).toEqual([
      'Message busy:1',
      'Message busy:2',
      'Message busy:3',
      'Message busy:4',
    ]);
  });

  it('queues a message with the same key only once', async () => {
    const bot = await startTestBot();
    const [person] = await addPeople(bot.app.deps.db, [501]);
    expect(await enqueue(bot.app.deps.db, [message(person!, 'once'), message(person!, 'once')])).toBe(1);
    expect(await enqueue(bot.app.deps.db, [message(person!, 'once')])).toBe(0);
    await bot.api.waitFor(() => delivered(bot.api).length === 1);
    expect(await enqueue(bot.app.deps.db, [message(person!, 'once')])).toBe(0);
    await bot.api.settle(500);
    expect(delivered(bot.api)).toHaveLength(1);
  });

  it('renders templates in the language the person has when it is sent, with buttons and a calendar file', async () => {
    const bot = await startTestBot();
    const db = bot.app.deps.db;
    const [ukrainian, english] = await addPeople(db, [502, 503], 'en');
    await db.person.update({ where: { id: ukrainian!.id }, data: { language: 'uk' } });
    await enqueue(db, [
      message(ukrainian!, 'granted', { text: undefined, template: 'coordinators.granted', params: { name: '<Anna>' } }),
      message(english!, 'ics', {
        text: 'Your session',
        attachment: { kind: 'ics', name: 'session-7.ics', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' },
        buttons: [[{ text: 'Open', callback_data: 'x|1' }]],
      }),
    ]);
    await bot.api.waitFor(() => delivered(bot.api).length === 2);
    const granted = delivered(bot.api).find((c) => Number(c.payload.chat_id) === 502)!;
    expect(granted.payload.text).toBe('&lt;Anna&gt; тепер координатор.');
    const document = delivered(bot.api).find((c) => c.method === 'sendDocument')!;
    expect(document.files.document!.name).toBe('session-7.ics');
    expect(document.files.document!.content.toString()).toContain('BEGIN:VCALENDAR');
    expect(document.payload.caption).toBe('Your session');
    expect(document.payload.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Open', callback_data: 'x|1' }]] });
  });

  it('drops messages past their expiry instead of sending them late, and says so in the log', async () => {
    const clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
    const bot = await startTestBot({ clock });
    const [person] = await addPeople(bot.app.deps.db, [504]);
    await enqueue(bot.app.deps.db, [
      message(person!, 'late', { expiresAt: new Date('2026-03-02T07:00:00Z') }),
      message(person!, 'in-time', { expiresAt: new Date('2026-03-02T09:00:00Z') }),
    ]);
    await bot.api.waitFor(() => delivered(bot.api).length === 1);
    await bot.api.settle(400);
    expect(delivered(bot.api).map((c) => c.payload.text)).toEqual(['Message in-time']);
    const late = await bot.app.deps.db.outgoingMessage.findUniqueOrThrow({ where: { dedupeKey: 'late' } });
    expect(late.status).toBe('dropped');
    expect(bot.logs.some((l) => l.includes('outgoing message expired: dropped') && l.includes(`"outgoingId":${late.id}`))).toBe(true);
  });

  it('retries a failing send later and gives up after a few attempts', async () => {
    const clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
    const bot = await startTestBot({ clock });
    const [flaky, broken] = await addPeople(bot.app.deps.db, [505, 506]);
    bot.api.fail('sendMessage', { kind: 'status', status: 500 }, { chatId: 505, times: 1 });
    bot.api.fail('sendMessage', { kind: 'status', status: 502, description: 'Bad Gateway' }, { chatId: 506, times: 100 });
    await enqueue(bot.app.deps.db, [message(flaky!, 'flaky'), message(broken!, 'broken')]);
    const row = (key: string) => bot.app.deps.db.outgoingMessage.findUniqueOrThrow({ where: { dedupeKey: key } });

    await bot.api.waitFor(() => sends(bot.api).length >= 2);
    await bot.api.settle(300);
    expect(await row('flaky')).toMatchObject({ status: 'pending', attempts: 1 });
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      // Move on only once the failure is recorded with the time of the next try.
      await eventually(async () => (await row('broken')).attempts === attempt && (await row('broken')).status === 'pending');
      clock.advance(60 * 60_000);
    }
    await eventually(async () => (await row('broken')).status === 'failed');
    expect(await row('flaky')).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await row('broken')).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, error: '502: Bad Gateway' });
    expect(sends(bot.api).filter((c) => Number(c.payload.chat_id) === 506)).toHaveLength(MAX_ATTEMPTS);
  });

  it('never sends again a message whose sender died mid-send: it becomes uncertain', async () => {
    const clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
    const bot = await startTestBot({ clock });
    const [a, b] = await addPeople(bot.app.deps.db, [507, 508]);
    await bot.stop();
    // Rows as a crashed instance left them: one claimed long ago, one claimed a moment ago.
    await withDatabase(bot.databaseUrl, async (db) => {
      await enqueue(db, [message(a!, 'abandoned'), message(b!, 'in-flight-elsewhere')]);
      await db.outgoingMessage.updateMany({ data: { status: 'sending', claimedBy: 'dead-instance', claimedAt: clock.now() } });
      await db.outgoingMessage.update({
        where: { dedupeKey: 'abandoned' },
        data: { claimedAt: new Date(clock.now().getTime() - CLAIM_LEASE_MS - 1) },
      });
    });
    const restarted = await bot.restart();
    await restarted.api.waitFor(() => restarted.logs.some((l) => l.includes('marked uncertain')), 10_000);
    await restarted.api.settle(300);
    const rows = await restarted.app.deps.db.outgoingMessage.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.dedupeKey, r.status])).toEqual([
      ['abandoned', 'uncertain'],
      ['in-flight-elsewhere', 'sending'],
    ]);
    expect(sends(restarted.api)).toHaveLength(0);
  });

  it('stops cleanly: the send in progress finishes and unsent messages go back to the queue', async () => {
    const bot = await startTestBot();
    const [slow, ...rest] = await addPeople(bot.app.deps.db, [509, 510, 511]);
    bot.api.fail('sendMessage', { kind: 'hang', ms: 400 }, { chatId: 509 });
    // Three messages to one chat: the second and third wait a second each for their turn.
    await enqueue(bot.app.deps.db, [message(slow!, 's1'), message(slow!, 's2'), ...rest.map((p) => message(p, `r${p.id}`))]);
    await bot.api.waitFor(() => sends(bot.api).length >= 1);
    await bot.stop();
    const rows = await withDatabase(bot.databaseUrl, (db) => db.outgoingMessage.findMany({ orderBy: { id: 'asc' } }));
    expect(rows.filter((r) => r.status === 'sending')).toEqual([]);
    expect(rows.find((r) => r.dedupeKey === 's2')).toMatchObject({ status: 'pending', claimedBy: null });
  });

  it('lets two instances on one SQLite file deliver each queued message exactly once', async () => {
    const server = await new FakeServer().start();
    try {
      const databaseUrl = `file:${path.join(tempDir(), 'shared.db')}`;
      const clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
      const first = await instanceDeps(databaseUrl, clock);
      const second = await instanceDeps(databaseUrl, clock);
      const people = await addPeople(first.db, Array.from({ length: 80 }, (_, i) => 700 + i));
      await enqueue(first.db, people.map((p) => message(p, `m${p.id}`)));
      const api = new Api(server.token, { apiRoot: server.apiRoot });
      const [a, b] = await Promise.all([
        sendDueMessages(first, api, newInstanceId()),
        sendDueMessages(second, api, newInstanceId()),
      ]);
      expect(a.sent + b.sent).toBe(80);
      const chats = delivered(server).map((c) => Number(c.payload.chat_id));
      expect(chats).toHaveLength(80);
      expect(new Set(chats).size).toBe(80);
      expect(await first.db.outgoingMessage.count({ where: { status: 'sent' } })).toBe(80);
      await first.db.$disconnect();
      await second.db.$disconnect();
    } finally {
      await server.close();
    }
  });
});
