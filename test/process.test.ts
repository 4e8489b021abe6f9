import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeBotApi } from './support/fake-bot-api.js';
import { commandLine, processTree } from './support/processes.js';
import { TelegramUser } from './support/telegram-user.js';
import { projectRoot, spawnBot, tempDir } from './support/test-bot.js';

describe('npm start', () => {
  it('stops at once with one line when BOT_TOKEN is missing', async () => {
    const bot = spawnBot({}, tempDir());
    expect(await bot.exited).toBe(1);
    expect(bot.stderr.trim().split('\n')).toEqual([
      'Configuration error: BOT_TOKEN is not set: create a bot with @BotFather and set BOT_TOKEN to the token it gives you',
    ]);
  });

  it('stops at once with one line when DATABASE_URL is malformed, without printing the token', async () => {
    const token = '987654321:AAF-secret-token-that-must-never-be-printed';
    const bot = spawnBot({ BOT_TOKEN: token, DATABASE_URL: 'sqlite3:/tmp/x.db' }, tempDir());
    expect(await bot.exited).toBe(1);
    expect(bot.stderr.trim().split('\n')).toHaveLength(1);
    expect(bot.stderr).toContain('DATABASE_URL must be a SQLite file');
    expect(bot.stderr + bot.stdout).not.toContain(token);
  });

  it('creates its SQLite database, answers /start, and shuts down cleanly on SIGTERM', async () => {
    const api = await new FakeBotApi().start();
    try {
      const cwd = tempDir();
      const bot = spawnBot({ BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, LOG_LEVEL: 'debug' }, cwd);
      await api.waitFor(() => api.callsOf('getUpdates').length > 0, 30_000);
      expect(existsSync(path.join(cwd, 'data', 'citymentor.db'))).toBe(true);

      const replies = await new TelegramUser(api, { id: 81, first_name: 'Oksana', language_code: 'uk' }).send('/start');
      expect(replies.text).toMatch(/Вітаю, Oksana!/);

      bot.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
      expect(bot.stdout).toContain('"msg":"stopped"');
      expect(bot.stdout).toContain('"msg":"update handled"');
      expect(bot.stdout + bot.stderr).not.toContain(api.token);
    } finally {
      await api.close();
    }
  });

  it('reads settings from a .env file in its folder', async () => {
    const api = await new FakeBotApi().start();
    try {
      const cwd = tempDir();
      const { writeFileSync } = await import('node:fs');
      writeFileSync(path.join(cwd, '.env'), `BOT_TOKEN=${api.token}\nTELEGRAM_API_ROOT=${api.apiRoot}\nDATABASE_URL=file:./custom/bot.db\n`);
      const bot = spawnBot({}, cwd);
      await api.waitFor(() => api.callsOf('getUpdates').length > 0, 30_000);
      expect(existsSync(path.join(cwd, 'custom', 'bot.db'))).toBe(true);
      bot.kill('SIGINT');
      expect(await bot.exited).toBe(0);
    } finally {
      await api.close();
    }
  });

  it('runs the compiled bot with plain node, and npm prints nothing of its own', async () => {
    const api = await new FakeBotApi().start();
    const npm = spawn('npm', ['start'], {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        BOT_TOKEN: api.token,
        TELEGRAM_API_ROOT: api.apiRoot,
        DATABASE_URL: `file:${path.join(tempDir(), 'bot.db')}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.on('data', (d) => (output += String(d)));
    npm.stderr.on('data', (d) => (output += String(d)));
    const exited = new Promise((resolve) => npm.once('exit', resolve));
    const bots = () => processTree(npm.pid!).slice(1).filter((pid) => commandLine(pid)[0]?.endsWith('node'));
    try {
      await api.waitFor(() => api.callsOf('getUpdates').length > 0, 30_000);
      const replies = await new TelegramUser(api, { id: 82, first_name: 'Jānis', language_code: 'lv' }).send('/start');
      expect(replies.text).toMatch(/Jānis/);

      // One node process under npm, started on the plain-JavaScript entry with no loader or flags.
      const [bot, ...others] = bots();
      expect(others).toEqual([]);
      expect(commandLine(bot!).slice(1)).toEqual(['scripts/start.mjs']);
      expect(readFileSync(`/proc/${bot}/environ`, 'utf8')).not.toMatch(/NODE_OPTIONS=[^\0]*tsx/);

      process.kill(bot!, 'SIGTERM');
      await exited;
      expect(output).not.toMatch(/npm (warn|WARN|ERR)/);
    } finally {
      for (const pid of [...bots(), npm.pid!]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await api.close();
    }
  });
});
