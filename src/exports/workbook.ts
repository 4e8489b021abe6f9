/**
 * Streaming exports of programme data (applications, teams, pairs, sessions, …)
 * to XLSX and CSV. Rows are pulled one at a time from an (async) iterable and
 * flushed to disk as they are written, so a 100,000-row programme never sits in
 * memory as a whole; use `paginate` to feed rows from the database page by page.
 */
import { EventEmitter, once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type ExcelJS from 'exceljs';
import { DateTime } from 'luxon';

export type ExportValue = string | number | boolean | Date | null | undefined;

export interface ExportColumn<Row> {
  /** Column title as coordinators read it. */
  header: string;
  value: (row: Row) => ExportValue;
  /** Width in Excel character units; a default is derived from the kind and header. */
  width?: number;
  /**
   * 'date' shows only the local day; 'datetime' (the default for Date values)
   * shows local day and time. A 'date' column also accepts calendar-date strings
   * "YYYY-MM-DD", which are not shifted between zones.
   */
  kind?: 'text' | 'number' | 'date' | 'datetime';
}

export interface ExportSheet<Row> {
  name: string;
  columns: ExportColumn<Row>[];
  rows: AsyncIterable<Row> | Iterable<Row>;
}

export interface ExportOptions {
  /** IANA zone of the programme, e.g. 'Europe/Kyiv'. */
  timeZone: string;
  /** File path to write. It is removed again if the export fails half-way. */
  output: string;
}

export interface CsvExportOptions extends ExportOptions {
  /** ',' by default; ';' suits Excel in locales whose decimal separator is a comma. */
  delimiter?: ',' | ';';
}

export interface XlsxResult {
  /** Data rows written (header excluded), in sheet order. */
  rows: number[];
  /** Final sheet names after sanitizing and de-duplication, in sheet order. */
  sheetNames: string[];
}

export interface CsvResult {
  rows: number;
}

export const XLSX_DATE_FORMAT = 'dd.mm.yyyy';
export const XLSX_DATETIME_FORMAT = 'dd.mm.yyyy hh:mm';
const CSV_DATE_FORMAT = 'yyyy-MM-dd';
const CSV_DATETIME_FORMAT = 'yyyy-MM-dd HH:mm';

const MAX_SHEET_NAME = 31;
const FORBIDDEN_SHEET_CHARS = /[[\]:*?/\\]/g;
// Control characters are not forbidden by the spec but break Excel's UI.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A spreadsheet evaluates cells starting with these as formulas (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Rows written between yields to the event loop when no backpressure signal is available. */
const YIELD_EVERY = 500;

// ---------------------------------------------------------------------------
// Values

function assertZone(timeZone: string): void {
  if (!DateTime.now().setZone(timeZone).isValid) throw new RangeError(`Unknown time zone: ${timeZone}`);
}

export function looksLikeFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/**
 * Excel dates carry no zone: the serial number is read as wall-clock time. exceljs
 * turns a JS Date into a serial from its UTC fields, so we build a Date whose UTC
 * fields equal the programme's local wall-clock time.
 */
function toExcelWallClock(instant: Date, timeZone: string, dateOnly: boolean): Date {
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  return new Date(
    Date.UTC(
      local.year,
      local.month - 1,
      local.day,
      dateOnly ? 0 : local.hour,
      dateOnly ? 0 : local.minute,
      dateOnly ? 0 : local.second,
      dateOnly ? 0 : local.millisecond,
    ),
  );
}

/** "2026-03-01" → midnight of that calendar day as an Excel wall-clock Date; undefined if not a valid date. */
function calendarDate(text: string): Date | undefined {
  const m = CALENDAR_DATE.exec(text);
  if (!m) return undefined;
  const dt = DateTime.fromObject({ year: +m[1]!, month: +m[2]!, day: +m[3]! }, { zone: 'UTC' });
  return dt.isValid ? dt.toJSDate() : undefined;
}

type XlsxCell = { value: string | number | boolean | Date | null; numFmt?: string };

function xlsxCell(value: ExportValue, kind: ExportColumn<unknown>['kind'], timeZone: string): XlsxCell {
  if (value === null || value === undefined) return { value: null };
  if (value instanceof Date) {
    if (!isValidDate(value)) return { value: null };
    const dateOnly = kind === 'date';
    return {
      value: toExcelWallClock(value, timeZone, dateOnly),
      numFmt: dateOnly ? XLSX_DATE_FORMAT : XLSX_DATETIME_FORMAT,
    };
  }
  if (typeof value === 'string') {
    if (kind === 'date') {
      const day = calendarDate(value);
      if (day) return { value: day, numFmt: XLSX_DATE_FORMAT };
    }
    // exceljs writes plain strings as values, never as <f> formulas; the '@' (Text)
    // format additionally keeps "=…" or "+380…" text when a user edits the cell.
    return { value, numFmt: '@' };
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return { value: null };
  return { value };
}

function csvCell(value: ExportValue, kind: ExportColumn<unknown>['kind'], timeZone: string): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    if (!isValidDate(value)) return '';
    return DateTime.fromJSDate(value, { zone: timeZone }).toFormat(kind === 'date' ? CSV_DATE_FORMAT : CSV_DATETIME_FORMAT);
  }
  if (typeof value === 'string') {
    // The leading quote makes Excel/LibreOffice treat the field as text, not a formula.
    return looksLikeFormula(value) ? `'${value}` : value;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return value ? 'true' : 'false';
}

function defaultWidth(column: ExportColumn<unknown>): number {
  if (column.kind === 'datetime') return Math.max(17, column.header.length + 2);
  if (column.kind === 'date') return Math.max(12, column.header.length + 2);
  return Math.min(60, Math.max(10, column.header.length + 2));
}

// ---------------------------------------------------------------------------
// Sheet names

/**
 * Excel rejects sheet names longer than 31 characters, containing []:*?/\,
 * starting or ending with an apostrophe, empty, or equal to the reserved "History";
 * names must also be unique ignoring case. `taken` holds lower-cased names in use.
 */
export function sanitizeSheetName(name: string, taken: Set<string> = new Set()): string {
  let base = name.replace(CONTROL_CHARS, '').replace(FORBIDDEN_SHEET_CHARS, '_').trim();
  base = base.replace(/^'+|'+$/g, '').trim();
  if (base === '') base = 'Sheet';
  if (base.toLowerCase() === 'history') base = 'History_';
  const fit = (text: string, max: number): string => {
    // Cut by code points so a surrogate pair (emoji) is never split in half.
    let out = '';
    for (const ch of text) {
      if (out.length + ch.length > max) break;
      out += ch;
    }
    return out.replace(/'+$/, '').trimEnd();
  };
  let candidate = fit(base, MAX_SHEET_NAME);
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    candidate = fit(base, MAX_SHEET_NAME - suffix.length) + suffix;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}

// ---------------------------------------------------------------------------
// Streaming plumbing

/** Resolves never; rejects with the first error any of the watched streams emits. */
class FailureWatch {
  readonly promise: Promise<never>;
  private rejectFn!: (error: unknown) => void;
  error: unknown;

  constructor() {
    this.promise = new Promise<never>((_, reject) => {
      this.rejectFn = reject;
    });
    // Only observed through race(); avoid an unhandled rejection when nobody is waiting.
    this.promise.catch(() => undefined);
  }

  watch(emitter: { on(event: 'error', listener: (error: unknown) => void): unknown } | undefined): void {
    emitter?.on('error', (error: unknown) => this.fail(error));
  }

  fail(error: unknown): void {
    if (this.error === undefined) this.error = error ?? new Error('Export stream failed');
    this.rejectFn(this.error);
  }

  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.promise]);
  }
}

async function openOutput(path: string): Promise<WriteStream> {
  const file = createWriteStream(path);
  // Fail fast (missing directory, permissions) before any rows are read.
  await once(file, 'ready');
  return file;
}

async function removePartial(path: string, file: WriteStream | undefined): Promise<void> {
  file?.destroy();
  await unlink(path).catch(() => undefined);
}

/**
 * exceljs' worksheet buffer pipes into archiver without honouring backpressure, so a
 * fast row source (or one whose awaits are only microtasks) would pile the whole
 * sheet up in memory before anything reaches the file. Its first pipe target is
 * archiver's PassThrough for the sheet entry (readable-stream 2, so not a core
 * Writable): waiting for its 'drain' lets compression and the file catch up and
 * keeps memory flat. This relies on exceljs 4 / archiver 5 internals, hence the
 * duck typing and the fallback of simply yielding to the event loop now and then.
 */
interface PipeState {
  needDrain?: boolean;
  ended?: boolean;
  destroyed?: boolean;
}

function sheetPipe(worksheet: ExcelJS.Worksheet): (EventEmitter & { _writableState: PipeState }) | undefined {
  const pipes = (worksheet as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes;
  const first = Array.isArray(pipes) ? pipes[0] : undefined;
  if (!(first instanceof EventEmitter)) return undefined;
  const state = (first as { _writableState?: unknown })._writableState;
  return typeof state === 'object' && state !== null ? (first as EventEmitter & { _writableState: PipeState }) : undefined;
}

async function relieve(worksheet: ExcelJS.Worksheet, rowsWritten: number, failure: FailureWatch): Promise<void> {
  const pipe = sheetPipe(worksheet);
  if (pipe) {
    const state = pipe._writableState;
    if (state.needDrain && !state.ended && !state.destroyed) await failure.race(once(pipe, 'drain'));
  } else if (rowsWritten % YIELD_EVERY === 0) {
    await failure.race(new Promise<void>((resolve) => setImmediate(resolve)));
  }
}

// ---------------------------------------------------------------------------
// XLSX

/**
 * Write each sheet to one XLSX file, streaming rows straight to disk.
 * The header row is bold and frozen; dates are shown as the programme's local
 * wall-clock time with a dd.mm.yyyy[ hh:mm] format. Text is stored as text,
 * never as a formula.
 */
// `any`: sheets of different row types share one call, each typed by its own columns.
export async function writeXlsx(sheets: ExportSheet<any>[], options: ExportOptions): Promise<XlsxResult> {
  assertZone(options.timeZone);
  const failure = new FailureWatch();
  let file: WriteStream | undefined;
  try {
    file = await openOutput(options.output);
    failure.watch(file);
    // Loaded on the first export, not at start: most runs of the bot never write one.
    const { default: Excel } = await import('exceljs');
    const workbook = new Excel.stream.xlsx.WorkbookWriter({
      stream: file,
      useSharedStrings: false, // shared strings are kept in memory until the end
      useStyles: true,
    });
    failure.watch((workbook as unknown as { zip?: Writable }).zip);

    const taken = new Set<string>();
    const result: XlsxResult = { rows: [], sheetNames: [] };
    for (const sheet of sheets) {
      const name = sanitizeSheetName(sheet.name, taken);
      const count = await writeSheet(workbook, name, sheet, options.timeZone, failure);
      result.sheetNames.push(name);
      result.rows.push(count);
    }
    await failure.race(workbook.commit());
    return result;
  } catch (error) {
    await removePartial(options.output, file);
    throw error;
  }
}

async function writeSheet<Row>(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  sheet: ExportSheet<Row>,
  timeZone: string,
  failure: FailureWatch,
): Promise<number> {
  const worksheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2' }],
  });
  const columns = sheet.columns as ExportColumn<unknown>[];
  // Columns must be set before the first row is committed: that is when <cols> is written.
  worksheet.columns = columns.map((c) => ({ width: c.width ?? defaultWidth(c) }));

  const header = worksheet.addRow(columns.map((c) => c.header));
  header.eachCell((cell) => {
    cell.font = { bold: true };
  });
  header.commit();

  let count = 0;
  for await (const row of sheet.rows) {
    if (failure.error !== undefined) throw failure.error;
    const cells = columns.map((c) => xlsxCell(c.value(row), c.kind, timeZone));
    const written = worksheet.addRow(cells.map((c) => c.value));
    cells.forEach((c, i) => {
      if (c.numFmt && c.value !== null) written.getCell(i + 1).numFmt = c.numFmt;
    });
    written.commit();
    count++;
    await relieve(worksheet, count, failure);
  }
  // Ends this sheet's entry so archiver can move on to the next sheet.
  worksheet.commit();
  return count;
}

// ---------------------------------------------------------------------------
// CSV

/**
 * Write one sheet as CSV: UTF-8 with a BOM (so Excel detects Cyrillic and Latvian),
 * CRLF line ends, dates as local "YYYY-MM-DD HH:mm" (or "YYYY-MM-DD" for 'date'),
 * and a leading apostrophe on text that a spreadsheet would run as a formula.
 */
export async function writeCsv(sheet: ExportSheet<any>, options: CsvExportOptions): Promise<CsvResult> {
  assertZone(options.timeZone);
  const columns = sheet.columns as ExportColumn<unknown>[];
  let count = 0;
  async function* records(): AsyncGenerator<string[]> {
    for await (const row of sheet.rows as AsyncIterable<unknown> | Iterable<unknown>) {
      count++;
      yield columns.map((c) => csvCell(c.value(row), c.kind, options.timeZone));
    }
  }
  let file: WriteStream | undefined;
  try {
    file = await openOutput(options.output);
    const { stringify } = await import('csv-stringify');
    const csv = stringify({
      bom: true,
      header: true,
      // Headers are people's text too: escape them like any other field.
      columns: columns.map((c, i) => ({ key: String(i), header: looksLikeFormula(c.header) ? `'${c.header}` : c.header })),
      delimiter: options.delimiter ?? ',',
      record_delimiter: 'windows',
    });
    // pipeline() propagates backpressure from the file back to the row source.
    await pipeline(Readable.from(records()), csv, file);
    return { rows: count };
  } catch (error) {
    await removePartial(options.output, file);
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Pagination

/**
 * Yield rows page by page using keyset pagination on an increasing numeric id.
 * `fetchPage(cursor, take)` must return up to `take` rows whose key is greater than
 * `cursor` (all rows when `cursor` is undefined), ordered by key ascending, e.g.
 * `prisma.x.findMany({ where: { id: cursor === undefined ? undefined : { gt: cursor } }, orderBy: { id: 'asc' }, take })`.
 * Iteration stops on the first empty page: a short page is not treated as the end,
 * so fetchers may filter rows after loading them.
 */
export async function* paginate<T>(
  fetchPage: (cursor: number | undefined, take: number) => Promise<T[]>,
  key: (row: T) => number,
  take = 1000,
): AsyncGenerator<T, void, undefined> {
  if (!Number.isInteger(take) || take < 1) throw new RangeError(`take must be a positive integer, got ${take}`);
  let cursor: number | undefined;
  for (;;) {
    const page = await fetchPage(cursor, take);
    if (page.length === 0) return;
    const next = key(page[page.length - 1]!);
    // A fetcher ignoring the cursor would otherwise loop forever.
    if (cursor !== undefined && !(next > cursor)) {
      throw new Error(`paginate: key did not increase (cursor ${cursor}, last key ${next})`);
    }
    yield* page;
    cursor = next;
  }
}
