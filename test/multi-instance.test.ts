import { describe, expect, it } from 'vitest';
import { FakeBotApi } from './support/fake-bot-api.js';
import { createTestDatabase, testDatabaseUrl } from './support/postgres.js';
import { startTestBot } from './support/test-bot.js';
import { freePort, postUpdate, textUpdate, webhookEnv } from './support/webhook.js';

const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl) console.warn('The shared flood-limit test is skipped: set TEST_REDIS_URL=redis://127.0.0.1:6379 to run it.');

const helpsTo = (api: FakeBotApi, chatId: number) =>
  api.callsOf('sendMessage').filter((c) => c.payload.chat_id === chatId && String(c.payload.text).includes('guides a mentoring programme'));

describe('an update delivered twice', () => {
  it('is handled once', async () => {
    const port = await freePort();
    const bot = await startTestBot({ env: webhookEnv(port) });
    const update = textUpdate(7000, 800, '/help');
    for (let i = 0; i < 3; i++) expect((await postUpdate(port, update)).status).toBe(200);
    await bot.api.settle(300);
    expect(helpsTo(bot.api, 800)).toHaveLength(1);
    expect(bot.logs.filter((l) => l.includes('duplicate update ignored'))).toHaveLength(2);
  });

  it.skipIf(!testDatabaseUrl)('is handled once when two instances on PostgreSQL get it', async () => {
    const api = await new FakeBotApi().start();
    const databaseUrl = await createTestDatabase();
    const [portA, portB] = [await freePort(), await freePort()];
    await startTestBot({ api, databaseUrl, env: webhookEnv(portA) });
    await startTestBot({ api, databaseUrl, env: webhookEnv(portB) });

    const update = textUpdate(7001, 801, '/help');
    const answers = await Promise.all([postUpdate(portA, update), postUpdate(portB, update), postUpdate(portA, update)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await api.settle(300);
    expect(helpsTo(api, 801)).toHaveLength(1);
    await api.close();
  });
});

describe('a flood from one person', () => {
  it('is answered politely once and the rest is dropped', async () => {
    const bot = await startTestBot({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
    const user = bot.user({ id: 802 });
    for (let i = 0; i < 6; i++) await user.send('/help');
    expect(helpsTo(bot.api, 802)).toHaveLength(3);
    const slowDown = bot.api.callsOf('sendMessage').filter((c) => c.payload.chat_id === 802 && String(c.payload.text).includes('very quickly'));
    expect(slowDown).toHaveLength(1);
    expect((await bot.user({ id: 803 }).send('/help')).text).toContain('guides a mentoring programme');
  });

  it.skipIf(!redisUrl || !testDatabaseUrl)('is counted across instances sharing Redis', async () => {
    const { Redis } = await import('ioredis');
    const redis = new Redis(redisUrl!);
    await redis.del('citymentor:flood:804');
    await redis.quit();
    const api = await new FakeBotApi().start();
    const databaseUrl = await createTestDatabase();
    const [portA, portB] = [await freePort(), await freePort()];
    const env = { RATE_LIMIT_PER_MINUTE: '4', REDIS_URL: redisUrl! };
    await startTestBot({ api, databaseUrl, env: { ...webhookEnv(portA), ...env } });
    await startTestBot({ api, databaseUrl, env: { ...webhookEnv(portB), ...env } });
    for (let i = 0; i < 6; i++) await postUpdate(i % 2 ? portB : portA, textUpdate(7100 + i, 804, '/help'));
    await api.settle(300);
    expect(helpsTo(api, 804)).toHaveLength(4);
    await api.close();
  });
});
