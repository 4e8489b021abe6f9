import os from 'node:os';

/** What a benchmark prints: one table of figures, with notes under it. */
export interface Table {
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  notes?: string[];
}

export function machine(): string {
  const cpus = os.cpus();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  return [
    `machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
    `node ${process.version}, ${os.platform()} ${os.release()}`,
    `load average at start (1/5/15 min): ${load}`,
  ].join('\n');
}

export function printTable(table: Table): void {
  const cells = [table.columns, ...table.rows.map((row) => row.map(String))];
  const widths = table.columns.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length)));
  // Figures right-aligned, the first column (what is measured) left-aligned.
  const line = (row: string[]) =>
    '| ' + row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ') + ' |';
  const out = [`\n## ${table.title}\n`, line(table.columns), '|' + widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':') + '|').join('')];
  for (const row of cells.slice(1)) out.push(line(row));
  if (table.notes?.length) out.push('');
  for (const note of table.notes ?? []) out.push(`- ${note}`);
  console.log(out.join('\n'));
}

/** Nearest-rank percentile of unsorted values; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function ms(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '—';
}

export function mib(bytes: number): string {
  return Number.isFinite(bytes) ? (bytes / 2 ** 20).toFixed(1) : '—';
}

export function int(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—';
}

/** "3.2×": how many times `a` is of `b`. */
export function ratio(a: number, b: number): string {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '—';
}

export const sleep = (msToWait: number) => new Promise<void>((resolve) => setTimeout(resolve, msToWait));

/** Progress for a person watching a long run; on stderr so the tables stay clean. */
export function progress(text: string): void {
  process.stderr.write(`  … ${text}\n`);
}

/** The garbage collector, when the process runs with --expose-gc (bench/run.ts starts workers so). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
