import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Api } from 'grammy';
import { createLogger } from '../src/logger.js';
import { connectToTelegram, reconnectDelaySeconds } from '../src/telegram-connection.js';
import { telegramFetch } from '../src/telegram-http.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import { TelegramUser } from './support/telegram-user.js';
import { spawnBot, tempDir } from './support/test-bot.js';

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('start-up against Telegram', () => {
  it('backs off between attempts: 1, 2, 4, 8, 16 s, then every 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(reconnectDelaySeconds)).toEqual([1, 2, 4, 8, 16, 30, 30, 30]);
  });

  it('gives up on an attempt that gets no answer and says so, without the token', async () => {
    // Takes connections and never answers, as a network that drops packets can.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const apiRoot = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const token = '123456:a-token-that-must-not-be-logged';
    const lines: string[] = [];
    const logger = createLogger('info', [token], { write: (line: string) => void lines.push(line) });
    const api = new Api(token, { apiRoot, fetch: telegramFetch });
    const stopped = new Error('second attempt not wanted');
    try {
      await expect(connectToTelegram(api, logger, apiRoot, () => Promise.reject(stopped), 300)).rejects.toBe(stopped);
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ apiRoot, attempt: 1, reason: 'no answer in time', retryInSeconds: 1 });
      expect(lines[0]).not.toContain(token);
    } finally {
      silent.close();
    }
  });

  it('says in one line per attempt that the Bot API cannot be reached, keeps trying, and starts once it can', async () => {
    const port = await closedPort();
    const apiRoot = `http://127.0.0.1:${port}`;
    const api = new FakeBotApi();
    const bot = spawnBot({ BOT_TOKEN: api.token, TELEGRAM_API_ROOT: apiRoot }, tempDir());
    try {
      await waitUntil(() => /attempt 2\b/.test(bot.stdout), 30_000);
      const lines = bot.stdout.split('\n').filter((l) => l.includes('cannot reach the Telegram Bot API'));
      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(lines[0]).toContain(apiRoot);
      expect(lines[0]).toContain('ECONNREFUSED');
      expect(lines[0]).toMatch(/still trying \(attempt 1, next in 1 s\)/);
      expect(bot.stdout + bot.stderr).not.toContain(api.token);

      // The Bot API comes back: the bot connects by itself and answers.
      await api.start(port);
      await api.waitFor(() => api.callsOf('getUpdates').length > 0, 40_000);
      const replies = await new TelegramUser(api, { id: 91, first_name: 'Ilze', language_code: 'lv' }).send('/start');
      expect(replies.text).toMatch(/Ilze/);
    } finally {
      await api.close();
    }
  }, 90_000);

  it('stops with one clear line when Telegram refuses the token', async () => {
    const api = await new FakeBotApi().start();
    try {
      const wrongToken = '111111111:AAF-a-token-that-telegram-does-not-know';
      const bot = spawnBot({ BOT_TOKEN: wrongToken, TELEGRAM_API_ROOT: api.apiRoot }, tempDir());
      expect(await bot.exited).toBe(1);
      expect(bot.stderr.trim().split('\n')).toEqual([
        'Telegram refused BOT_TOKEN (401 Unauthorized): check the token @BotFather gave you',
      ]);
      expect(bot.stdout + bot.stderr).not.toContain(wrongToken);
    } finally {
      await api.close();
    }
  }, 60_000);

  it('runs without the command menus Telegram refuses, and publishes the others', async () => {
    const api = await new FakeBotApi().start();
    try {
      api.fail('setMyCommands', { kind: 'status', status: 400, description: 'Bad Request: command description is too long' });
      api.fail('setMyCommands', { kind: 'status', status: 404, description: 'Not Found: method not found' });
      const bot = spawnBot({ BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot }, tempDir());
      await api.waitFor(() => api.callsOf('getUpdates').length > 0, 30_000);

      const replies = await new TelegramUser(api, { id: 92, first_name: 'Marta', language_code: 'pl' }).send('/start');
      expect(replies.text).toMatch(/Marta/);
      const menus = api.callsOf('setMyCommands').filter((c) => !c.payload.scope);
      expect(menus.filter((c) => c.error)).toHaveLength(2);
      // The default menu and five languages were all tried; four languages got theirs.
      expect(menus).toHaveLength(6);
      expect(menus.filter((c) => !c.error && c.payload.language_code)).toHaveLength(4);
      expect(bot.stdout).toContain('could not be set; the bot runs without it');
      expect(bot.stderr).toBe('');
    } finally {
      await api.close();
    }
  }, 60_000);
});
