import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Update } from 'grammy/types';
import { onTestFinished } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { type ApiCall, FakeBotApi } from './fake-bot-api.js';
import { type Profile, Replies, TelegramUser } from './telegram-user.js';
import { projectRoot, type TestBot } from './test-bot.js';

/** A small seeded random generator (mulberry32): the same seed gives the same faults. */
export class Prng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  string(length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
}

/** The fake Bot API server, remembering the last update a test pushed (to know its update_id before it is handled). */
export class RecordingBotApi extends FakeBotApi {
  lastPushed: Update | undefined;
  override pushUpdate(update: Omit<Update, 'update_id'> & { update_id?: number }): Update {
    this.lastPushed = super.pushUpdate(update);
    return this.lastPushed;
  }
}

/** The bot as `npm start` runs it, in a child process, with what it logs readable as it happens. */
export interface BotChild {
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves when the bot logged that it finished this update; rejects if the process ends first. */
  handled(updateId: number, timeoutMs?: number): Promise<void>;
  /** Whether it logged that it finished this update. */
  hasHandled(updateId: number): boolean;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

export function spawnBotChild(env: Record<string, string>, cwd = projectRoot): BotChild {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(projectRoot, 'src/main.ts')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let partial = '';
  let ended = false;
  const handledIds = new Set<number>();
  const waiters = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of [...waiters]) wake();
  };
  child.stdout.on('data', (chunk) => {
    const text = String(chunk);
    out += text;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const match = /"updateId":(\d+).*"msg":"update handled"/.exec(line);
      if (match) handledIds.add(Number(match[1]));
    }
    wakeAll();
  });
  child.stderr.on('data', (chunk) => (err += String(chunk)));
  // 'close' comes after the last output is read, so a finished update is never missed.
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      ended = true;
      wakeAll();
      resolve(code);
    }),
  );
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return {
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    hasHandled: (updateId) => handledIds.has(updateId),
    handled(updateId, timeoutMs = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (handledIds.has(updateId)) finish();
          else if (ended) finish(new Error(`The bot process ended before it finished update ${updateId}`));
        };
        const timer = setTimeout(() => finish(new Error(`The bot did not finish update ${updateId} in time`)), timeoutMs);
        const finish = (error?: Error) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve();
        };
        waiters.add(check);
        check();
      });
    },
    exited,
    kill: (signal) => child.kill(signal),
  };
}

/**
 * Runs `work` with a Prisma client of the test's own on the bot's database, closed
 * afterwards: the bot's start-up migration waits for every other connection to the
 * SQLite file to close, so a test must not keep one open across a restart.
 */
export async function withDatabase<T>(databaseUrl: string, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(parseDatabaseUrl(databaseUrl)!);
  try {
    return await work(db);
  } finally {
    await db.$disconnect();
  }
}

/** The stored answers of every response of a form, by question id (values parsed from JSON). */
export async function storedAnswers(databaseUrl: string, formId = 'application'): Promise<Record<string, unknown>> {
  return withDatabase(databaseUrl, async (db) => {
    const rows = await db.formAnswer.findMany({ where: { response: { formId } } });
    return Object.fromEntries(rows.map((r) => [r.questionId, JSON.parse(r.value) as unknown]));
  });
}

/** The text a message call delivered, as the person reads it (tags removed by the fake server). */
export function deliveredText(call: ApiCall): string {
  const result = call.result as { text?: string; caption?: string } | undefined;
  return result?.text ?? result?.caption ?? '';
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Resolves when the in-process bot logged that it finished an update: the same sign
 * startTestBot's users wait for, read from `bot.logs` as lines arrive.
 */
export function watchHandled(bot: TestBot): (updateId: number, timeoutMs?: number) => Promise<void> {
  const handled = new Set<number>();
  const waiters = new Set<() => void>();
  let scanned = 0;
  const scan = () => {
    for (; scanned < bot.logs.length; scanned++) {
      const match = /"updateId":(\d+).*"msg":"update handled"/.exec(bot.logs[scanned]!);
      if (match) handled.add(Number(match[1]));
    }
    for (const wake of [...waiters]) wake();
  };
  const push = bot.logs.push.bind(bot.logs);
  bot.logs.push = (...lines: string[]) => {
    const length = push(...lines);
    scan();
    return length;
  };
  scan();
  return (updateId, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!handled.has(updateId)) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`The bot did not finish update ${updateId} in time`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
}

/**
 * A person for busy tests: waits only until the bot has finished their own update,
 * not until the whole bot is quiet (it never is while a broadcast is being sent).
 */
export class BusyUser extends TelegramUser {
  constructor(
    api: FakeBotApi,
    profile: Profile,
    private readonly finished: (updateId: number) => Promise<void>,
  ) {
    super(api, profile);
  }

  override async act(update: Omit<Update, 'update_id'>): Promise<Replies> {
    const since = this.api.lastSeq;
    const pushed = this.api.pushUpdate(update);
    const callbackId = pushed.callback_query?.id;
    await this.finished(pushed.update_id);
    return new Replies(
      this.api.calls.filter(
        (c) => c.seq > since && (Number(c.payload.chat_id) === this.id || (callbackId !== undefined && c.payload.callback_query_id === callbackId)),
      ),
    );
  }
}
