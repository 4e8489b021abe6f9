import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { inject, onTestFinished } from 'vitest';
import { type RunningApp, startApp } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { FakeBotApi } from './fake-bot-api.js';
import { type Profile, TelegramUser } from './telegram-user.js';

export const projectRoot = path.resolve(import.meta.dirname, '../..');

/** A clock a test moves by hand. */
export class TestClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date | string): void {
    this.current = new Date(to);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface TestBotOptions {
  env?: Record<string, string>;
  clock?: Clock;
  /** Reuse an existing database (a restart); by default each test gets a new, migrated SQLite file. */
  databaseUrl?: string;
  api?: FakeBotApi;
}

export interface TestBot {
  api: FakeBotApi;
  app: RunningApp;
  databaseUrl: string;
  /** Every log line written by the bot, as text. */
  logs: string[];
  user(profile: Partial<Profile> & { id: number }): TelegramUser;
  /** Stops the bot and starts a new one on the same database and fake server, as a restart would. */
  restart(options?: Omit<TestBotOptions, 'api' | 'databaseUrl'>): Promise<TestBot>;
  stop(): Promise<void>;
}

export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'citymentor-test-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A new SQLite file with the schema in place: a copy of the run's migrated template. */
export function freshSqliteDatabase(): string {
  const file = path.join(tempDir(), 'citymentor.db');
  copyFileSync(inject('migratedSqliteTemplate'), file);
  return `file:${file}`;
}

/** Starts the real bot in this process against a fake Telegram server. Cleaned up after the test. */
export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const api = options.api ?? (await new FakeBotApi().start());
  if (!options.api) onTestFinished(() => api.close());
  const databaseUrl = options.databaseUrl ?? freshSqliteDatabase();
  const logs: string[] = [];
  const handledUpdates = new Set<number>();
  const waiters = new Map<number, () => void>();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      const line = String(chunk);
      logs.push(line);
      // The bot logs one line per finished update: the sign that it is done with it.
      const handled = /"updateId":(\d+).*"msg":"update handled"/.exec(line);
      if (handled) {
        const id = Number(handled[1]);
        handledUpdates.add(id);
        waiters.get(id)?.();
      }
      done();
    },
  });
  const whenHandled = (updateId: number) =>
    new Promise<void>((resolve, reject) => {
      if (handledUpdates.has(updateId)) return resolve();
      const timer = setTimeout(() => reject(new Error(`The bot did not finish update ${updateId} in time`)), 30_000);
      waiters.set(updateId, () => {
        clearTimeout(timer);
        waiters.delete(updateId);
        resolve();
      });
    });
  const config = loadConfig({
    BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'debug',
    // Tests act faster than people; the flood limit has its own test.
    RATE_LIMIT_PER_MINUTE: '10000',
    ...options.env,
  });
  const app = await startApp(config, { clock: options.clock, logger: createLogger('debug', [api.token], sink), scheduledJobs: false });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.stop();
  };
  onTestFinished(stop);
  const users = new Map<number, TelegramUser>();
  return {
    api,
    app,
    databaseUrl,
    logs,
    user(profile) {
      const existing = users.get(profile.id);
      if (existing) return existing;
      const user = new TelegramUser(api, { first_name: `Person ${profile.id}`, language_code: 'en', ...profile }, whenHandled);
      users.set(profile.id, user);
      return user;
    },
    async restart(restartOptions = {}) {
      await stop();
      return startTestBot({ ...options, ...restartOptions, api, databaseUrl });
    },
    stop,
  };
}

export interface BotProcess {
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/** Runs the bot as `npm start` does (`node scripts/start.mjs`: the compiled dist/), in a child process with only the given environment. */
export function spawnBot(env: Record<string, string>, cwd = projectRoot): BotProcess {
  const child = spawn(process.execPath, [path.join(projectRoot, 'scripts/start.mjs')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result: BotProcess = {
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    kill: (signal) => child.kill(signal),
  };
  child.stdout.on('data', (d) => (result.stdout += String(d)));
  child.stderr.on('data', (d) => (result.stderr += String(d)));
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await result.exited;
    }
  });
  return result;
}
