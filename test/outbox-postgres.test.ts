import { Api } from 'grammy';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { AppDeps } from '../src/context.js';
import { openDatabase } from '../src/db/database.js';
import { createI18n } from '../src/i18n.js';
import { createLogger } from '../src/logger.js';
import { enqueue } from '../src/outbox/outbox.js';
import { newInstanceId, sendDueMessages } from '../src/outbox/sender.js';
import { FakeBotApi, TEST_BOT_TOKEN } from './support/fake-bot-api.js';
import { createTestDatabase, testDatabaseUrl } from './support/postgres.js';
import { startTestBot, TestClock } from './support/test-bot.js';

/** One bot instance's own connection pool, translations and clock. */
async function instance(databaseUrl: string, clock: TestClock): Promise<AppDeps> {
  const config = loadConfig({ BOT_TOKEN: TEST_BOT_TOKEN, DATABASE_URL: databaseUrl });
  const db = await openDatabase(config.database, { migrate: true });
  return { config, db, i18n: await createI18n('en'), logger: createLogger('silent'), clock };
}

describe.skipIf(!testDatabaseUrl)('the outbox on PostgreSQL', () => {
  it('lets two instances on one database deliver each of many queued messages exactly once', async () => {
    const server = await new FakeBotApi().start();
    const databaseUrl = await createTestDatabase();
    const clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
    const first = await instance(databaseUrl, clock);
    const second = await instance(databaseUrl, clock);
    try {
      const count = 150;
      for (let i = 0; i < count; i++) {
        await first.db.person.create({ data: { telegramId: BigInt(10_000 + i), firstName: `P${i}`, language: 'en' } });
      }
      const people = await first.db.person.findMany({ orderBy: { id: 'asc' } });
      await enqueue(
        first.db,
        people.map((p) => ({ dedupeKey: `load:${p.id}`, kind: 'test', personId: p.id, chatId: p.telegramId, text: `Hello ${p.id}`, dueAt: clock.now() })),
      );
      // The same messages queued again, from the other instance, change nothing.
      expect(
        await enqueue(
          second.db,
          people.map((p) => ({ dedupeKey: `load:${p.id}`, kind: 'test', personId: p.id, chatId: p.telegramId, text: 'again', dueAt: clock.now() })),
        ),
      ).toBe(0);

      const api = new Api(server.token, { apiRoot: server.apiRoot });
      const ids = [newInstanceId(), newInstanceId()];
      // Two instances, each with two passes running at once, all claiming from the same queue.
      const passes = await Promise.all([
        sendDueMessages(first, api, ids[0]!),
        sendDueMessages(second, api, ids[1]!),
        sendDueMessages(first, api, ids[0]!),
        sendDueMessages(second, api, ids[1]!),
      ]);
      expect(passes.reduce((n, p) => n + p.sent, 0)).toBe(count);

      const delivered = server.callsOf('sendMessage').filter((c) => !c.error);
      expect(delivered).toHaveLength(count);
      expect(new Set(delivered.map((c) => Number(c.payload.chat_id))).size).toBe(count);
      const rows = await first.db.outgoingMessage.findMany();
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
      const byInstance = new Map<string, number>();
      for (const row of rows) byInstance.set(row.claimedBy!, (byInstance.get(row.claimedBy!) ?? 0) + 1);
      expect([...byInstance.keys()].sort()).toEqual([...ids].sort());
    } finally {
      await first.db.$disconnect();
      await second.db.$disconnect();
      await server.close();
    }
  });

  it('runs a whole broadcast with its delivery report', async () => {
    const databaseUrl = await createTestDatabase();
    const bot = await startTestBot({ databaseUrl, env: { ADMIN_IDS: '900' } });
    const db = bot.app.deps.db;
    const programme = await db.programme.findFirstOrThrow();
    const team = await db.team.create({ data: { programmeId: programme.id, name: 'Bucha', country: 'Ukraine', createdById: 1 } });
    for (let i = 0; i < 40; i++) {
      const person = await db.person.create({ data: { telegramId: BigInt(20_000 + i), firstName: `M${i}`, language: 'en' } });
      await db.teamMember.create({ data: { teamId: team.id, personId: person.id } });
    }
    const coordinator = bot.user({ id: 900 });
    await coordinator.send('/start');
    await coordinator.send('/broadcast');
    await coordinator.press('Mentee teams (40)');
    await coordinator.send('Hello, teams');
    await coordinator.press('Send to 40');
    const report = await bot.api.waitFor(
      () => bot.api.callsOf('sendMessage').find((c) => Number(c.payload.chat_id) === 900 && String(c.payload.text).includes('Delivery report')),
      30_000,
    );
    expect(String(report.payload.text)).toContain('Delivered: 40');
    const delivered = bot.api.callsOf('sendMessage').filter((c) => !c.error && c.payload.text === 'Hello, teams');
    expect(new Set(delivered.map((c) => Number(c.payload.chat_id))).size).toBe(40);
    expect(delivered).toHaveLength(40);
  });
});
