/**
 * The mentoring-days export at programme scale: N MentoringLog rows in a SQLite
 * file, written to XLSX with writeXlsx fed page by page by paginate. Time, file
 * size, and how far resident memory rises above where it stood before. The rows
 * are inserted first; the export then runs in a fresh process (bench/support/export-main.ts),
 * so that memory left over from inserting them does not hide what the export needs.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readDatabaseUrl } from '../src/config.js';
import { type Database, openDatabase } from '../src/db/database.js';
import { MENTORING_ACTIVITIES } from '../src/db/mentoring-logs.js';
import { type ExportColumn, paginate, writeXlsx, type XlsxResult } from '../src/exports/workbook.js';
import { int, mib, ms, progress, type Table } from './support/report.js';

export interface ExportOptions {
  rows: number;
}

/** What the export process reports back. */
export interface ExportFigures {
  rows: number;
  seconds: number;
  size: number;
  baseline: number;
  peak: number;
  samples: number;
  maxGapMs: number;
}

const PAIRS = 1_000;
const INSERT_CHUNK = 2_000;

interface LogRow {
  id: number;
  pairId: number;
  mentorPersonId: number;
  date: string;
  amount: number;
  activity: string;
  createdAt: Date;
}

async function seed(db: Database, rows: number): Promise<void> {
  await db.person.createMany({
    data: Array.from({ length: PAIRS }, (_, k) => ({ telegramId: BigInt(7_000_000 + k), firstName: 'Mentor', lastName: `Number ${k + 1}`, language: 'en' })),
  });
  const people = await db.person.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
  await db.team.createMany({
    data: Array.from({ length: PAIRS }, (_, k) => ({ programmeId: 1, name: `Hromada ${k + 1}`, country: 'Ukraine', createdById: people[0]!.id })),
  });
  const teams = await db.team.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
  const publishedAt = new Date('2026-01-15T10:00:00Z');
  await db.pair.createMany({
    data: people.map((person, k) => ({ programmeId: 1, mentorId: person.id, teamId: teams[k]!.id, createdById: people[0]!.id, publishedAt })),
  });
  const pairs = await db.pair.findMany({ select: { id: true, mentorId: true }, orderBy: { id: 'asc' } });
  const day = 86_400_000;
  for (let start = 0; start < rows; start += INSERT_CHUNK) {
    const count = Math.min(INSERT_CHUNK, rows - start);
    await db.mentoringLog.createMany({
      data: Array.from({ length: count }, (_, j) => {
        const n = start + j;
        const pair = pairs[n % pairs.length]!;
        const at = new Date(publishedAt.getTime() + (n % 365) * day + (n % 9) * 3_600_000);
        return {
          pairId: pair.id,
          mentorPersonId: pair.mentorId,
          date: at.toISOString().slice(0, 10),
          amount: n % 3 === 0 ? 0.5 : 1,
          activity: MENTORING_ACTIVITIES[n % MENTORING_ACTIVITIES.length]!,
          note: n % 4 === 0 ? 'Private note of the pair, never exported' : null,
          createdAt: at,
        };
      }),
    });
  }
}

/** The export itself: names looked up once, logs read page by page, streamed to the file. */
export async function exportMentoringDays(db: Database, output: string): Promise<XlsxResult> {
  const names = new Map((await db.person.findMany({ select: { id: true, firstName: true, lastName: true } })).map((p) => [p.id, `${p.firstName} ${p.lastName ?? ''}`.trim()]));
  const teamNames = new Map((await db.team.findMany({ select: { id: true, name: true } })).map((t) => [t.id, t.name]));
  const teamOfPair = new Map((await db.pair.findMany({ select: { id: true, teamId: true } })).map((p) => [p.id, teamNames.get(p.teamId) ?? '']));
  const columns: ExportColumn<LogRow>[] = [
    { header: 'Date', kind: 'date', value: (r) => r.date },
    { header: 'Mentor', value: (r) => names.get(r.mentorPersonId) },
    { header: 'Team', value: (r) => teamOfPair.get(r.pairId) },
    { header: 'Pair', kind: 'number', value: (r) => r.pairId },
    { header: 'Days', kind: 'number', value: (r) => r.amount },
    { header: 'Activity', value: (r) => r.activity },
    { header: 'Logged at', kind: 'datetime', value: (r) => r.createdAt },
  ];
  const rows = paginate<LogRow>(
    (cursor, take) =>
      db.mentoringLog.findMany({
        where: cursor === undefined ? undefined : { id: { gt: cursor } },
        orderBy: { id: 'asc' },
        take,
        select: { id: true, pairId: true, mentorPersonId: true, date: true, amount: true, activity: true, createdAt: true },
      }),
    (r) => r.id,
  );
  return writeXlsx([{ name: 'Mentoring days', columns, rows }], { timeZone: 'Europe/Kyiv', output });
}

export async function exportBenchmark(options: ExportOptions): Promise<Table[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'citymentor-bench-export-'));
  const databaseUrl = `file:${path.join(dir, 'citymentor.db')}`;
  try {
    progress(`inserting ${int(options.rows)} mentoring days`);
    const db = await openDatabase(readDatabaseUrl({ DATABASE_URL: databaseUrl }), { migrate: true });
    const insertStarted = performance.now();
    await seed(db, options.rows);
    const insertSeconds = (performance.now() - insertStarted) / 1000;
    await db.$disconnect();

    progress('exporting (in a fresh process)');
    const child = fork(path.join(import.meta.dirname, 'support/export-main.ts'), [], {
      execArgv: ['--expose-gc', '--import', import.meta.resolve('tsx')],
      env: { ...process.env, BENCH_DATABASE_URL: databaseUrl, BENCH_OUTPUT: path.join(dir, 'mentoring-days.xlsx') },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const figures = await new Promise<ExportFigures>((resolve, reject) => {
      child.once('message', (m) => resolve(m as ExportFigures));
      child.once('exit', (code) => reject(new Error(`the export process exited (${code}) without figures`)));
    });
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));

    return [
      {
        title: `Export: ${int(options.rows)} logged days to XLSX (writeXlsx + paginate, SQLite)`,
        columns: ['', 'value'],
        rows: [
          ['rows written', int(figures.rows)],
          ['export time, s', ms(figures.seconds, 2)],
          ['rows per second', int(figures.rows / figures.seconds)],
          ['file size, MiB', mib(figures.size)],
          ['peak RSS above baseline, MiB', mib(figures.peak - figures.baseline)],
          ['baseline RSS (fresh process, database open), MiB', mib(figures.baseline)],
          ['RSS samples (every 50 ms) / largest gap, ms', `${figures.samples} / ${ms(figures.maxGapMs, 0)}`],
          [`inserting the rows first (createMany, chunks of ${int(INSERT_CHUNK)}), s`, ms(insertSeconds, 2)],
        ],
        notes: [
          `${int(PAIRS)} pairs; columns: date, mentor, team, pair, days, activity, logged at (never the pair's private note); pages of 1,000 rows by id`,
          'the export runs in a process of its own; RSS is sampled by a worker thread there, so sampling goes on while the export keeps the main thread busy; the baseline is taken after a garbage collection, just before the export starts',
        ],
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
