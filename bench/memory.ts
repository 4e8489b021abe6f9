/**
 * Resident memory of the real bot (its own process, SQLite): idle right after
 * start, then during and after a steady stream of people filling in the mentor
 * application for N minutes, with the heap after garbage collection sampled along
 * the way so that a leak shows as a slope.
 */
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { FakeBotApi } from '../test/support/fake-bot-api.js';
import { type MemoryFigures, startBotProcess } from './support/bot-process.js';
import { applicationSteps, COORDINATOR_ID, createDriver, openCallSteps, Person, replyLatencies } from './support/people.js';
import { int, mib, ms, percentile, progress, sleep, type Table } from './support/report.js';

export interface MemoryOptions {
  minutes: number;
  /** People filling in the form at any moment. */
  concurrency: number;
}

/** Pause between a person's answers: a steady stream, not a flood. */
const THINK_MS = 300;

export async function memoryBenchmark(options: MemoryOptions): Promise<Table[]> {
  const api = await new FakeBotApi().start();
  const bot = await startBotProcess('citymentor', api, { ADMIN_IDS: String(COORDINATOR_ID) });
  try {
    await sleep(5_000);
    const idle = await bot.memory();
    const idleGc = await bot.memory({ gc: true });
    progress(`idle: RSS ${mib(idle.rss)} MiB; now ${options.minutes} min of load with ${options.concurrency} people at once`);

    const driver = createDriver(api, (id) => bot.handled(id));
    await new Person(driver, COORDINATOR_ID, 'Iryna').run(openCallSteps());

    const durationMs = options.minutes * 60_000;
    const started = performance.now();
    const endsAt = started + durationMs;
    const sentBefore = driver.sent.length;
    let nextId = 200_000;
    let completed = 0;
    let interrupted = 0;
    const failures: string[] = [];

    async function stream(): Promise<void> {
      while (performance.now() < endsAt) {
        const id = nextId++;
        const person = new Person(driver, id);
        let finished = true;
        try {
          for (const step of applicationSteps(`Mentor ${id}`)) {
            if (performance.now() >= endsAt) {
              finished = false;
              break;
            }
            await person.act(step);
            await sleep(THINK_MS);
          }
        } catch (error) {
          finished = false;
          failures.push(String(error));
        }
        if (finished) completed++;
        else interrupted++;
      }
    }

    const samples: Array<{ at: number; figures: MemoryFigures }> = [];
    const collected: Array<{ at: number; figures: MemoryFigures }> = [];
    const gcEveryMs = Math.max(15_000, durationMs / 10);
    let sampling = true;
    const sampler = (async () => {
      let nextGc = started + gcEveryMs;
      while (sampling) {
        await sleep(5_000);
        if (!sampling) break;
        const now = performance.now();
        if (now >= nextGc) {
          nextGc += gcEveryMs;
          collected.push({ at: now - started, figures: await bot.memory({ gc: true }) });
          const last = collected.at(-1)!.figures;
          progress(`${((now - started) / 60_000).toFixed(1)} min: heap after GC ${mib(last.heapUsed)} MiB, RSS ${mib(last.rss)} MiB, ${completed} applications`);
        } else {
          samples.push({ at: now - started, figures: await bot.memory() });
        }
      }
    })();

    await Promise.all(Array.from({ length: options.concurrency }, () => stream()));
    const loadSeconds = (performance.now() - started) / 1000;
    sampling = false;
    await sampler;
    const atEnd = await bot.memory();
    const atEndGc = await bot.memory({ gc: true });
    await sleep(10_000);
    const settled = await bot.memory();

    const measured = driver.sent.slice(sentBefore);
    const { latencies } = replyLatencies(api, measured);
    const handled = measured.filter((s) => s.handledAt !== undefined).length;
    const peak = Math.max(atEnd.rss, ...samples.map((s) => s.figures.rss), ...collected.map((s) => s.figures.rss));
    const afterOneMinute = samples.find((s) => s.at >= 60_000)?.figures.rss;

    // Heap after GC: slope from the first sample (past warm-up) to the end.
    const firstGc = collected[0];
    const slope = firstGc && loadSeconds * 1000 - firstGc.at > 30_000 ? (atEndGc.heapUsed - firstGc.figures.heapUsed) / ((loadSeconds * 1000 - firstGc.at) / 60_000) : Number.NaN;

    await bot.stop();
    const db = await openDatabase(loadConfig({ BOT_TOKEN: api.token, DATABASE_URL: bot.databaseUrl }).database);
    const submitted = await db.formResponse.count({ where: { formId: 'application', status: 'submitted' } });
    await db.$disconnect();
    if (failures.length > 0) progress(`${failures.length} people stopped on an error, e.g. ${failures[0]}`);

    return [
      {
        title: `Memory: the real bot idle, then ${options.minutes} min of people filling in the application (${options.concurrency} at once)`,
        columns: ['', 'RSS, MiB', 'heap used, MiB', 'external + buffers, MiB'],
        rows: [
          ['idle, 5 s after start', mib(idle.rss), mib(idle.heapUsed), mib(idle.external + idle.arrayBuffers)],
          ['idle, after a forced GC', mib(idleGc.rss), mib(idleGc.heapUsed), mib(idleGc.external + idleGc.arrayBuffers)],
          ...(afterOneMinute === undefined ? [] : [['after 1 min of load', mib(afterOneMinute), '', '']]),
          ['peak during load (sampled every 5 s)', mib(peak), '', ''],
          [`at the end of ${options.minutes} min of load`, mib(atEnd.rss), mib(atEnd.heapUsed), mib(atEnd.external + atEnd.arrayBuffers)],
          ['at the end, after a forced GC', mib(atEndGc.rss), mib(atEndGc.heapUsed), mib(atEndGc.external + atEndGc.arrayBuffers)],
          ['10 s after the load stopped', mib(settled.rss), mib(settled.heapUsed), mib(settled.external + settled.arrayBuffers)],
          ['heap after GC, growth per minute of load', '', Number.isFinite(slope) ? mib(slope) : '—', ''],
          // Warm-up (first lazy loads, JIT, SQLite's page cache) is over after a minute; growth after that is what a leak looks like.
          ...(afterOneMinute === undefined ? [] : [['RSS growth from 1 min of load to the end, %', percent(atEnd.rss / afterOneMinute - 1), '', '']]),
          ['RSS growth from idle to 10 s after the load, %', percent(settled.rss / idle.rss - 1), '', ''],
        ],
        notes: [
          `load: ${int(handled)} updates in ${loadSeconds.toFixed(0)} s (${(handled / loadSeconds).toFixed(1)}/s), ${completed} applications completed (${submitted} submitted in the database), ${interrupted} cut off by the end of the run, ${failures.length} stopped on an error`,
          `update → first reply during load: p50 ${ms(percentile(latencies, 50))} ms, p99 ${ms(percentile(latencies, 99))} ms`,
          `each person answers the whole application (30 updates) with ${THINK_MS} ms between answers, then a new person takes their place; every person is new to the bot`,
          'the bot runs in its own process (loadConfig + startApp, SQLite, LOG_LEVEL=debug); figures are its process.memoryUsage(), asked over IPC; heap after GC sampled ' +
            `every ${(gcEveryMs / 1000).toFixed(0)} s: ${collected.map((c) => `${(c.at / 60_000).toFixed(1)} min ${mib(c.figures.heapUsed)}`).join(', ') || 'none'}`,
        ],
      },
    ];
  } finally {
    await bot.remove();
    await api.close();
  }
}

function percent(fraction: number): string {
  return `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(1)}`;
}
