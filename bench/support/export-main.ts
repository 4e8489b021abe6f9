/** The export of bench/export.ts in a fresh process: measures it and sends the figures to the parent. */
import { statSync } from 'node:fs';
import { readDatabaseUrl } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { type ExportFigures, exportMentoringDays } from '../export.js';
import { collectGarbage, sleep } from './report.js';
import { startRssSampler } from './rss-sampler.js';

const output = process.env.BENCH_OUTPUT!;
const db = await openDatabase(readDatabaseUrl({ DATABASE_URL: process.env.BENCH_DATABASE_URL }));
await db.person.count();
const sampler = await startRssSampler(50);
collectGarbage();
await sleep(200);
collectGarbage();
const baseline = process.memoryUsage.rss();
const started = performance.now();
const result = await exportMentoringDays(db, output);
const seconds = (performance.now() - started) / 1000;
const memory = await sampler.stop();
await db.$disconnect();
const figures: ExportFigures = {
  rows: result.rows[0] ?? 0,
  seconds,
  size: statSync(output).size,
  baseline,
  peak: memory.peak,
  samples: memory.samples,
  maxGapMs: memory.maxGapMs,
};
process.send!(figures, () => process.exit(0));
