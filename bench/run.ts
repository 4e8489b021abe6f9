/**
 * npm run bench [-- NAME...] [--quick] [--people N] [--count N] [--rows N] [--minutes N] [--concurrency N]
 *
 * Runs the benchmarks (all, or those named) one after another, each in a fresh
 * Node process so that one's heap and event loop do not colour the next, and
 * prints a table of figures per benchmark. See bench/README.md.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { machine, printTable, type Table } from './support/report.js';

const BENCHMARKS = ['startup', 'form', 'fanout', 'matching', 'export', 'console', 'memory'] as const;
type Name = (typeof BENCHMARKS)[number];

const ALIASES: Record<string, Name> = {
  startup: 'startup',
  'start-up': 'startup',
  start: 'startup',
  form: 'form',
  'form-throughput': 'form',
  throughput: 'form',
  fanout: 'fanout',
  'fan-out': 'fanout',
  reminders: 'fanout',
  'reminder-fanout': 'fanout',
  matching: 'matching',
  export: 'export',
  xlsx: 'export',
  memory: 'memory',
  console: 'console',
  'coordinator-console': 'console',
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    people: { type: 'string' },
    count: { type: 'string' },
    rows: { type: 'string' },
    minutes: { type: 'string' },
    concurrency: { type: 'string' },
    worker: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!(n > 0) || !Number.isFinite(n)) {
    console.error(`--${name} must be a positive number, got ${raw}`);
    process.exit(2);
  }
  return n;
}

const quick = values.quick ?? false;
const settings = {
  people: Math.round(positive('people', values.people, quick ? 10 : 50)),
  count: Math.round(positive('count', values.count, quick ? 1_000 : 10_000)),
  rows: Math.round(positive('rows', values.rows, quick ? 10_000 : 100_000)),
  minutes: positive('minutes', values.minutes, quick ? 1 : 10),
  concurrency: Math.round(positive('concurrency', values.concurrency, 10)),
};

async function runOne(name: Name): Promise<Table[]> {
  switch (name) {
    case 'startup':
      return (await import('./startup.js')).startupBenchmark({ runs: quick ? 3 : 5 });
    case 'form':
      return (await import('./form-throughput.js')).formThroughput({ people: settings.people });
    case 'fanout':
      return (await import('./reminder-fanout.js')).reminderFanout({ count: settings.count });
    case 'matching':
      return (await import('./matching.js')).matchingBenchmark({ quick });
    case 'export':
      return (await import('./export.js')).exportBenchmark({ rows: settings.rows });
    case 'console':
      return (await import('./console.js')).consoleBenchmark({ quick });
    case 'memory':
      return (await import('./memory.js')).memoryBenchmark({ minutes: settings.minutes, concurrency: settings.concurrency });
  }
}

if (values.help) {
  console.log(`usage: npm run bench [-- ${BENCHMARKS.join('|')} ...] [--quick] [--people N] [--count N] [--rows N] [--minutes N] [--concurrency N]`);
  process.exit(0);
}

if (values.worker) {
  // One benchmark in this process (started by the loop below).
  const tables = await runOne(values.worker as Name);
  for (const table of tables) printTable(table);
  process.exit(0);
}

const selected: Name[] = [];
for (const word of positionals) {
  const name = ALIASES[word.toLowerCase()];
  if (!name) {
    console.error(`Unknown benchmark "${word}". Known: ${BENCHMARKS.join(', ')}`);
    process.exit(2);
  }
  if (!selected.includes(name)) selected.push(name);
}
if (selected.length === 0) selected.push(...BENCHMARKS);

console.log(`# CityMentor benchmarks${quick ? ' (quick)' : ''} — ${new Date().toISOString()}`);
console.log(machine());
console.log(
  `settings: people ${settings.people}, reminders ${settings.count}, export rows ${settings.rows}, memory ${settings.minutes} min with ${settings.concurrency} people at once`,
);

const forwarded = process.argv.slice(2).filter((arg) => !positionals.includes(arg));
const summary: Array<[string, string, string]> = [];
let failed = false;
for (const name of selected) {
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', import.meta.resolve('tsx'), import.meta.filename, '--worker', name, ...forwarded],
      { stdio: 'inherit' },
    );
    child.once('exit', (exitCode, signal) => resolve(signal ? 128 : exitCode));
  });
  const seconds = (performance.now() - started) / 1000;
  summary.push([name, code === 0 ? 'ok' : `failed (exit ${code})`, seconds.toFixed(1)]);
  if (code !== 0) failed = true;
}
printTable({ title: 'Run', columns: ['benchmark', 'result', 'seconds'], rows: summary });
process.exit(failed ? 1 : 0);
