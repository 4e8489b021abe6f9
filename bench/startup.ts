/**
 * `npm start` as an operator runs it: how long until the bot takes updates, what
 * its own process holds in memory after start and after a /start, and what npm
 * prints besides the bot's own lines. The first start migrates a new SQLite file;
 * the others find nothing to migrate (the usual case).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, buildIsStale, projectRoot } from '../scripts/build.mjs';
import { FakeBotApi } from '../test/support/fake-bot-api.js';
import { commandLine, processTree } from '../test/support/processes.js';
import { mib, ms, percentile, progress, sleep, type Table } from './support/report.js';

export interface StartupOptions {
  /** Starts with nothing to migrate. */
  runs: number;
}

interface StartFigures {
  /** From spawning `npm start` to the bot's first getUpdates. */
  toPollingMs: number;
  /** The bot's own process (node running scripts/start.mjs), after start and after answering /start. */
  rssAfterStart: number;
  rssAfterStartCommand: number;
  /** Every process of the tree: npm, the shell, the bot. */
  treeRss: number;
  npmWarnings: string[];
}

const CHAT_ID = 4_242;

/** Resident set size of one process, from /proc (bytes). */
function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line ? Number(line.replace(/\D/g, '')) * 1024 : 0;
}

async function startOnce(api: FakeBotApi, databaseUrl: string, updateId: number): Promise<StartFigures> {
  const pollsBefore = api.callsOf('getUpdates').length;
  const started = performance.now();
  const npm = spawn('npm', ['start'], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      DATABASE_URL: databaseUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  npm.stdout.on('data', (d) => (output += String(d)));
  npm.stderr.on('data', (d) => (output += String(d)));
  const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
  try {
    await api.waitFor(() => api.callsOf('getUpdates').length > pollsBefore, 60_000);
    const toPollingMs = api.callsOf('getUpdates')[pollsBefore]!.at - started;
    const bot = processTree(npm.pid!).find((pid) => commandLine(pid).join(' ').includes('scripts/start.mjs') && commandLine(pid)[0]?.endsWith('node'));
    if (!bot) throw new Error('the bot process was not found under npm start');
    await sleep(2_000);
    const rssAfterStart = rssOf(bot);

    const sentBefore = api.callsOf('sendMessage').length;
    api.pushUpdate({
      update_id: updateId,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: CHAT_ID, type: 'private', first_name: 'Olena' },
        from: { id: CHAT_ID, is_bot: false, first_name: 'Olena', language_code: 'uk' },
        text: '/start',
        entities: [{ type: 'bot_command', offset: 0, length: 6 }],
      },
    });
    await api.waitFor(() => api.callsOf('sendMessage').slice(sentBefore).some((c) => c.payload.chat_id === CHAT_ID), 30_000);
    await sleep(3_000);
    const rssAfterStartCommand = rssOf(bot);
    const treeRss = processTree(npm.pid!).reduce((sum, pid) => sum + rssOf(pid), 0);
    process.kill(bot, 'SIGTERM');
    await exited;
    const npmWarnings = output.split('\n').filter((line) => /^npm (warn|WARN|error|ERR)/.test(line));
    return { toPollingMs, rssAfterStart, rssAfterStartCommand, treeRss, npmWarnings };
  } finally {
    if (npm.exitCode === null) {
      for (const pid of processTree(npm.pid!).reverse()) process.kill(pid, 'SIGKILL');
      await exited;
    }
  }
}

export async function startupBenchmark(options: StartupOptions): Promise<Table[]> {
  // Compiling is part of the first `npm start` after a change, not of every start.
  if (buildIsStale()) build();
  const api = await new FakeBotApi().start();
  const dir = mkdtempSync(path.join(tmpdir(), 'citymentor-bench-startup-'));
  const databaseUrl = `file:${path.join(dir, 'citymentor.db')}`;
  try {
    progress('first start: a new SQLite file, every migration to apply');
    const first = await startOnce(api, databaseUrl, 1);
    const runs: StartFigures[] = [];
    for (let k = 0; k < options.runs; k++) {
      progress(`start ${k + 1} of ${options.runs}: nothing to migrate`);
      runs.push(await startOnce(api, databaseUrl, 100 + k));
    }
    const times = runs.map((r) => r.toPollingMs);
    const median = (values: number[]) => percentile(values, 50);
    const warnings = [...new Set([first, ...runs].flatMap((r) => r.npmWarnings))];
    return [
      {
        title: 'Start-up and memory: `npm start` on SQLite',
        columns: ['', 'value'],
        rows: [
          ['first start (migrating a new file) → receiving updates, s', (first.toPollingMs / 1000).toFixed(2)],
          [`start with nothing to migrate → receiving updates, s (median of ${options.runs})`, (median(times) / 1000).toFixed(2)],
          ['  fastest / slowest, s', `${(Math.min(...times) / 1000).toFixed(2)} / ${(Math.max(...times) / 1000).toFixed(2)}`],
          ['bot process RSS after start, MiB (median)', mib(median(runs.map((r) => r.rssAfterStart)))],
          ['bot process RSS after start and a /start, MiB (median)', mib(median(runs.map((r) => r.rssAfterStartCommand)))],
          ['  the same after the first start (migrated in a child process), MiB', mib(first.rssAfterStartCommand)],
          ['whole process tree (npm, sh, bot) after a /start, MiB (median)', mib(median(runs.map((r) => r.treeRss)))],
          ['npm warnings printed', String(warnings.length)],
        ],
        notes: [
          '`npm start` with BOT_TOKEN, TELEGRAM_API_ROOT (the fake server on loopback) and DATABASE_URL only; default settings otherwise (LOG_LEVEL info, no REDIS_URL)',
          'receiving updates: from spawning npm to the bot\'s first getUpdates, as the fake server saw it; dist/ is compiled before the first run',
          'RSS read from /proc/<pid>/status 2 s after the first getUpdates, and 3 s after the reply to /start',
          ...warnings.map((w) => `npm printed: ${w}`),
          `fastest start took ${ms(Math.min(...times), 0)} ms`,
        ],
      },
    ];
  } finally {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
