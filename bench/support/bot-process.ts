import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { build, buildIsStale } from '../../scripts/build.mjs';

/** What the parent and bot-main.mjs say to each other over the IPC channel. */
export type ParentMessage =
  | { type: 'memory'; gc?: boolean }
  | { type: 'count-per-update'; on: boolean }
  /** Starts a CPU profile, or stops it and writes it to `file`. */
  | { type: 'profile'; file?: string }
  | { type: 'stop' };
export type ChildMessage =
  | { type: 'ready' }
  | {
      type: 'memory';
      rss: number;
      heapUsed: number;
      heapTotal: number;
      external: number;
      arrayBuffers: number;
      /** CPU time the process has used so far (user + system). */
      cpuMs: number;
      /** SQL statements and transactions the real bot has sent so far; undefined for the echo bot. */
      sql?: { statements: number; transactions: number };
    }
  | { type: 'counting'; on: boolean }
  | { type: 'profiled' }
  | { type: 'stopped' };

export type BotKind = 'citymentor' | 'echo';

export type MemoryFigures = Extract<ChildMessage, { type: 'memory' }>;

export interface BotProcess {
  kind: BotKind;
  pid: number;
  databaseUrl: string;
  /** Resolves once the bot logged "update handled" for this update. */
  handled(updateId: number, timeoutMs?: number): Promise<void>;
  /** How long the bot's own middleware took per update ("ms" of its log line). */
  handlerMs: number[];
  /** SQL statements and transactions per update, by update id ("sql" and "transactions" of its log line; the real bot only). */
  sql: Map<number, { statements: number; transactions: number }>;
  /** Log lines at error level or above. */
  errors: string[];
  memory(options?: { gc?: boolean }): Promise<MemoryFigures>;
  /**
   * Switches the real bot's SQL counting per update on or off (src/db/statement-count.ts): it keeps
   * an async context that costs every promise, so timed runs go without (totals are kept either way).
   */
  countPerUpdate(on: boolean): Promise<void>;
  /** Starts a CPU profile of the bot process (no file), or stops it and writes it to `file`. */
  profile(file?: string): Promise<void>;
  /** Stops the bot as a shutdown would; its database stays until remove(). */
  stop(): Promise<void>;
  remove(): Promise<void>;
}

/**
 * Starts a bot (the real one or the echo floor) in a plain node child process against the fake
 * Telegram server, with a new SQLite file, and waits until it polls for updates.
 */
export async function startBotProcess(
  kind: BotKind,
  api: { apiRoot: string; token: string },
  env: Record<string, string> = {},
): Promise<BotProcess> {
  // The real bot runs compiled, as in production.
  if (kind === 'citymentor' && buildIsStale()) build();
  const dir = mkdtempSync(path.join(tmpdir(), 'citymentor-bench-'));
  const databaseUrl = `file:${path.join(dir, 'citymentor.db')}`;
  const child: ChildProcess = fork(path.join(import.meta.dirname, 'bot-main.mjs'), [], {
    cwd: dir,
    execArgv: [
      '--expose-gc',
      // BENCH_CPU_PROF=<folder>: a CPU profile of each bot process, to see where an update's time goes.
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : []),
    ],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      BENCH_BOT: kind,
      BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      DATABASE_URL: databaseUrl,
      // The bot says "update handled" at debug level: the driver waits for that line.
      LOG_LEVEL: 'debug',
      // Simulated people answer faster than real ones; the flood limit is not what is measured.
      RATE_LIMIT_PER_MINUTE: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });

  const handledIds = new Set<number>();
  const waiters = new Map<number, () => void>();
  const handlerMs: number[] = [];
  const sql = new Map<number, { statements: number; transactions: number }>();
  const errors: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    let entry: { level?: number; msg?: string; updateId?: number; ms?: number; sql?: number; transactions?: number };
    try {
      entry = JSON.parse(line);
    } catch {
      return;
    }
    if (entry.msg === 'update handled' && typeof entry.updateId === 'number') {
      handledIds.add(entry.updateId);
      if (typeof entry.ms === 'number') handlerMs.push(entry.ms);
      if (typeof entry.sql === 'number') sql.set(entry.updateId, { statements: entry.sql, transactions: entry.transactions ?? 0 });
      waiters.get(entry.updateId)?.();
    } else if ((entry.level ?? 0) >= 50) {
      errors.push(line);
    }
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));

  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const messages: Array<(m: ChildMessage) => void> = [];
  child.on('message', (m: ChildMessage) => {
    for (const listener of [...messages]) listener(m);
  });
  const next = <T extends ChildMessage['type']>(type: T, timeoutMs: number) =>
    new Promise<Extract<ChildMessage, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${kind} bot: no "${type}" within ${timeoutMs} ms. stderr: ${stderr.slice(-2000)}`)), timeoutMs);
      const listener = (m: ChildMessage) => {
        if (m.type !== type) return;
        clearTimeout(timer);
        messages.splice(messages.indexOf(listener), 1);
        resolve(m as Extract<ChildMessage, { type: T }>);
      };
      messages.push(listener);
      void exited.then((code) => reject(new Error(`${kind} bot exited (${code}) while waiting for "${type}". stderr: ${stderr.slice(-2000)}`)));
    });
  const send = (m: ParentMessage) => child.send(m);

  await next('ready', 120_000);

  let stopping: Promise<void> | undefined;
  const handle: BotProcess = {
    kind,
    pid: child.pid!,
    databaseUrl,
    handlerMs,
    sql,
    errors,
    handled(updateId, timeoutMs = 60_000) {
      if (handledIds.has(updateId)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(updateId);
          reject(new Error(`${kind} bot did not handle update ${updateId} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.set(updateId, () => {
          clearTimeout(timer);
          waiters.delete(updateId);
          resolve();
        });
      });
    },
    async memory(options = {}) {
      const answer = next('memory', 30_000);
      send({ type: 'memory', gc: options.gc });
      return answer;
    },
    async countPerUpdate(on) {
      const answer = next('counting', 30_000);
      send({ type: 'count-per-update', on });
      await answer;
    },
    async profile(file) {
      const answer = next('profiled', 60_000);
      send({ type: 'profile', ...(file !== undefined ? { file } : {}) });
      await answer;
    },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.connected) {
          send({ type: 'stop' });
          const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
          await exited;
          clearTimeout(timer);
        }
      })();
      return stopping;
    },
    async remove() {
      await handle.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}
