import type { Message, Update } from 'grammy/types';
import { describe, expect, it, onTestFinished } from 'vitest';
import { enqueue } from '../src/outbox/outbox.js';
import { COORDINATOR_ID } from './support/application.js';
import { type ApiCall, FakeBotApi } from './support/fake-bot-api.js';
import { deliveredText, spawnBotChild, withDatabase } from './support/faults.js';
import { createTestDatabase, testDatabaseUrl } from './support/postgres.js';
import { startTestBot, type TestBot, TestClock } from './support/test-bot.js';
import { freePort, postUpdate, textUpdate, webhookEnv } from './support/webhook.js';

/**
 * Two instances of the bot behind one load balancer, on one PostgreSQL database, as
 * docker-compose.yml runs them. Telegram may deliver an update to either, or (after a
 * timeout) to both; reminders and a broadcast are due at the same time. Every message
 * must reach its person exactly once.
 */

const redisUrl = process.env.TEST_REDIS_URL;
const TEAM_MEMBERS = 40;
const REMINDERS = 60;
const BROADCAST_TEXT = 'The partnership forum is on Friday at 10:00.';

interface Pair {
  api: FakeBotApi;
  ports: [number, number];
  bots: [TestBot, TestBot];
}

async function twoInstances(databaseUrl: string, clock: TestClock): Promise<Pair> {
  const api = await new FakeBotApi().start();
  onTestFinished(() => api.close());
  const ports: [number, number] = [await freePort(), await freePort()];
  const env = (port: number) => ({ ...webhookEnv(port), ADMIN_IDS: String(COORDINATOR_ID), ...(redisUrl ? { REDIS_URL: redisUrl } : {}) });
  const bots = (await Promise.all(ports.map((port) => startTestBot({ api, databaseUrl, clock, env: env(port) })))) as [TestBot, TestBot];
  return { api, ports, bots };
}

/** Delivers one update to both instances at once, as Telegram retrying a slow webhook would. */
async function toBoth(pair: Pair, update: Update): Promise<void> {
  const answers = await Promise.all(pair.ports.map((port) => postUpdate(port, update)));
  expect(answers.map((a) => a.status)).toEqual([200, 200]);
}

/** Successful sends per chat and text: each must be 1. */
function sendsByChatAndText(calls: ApiCall[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of calls) {
    if (!/^send(Message|Document)$/.test(call.method) || call.error) continue;
    const key = `${call.payload.chat_id} ${deliveredText(call)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function lastMessageWithButton(api: FakeBotApi, chatId: number, prefix: string): { message: Message; data: string } {
  for (const call of [...api.callsOf('sendMessage')].reverse()) {
    const message = call.result as Message | undefined;
    if (!message || message.chat.id !== chatId) continue;
    const current = api.message(chatId, message.message_id) ?? message;
    const button = (current.reply_markup?.inline_keyboard ?? []).flat().find((b) => 'callback_data' in b && b.callback_data.startsWith(prefix));
    if (button && 'callback_data' in button) return { message: current, data: button.callback_data };
  }
  throw new Error(`No button ${prefix} in chat ${chatId}`);
}

function pressUpdate(updateId: number, userId: number, message: Message, data: string): Update {
  return {
    update_id: updateId,
    callback_query: { id: `cb-${updateId}`, from: { id: userId, is_bot: false, first_name: 'Iryna', language_code: 'en' }, chat_instance: 'ci', data, message },
  } as Update;
}

describe.skipIf(!testDatabaseUrl)('two instances on one PostgreSQL database', () => {
  it('send each reminder, broadcast message and answer exactly once when both get the same updates', { timeout: 120_000 }, async () => {
    const clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
    const databaseUrl = await createTestDatabase();
    const pair = await twoInstances(databaseUrl, clock);
    const { api } = pair;
    const { db } = pair.bots[0].app.deps;

    // A team with members, as the teams feature would have left it, and reminders due now.
    const programme = await db.programme.findFirstOrThrow();
    const team = await db.team.create({ data: { programmeId: programme.id, name: 'Bucha', country: 'Ukraine', createdById: 1 } });
    for (let i = 0; i < TEAM_MEMBERS; i++) {
      const person = await db.person.create({ data: { telegramId: BigInt(30_000 + i), firstName: `Member ${i}`, language: 'en' } });
      await db.teamMember.create({ data: { teamId: team.id, personId: person.id } });
    }
    const members = await db.person.findMany({ where: { telegramId: { gte: 30_000n } }, orderBy: { id: 'asc' } });
    expect(
      await enqueue(
        db,
        Array.from({ length: REMINDERS }, (_, i) => {
          const member = members[i % members.length]!;
          return { dedupeKey: `reminder:test:${i}`, kind: 'session_reminder', personId: member.id, chatId: member.telegramId, text: `Reminder ${i}: your session starts in an hour.`, dueAt: clock.now() };
        }),
      ),
    ).toBe(REMINDERS);

    // The coordinator's broadcast, every update delivered to both instances.
    let updateId = 9000;
    await toBoth(pair, textUpdate(++updateId, COORDINATOR_ID, '/start'));
    await toBoth(pair, textUpdate(++updateId, COORDINATOR_ID, '/broadcast'));
    const menu = lastMessageWithButton(api, COORDINATOR_ID, 'bc|a|teams');
    await toBoth(pair, pressUpdate(++updateId, COORDINATOR_ID, menu.message, menu.data));
    await toBoth(pair, textUpdate(++updateId, COORDINATOR_ID, BROADCAST_TEXT));
    const preview = lastMessageWithButton(api, COORDINATOR_ID, 'bc|ok|');
    // A double tap: two presses, each delivered to both instances at once.
    await Promise.all([toBoth(pair, pressUpdate(++updateId, COORDINATOR_ID, preview.message, preview.data)), toBoth(pair, pressUpdate(++updateId, COORDINATOR_ID, preview.message, preview.data))]);
    // Members writing to the bot meanwhile, each update to both.
    await Promise.all(members.slice(0, 10).map((m, i) => toBoth(pair, textUpdate(9500 + i, Number(m.telegramId), '/help'))));

    const report = () => api.callsOf('sendMessage').find((c) => Number(c.payload.chat_id) === COORDINATOR_ID && !c.error && deliveredText(c).startsWith('Delivery report'));
    await api.waitFor(report, 60_000);
    // Whatever is still going out: look again after each further send (or a moment, for the last one's record).
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      const seen = api.lastSeq;
      if ((await db.outgoingMessage.count({ where: { status: { not: 'sent' } } })) === 0) break;
      await api.waitFor(() => api.lastSeq > seen, 250).catch(() => undefined);
    }
    expect(await db.outgoingMessage.groupBy({ by: ['status'], _count: { _all: true } })).toEqual([{ status: 'sent', _count: { _all: REMINDERS + TEAM_MEMBERS + 1 } }]);
    await api.settle(300);

    const counts = sendsByChatAndText(api.calls);
    expect([...counts].filter(([, n]) => n !== 1), 'messages sent more than once').toEqual([]);
    for (const member of members) expect(counts.get(`${member.telegramId} ${BROADCAST_TEXT}`), `the broadcast to ${member.telegramId}`).toBe(1);
    expect([...counts.keys()].filter((k) => k.includes('Reminder '))).toHaveLength(REMINDERS);
    expect([...counts.keys()].filter((k) => k.includes('guides a mentoring programme'))).toHaveLength(10);
    expect(deliveredText(report()!)).toContain(`Delivered: ${TEAM_MEMBERS}`);
    // Both instances took part in the sending.
    const senders = await db.outgoingMessage.groupBy({ by: ['claimedBy'], _count: { _all: true } });
    expect(senders).toHaveLength(2);
    for (const bot of pair.bots) expect(bot.logs.filter((l) => l.includes('"msg":"update failed"'))).toEqual([]);
  });

  it('both start when launched at the same moment on an empty database', { timeout: 120_000 }, async () => {
    const databaseUrl = await createTestDatabase();
    const api = await new FakeBotApi().start();
    onTestFinished(() => api.close());
    const ports = [await freePort(), await freePort()];
    // Two processes, as two containers would be started, racing to apply the migrations.
    const children = ports.map((port) =>
      spawnBotChild({ BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, DATABASE_URL: databaseUrl, LOG_LEVEL: 'debug', ...webhookEnv(port) }),
    );
    const up = api.waitFor(() => api.callsOf('setWebhook').length >= 2, 60_000);
    const died = Promise.race(children.map((child, i) => child.exited.then((code) => `instance ${i} stopped (${code}):\n${child.stderr()}\n${child.stdout().slice(-2000)}`)));
    const outcome = await Promise.race([up.then(() => 'both up'), died]);
    expect(outcome).toBe('both up');

    for (const [i, port] of ports.entries()) {
      expect((await postUpdate(port, textUpdate(9900 + i, 40_000 + i, '/help'))).status).toBe(200);
    }
    for (const i of [0, 1]) {
      const answers = api.callsOf('sendMessage').filter((c) => Number(c.payload.chat_id) === 40_000 + i && !c.error);
      expect(answers.map((c) => deliveredText(c))).toEqual([expect.stringContaining('guides a mentoring programme')]);
    }
    const twice = await withDatabase(databaseUrl, (db) =>
      db.$queryRawUnsafe<unknown[]>('SELECT migration_name FROM _prisma_migrations GROUP BY migration_name HAVING count(*) > 1'),
    );
    expect(twice, 'a migration recorded twice').toEqual([]);
    for (const child of children) expect(child.stderr()).toBe('');
  });
});
