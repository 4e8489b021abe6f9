import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  paginate,
  sanitizeSheetName,
  writeCsv,
  writeXlsx,
  type ExportColumn,
  type ExportSheet,
} from '../src/exports/workbook.js';

const KYIV = 'Europe/Kyiv';
// 22:30 UTC on 14 March is 00:30 on 15 March in Kyiv (UTC+2 in winter).
const LATE_UTC = new Date('2026-03-14T22:30:00Z');

interface Application {
  id: number;
  municipality: string;
  contact: string;
  teamSize: number | null;
  submittedAt: Date | null;
  active: boolean;
  note: string;
}

const applications: Application[] = [
  {
    id: 1,
    municipality: 'Житомирська міська рада',
    contact: 'Олена Коваленко',
    teamSize: 4,
    submittedAt: LATE_UTC,
    active: true,
    note: '=HYPERLINK("http://evil.example","click")',
  },
  {
    id: 2,
    municipality: 'Rēzeknes novada pašvaldība',
    contact: 'Jānis Bērziņš, "koordinators"',
    teamSize: null,
    submittedAt: null,
    active: false,
    note: '+380 44 123 45 67',
  },
];

const applicationColumns: ExportColumn<Application>[] = [
  { header: 'ID', value: (r) => r.id, kind: 'number', width: 8 },
  { header: 'Municipality', value: (r) => r.municipality, width: 40 },
  { header: 'Contact person', value: (r) => r.contact },
  { header: 'Team size', value: (r) => r.teamSize, kind: 'number' },
  { header: 'Submitted', value: (r) => r.submittedAt, kind: 'datetime' },
  { header: 'Submitted on', value: (r) => r.submittedAt, kind: 'date' },
  { header: 'Active', value: (r) => r.active },
  { header: 'Note', value: (r) => r.note },
];

interface Day {
  pairId: number;
  day: string;
  hours: number;
}

async function* days(): AsyncGenerator<Day> {
  yield { pairId: 7, day: '2026-03-02', hours: 1.5 };
  yield { pairId: 8, day: '2026-03-03', hours: -2 };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'citymentor-export-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readWorkbook(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook;
}

/** Excel wall-clock date (read back by exceljs as a UTC Date) → "YYYY-MM-DD HH:MM". */
function wallClock(value: ExcelJS.CellValue): string {
  expect(value).toBeInstanceOf(Date);
  return (value as Date).toISOString().slice(0, 16).replace('T', ' ');
}

describe('writeXlsx', () => {
  it('writes several sheets with headers, values, local dates and a frozen bold header', async () => {
    const output = join(dir, 'programme.xlsx');
    const sheets: ExportSheet<any>[] = [
      { name: 'Applications', columns: applicationColumns, rows: applications },
      {
        name: 'Mentoring days',
        columns: [
          { header: 'Pair', value: (r: Day) => r.pairId },
          { header: 'Day', value: (r: Day) => r.day, kind: 'date' },
          { header: 'Hours', value: (r: Day) => r.hours, kind: 'number' },
        ],
        rows: days(),
      },
    ];
    const result = await writeXlsx(sheets, { timeZone: KYIV, output });
    expect(result).toEqual({ rows: [2, 2], sheetNames: ['Applications', 'Mentoring days'] });

    const workbook = await readWorkbook(output);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Applications', 'Mentoring days']);

    const apps = workbook.getWorksheet('Applications')!;
    expect(apps.getRow(1).values).toEqual([
      undefined,
      'ID',
      'Municipality',
      'Contact person',
      'Team size',
      'Submitted',
      'Submitted on',
      'Active',
      'Note',
    ]);
    // Header: bold and frozen below row 1.
    expect(apps.getCell('A1').font?.bold).toBe(true);
    expect(apps.getCell('H1').font?.bold).toBe(true);
    expect(apps.getCell('A2').font?.bold).toBeFalsy();
    expect(apps.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(apps.getColumn(1).width).toBe(8);
    expect(apps.getColumn(2).width).toBe(40);

    const first = apps.getRow(2);
    expect(first.getCell(1).value).toBe(1);
    expect(first.getCell(2).value).toBe('Житомирська міська рада');
    expect(first.getCell(3).value).toBe('Олена Коваленко');
    expect(first.getCell(4).value).toBe(4);
    expect(first.getCell(7).value).toBe(true);
    // The UTC instant is on the 14th; Kyiv already has the 15th, 00:30.
    expect(wallClock(first.getCell(5).value)).toBe('2026-03-15 00:30');
    expect(first.getCell(5).numFmt).toBe('dd.mm.yyyy hh:mm');
    expect(wallClock(first.getCell(6).value)).toBe('2026-03-15 00:00');
    expect(first.getCell(6).numFmt).toBe('dd.mm.yyyy');

    const second = apps.getRow(3);
    expect(second.getCell(2).value).toBe('Rēzeknes novada pašvaldība');
    expect(second.getCell(3).value).toBe('Jānis Bērziņš, "koordinators"');
    expect(second.getCell(4).value).toBeNull();
    expect(second.getCell(5).value).toBeNull();
    expect(second.getCell(7).value).toBe(false);

    const daysSheet = workbook.getWorksheet('Mentoring days')!;
    expect(daysSheet.getRow(1).values).toEqual([undefined, 'Pair', 'Day', 'Hours']);
    // Calendar dates are not shifted by the zone.
    expect(wallClock(daysSheet.getCell('B2').value)).toBe('2026-03-02 00:00');
    expect(daysSheet.getCell('B2').numFmt).toBe('dd.mm.yyyy');
    expect(daysSheet.getCell('C3').value).toBe(-2);
    expect(daysSheet.rowCount).toBe(3);
  });

  it('stores formula-looking text as text, not as a formula', async () => {
    const output = join(dir, 'injection.xlsx');
    await writeXlsx([{ name: 'Apps', columns: applicationColumns, rows: applications }], {
      timeZone: KYIV,
      output,
    });
    const sheet = (await readWorkbook(output)).getWorksheet('Apps')!;
    const evil = sheet.getCell('H2');
    expect(evil.type).toBe(ExcelJS.ValueType.String);
    expect(evil.formula).toBeUndefined();
    expect(evil.value).toBe('=HYPERLINK("http://evil.example","click")');
    expect(evil.numFmt).toBe('@');
    const phone = sheet.getCell('H3');
    expect(phone.type).toBe(ExcelJS.ValueType.String);
    expect(phone.value).toBe('+380 44 123 45 67');

    // No <f> element anywhere in the sheet XML.
    const raw = await readFile(output);
    expect(raw.includes(Buffer.from('<f>'))).toBe(false);
  });

  it('sanitizes and de-duplicates sheet names', async () => {
    const output = join(dir, 'names.xlsx');
    const columns: ExportColumn<number>[] = [{ header: 'N', value: (n) => n }];
    const result = await writeXlsx(
      [
        { name: 'Pairs: mentors/mentees [2026]?*', columns, rows: [1] },
        { name: 'Needs analyses of mentee teams in all municipalities', columns, rows: [2] },
        { name: 'Needs analyses of mentee teams in all municipalities', columns, rows: [3] },
        { name: 'pairs_ mentors_mentees _2026___', columns, rows: [4] },
        { name: "'History'", columns, rows: [5] },
        { name: '\\/', columns, rows: [6] },
      ],
      { timeZone: KYIV, output },
    );
    expect(result.sheetNames).toEqual([
      'Pairs_ mentors_mentees _2026___',
      'Needs analyses of mentee teams',
      'Needs analyses of mentee te (2)',
      'pairs_ mentors_mentees _202 (2)',
      'History_',
      '__',
    ]);
    for (const name of result.sheetNames) {
      expect(name.length).toBeLessThanOrEqual(31);
      expect(name).not.toMatch(/[[\]:*?/\\]/);
    }
    const workbook = await readWorkbook(output);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(result.sheetNames);
    expect(workbook.getWorksheet(result.sheetNames[2]!)!.getCell('A2').value).toBe(3);
  });

  it('sanitizeSheetName never returns an empty or over-long name', () => {
    expect(sanitizeSheetName('')).toBe('Sheet');
    expect(sanitizeSheetName("''")).toBe('Sheet');
    expect(sanitizeSheetName('a'.repeat(40))).toBe('a'.repeat(31));
    // Emoji are not cut in half.
    const emoji = sanitizeSheetName('😀'.repeat(20));
    expect(emoji).toBe('😀'.repeat(15));
  });

  it('streams 20,000 rows from an async generator', async () => {
    const output = join(dir, 'large.xlsx');
    const total = 20_000;
    let sizeBeforeLastRow = 0;
    async function* rows(): AsyncGenerator<{ id: number; at: Date; text: string }> {
      for (let i = 1; i <= total; i++) {
        if (i === total) sizeBeforeLastRow = (await stat(output)).size;
        yield { id: i, at: new Date(Date.UTC(2026, 0, 1) + i * 60_000), text: `Команда ${i} — Ādaži ${i * 7919}` };
      }
    }
    const result = await writeXlsx(
      [
        {
          name: 'Sessions',
          columns: [
            { header: 'ID', value: (r: { id: number }) => r.id },
            { header: 'At', value: (r: { at: Date }) => r.at, kind: 'datetime' },
            { header: 'Team', value: (r: { text: string }) => r.text },
          ],
          rows: rows(),
        },
      ],
      { timeZone: KYIV, output },
    );
    expect(result.rows).toEqual([total]);
    // Rows reach the file while the source is still producing them.
    console.log("SIZE", sizeBeforeLastRow, (await stat(output)).size); expect(sizeBeforeLastRow).toBeGreaterThan(50_000);

    let count = 0;
    let last: ExcelJS.CellValue[] = [];
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(output, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache',
    });
    for await (const sheet of reader) {
      for await (const row of sheet) {
        count++;
        last = row.values as ExcelJS.CellValue[];
      }
    }
    expect(count).toBe(total + 1);
    expect(last[1]).toBe(total);
    expect(last[3]).toBe(`Команда ${total} — Ādaži ${total * 7919}`);
  });

  it('rejects an unknown time zone and an unwritable path', async () => {
    const columns: ExportColumn<number>[] = [{ header: 'N', value: (n) => n }];
    await expect(
      writeXlsx([{ name: 'S', columns, rows: [1] }], { timeZone: 'Mars/Olympus', output: join(dir, 'x.xlsx') }),
    ).rejects.toThrow(/time zone/);
    await expect(
      writeXlsx([{ name: 'S', columns, rows: [1] }], { timeZone: KYIV, output: join(dir, 'missing', 'x.xlsx') }),
    ).rejects.toThrow(/ENOENT/);
  });

  it('removes the partial file when the row source fails', async () => {
    const output = join(dir, 'failed.xlsx');
    async function* broken(): AsyncGenerator<number> {
      yield 1;
      throw new Error('database went away');
    }
    await expect(
      writeXlsx([{ name: 'S', columns: [{ header: 'N', value: (n: number) => n }], rows: broken() }], {
        timeZone: KYIV,
        output,
      }),
    ).rejects.toThrow('database went away');
    await expect(stat(output)).rejects.toThrow(/ENOENT/);
  });
});

describe('writeCsv', () => {
  it('writes a BOM, the header, quoted values, escaped formulas and local dates', async () => {
    const output = join(dir, 'applications.csv');
    const result = await writeCsv(
      { name: 'Applications', columns: applicationColumns, rows: applications },
      { timeZone: KYIV, output },
    );
    expect(result).toEqual({ rows: 2 });

    const bytes = await readFile(output);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const lines = text.split('\r\n');
    expect(lines).toEqual([
      'ID,Municipality,Contact person,Team size,Submitted,Submitted on,Active,Note',
      `1,Житомирська міська рада,Олена Коваленко,4,2026-03-15 00:30,2026-03-15,true,"'=HYPERLINK(""http://evil.example"",""click"")"`,
      `2,Rēzeknes novada pašvaldība,"Jānis Bērziņš, ""koordinators""",,,,false,'+380 44 123 45 67`,
      '',
    ]);
  });

  it('streams rows from an async source and keeps negative numbers as numbers', async () => {
    const output = join(dir, 'days.csv');
    const result = await writeCsv(
      {
        name: 'Days',
        columns: [
          { header: 'Pair', value: (r: Day) => r.pairId },
          { header: 'Day', value: (r: Day) => r.day, kind: 'date' },
          { header: 'Hours', value: (r: Day) => r.hours },
        ],
        rows: days(),
      },
      { timeZone: KYIV, output, delimiter: ';' },
    );
    expect(result).toEqual({ rows: 2 });
    const text = (await readFile(output, 'utf8')).replace(/^\uFEFF/, '');
    expect(text).toBe('Pair;Day;Hours\r\n7;2026-03-02;1.5\r\n8;2026-03-03;-2\r\n');
  });
});

describe('paginate', () => {
  const table = Array.from({ length: 25 }, (_, i) => ({ id: (i + 1) * 3 }));

  it('walks all pages by cursor and stops on an empty page', async () => {
    const calls: Array<[number | undefined, number]> = [];
    const fetchPage = async (cursor: number | undefined, take: number) => {
      calls.push([cursor, take]);
      return table.filter((r) => cursor === undefined || r.id > cursor).slice(0, take);
    };
    const seen: number[] = [];
    for await (const row of paginate(fetchPage, (r) => r.id, 10)) seen.push(row.id);
    expect(seen).toEqual(table.map((r) => r.id));
    expect(calls).toEqual([
      [undefined, 10],
      [30, 10],
      [60, 10],
      [75, 10],
    ]);
  });

  it('is lazy: pages are fetched only as rows are consumed', async () => {
    let fetches = 0;
    const rows = paginate(
      async (cursor: number | undefined, take: number) => {
        fetches++;
        return table.filter((r) => cursor === undefined || r.id > cursor).slice(0, take);
      },
      (r) => r.id,
      5,
    );
    const firstTwo: number[] = [];
    for await (const row of rows) {
      firstTwo.push(row.id);
      if (firstTwo.length === 2) break;
    }
    expect(firstTwo).toEqual([3, 6]);
    expect(fetches).toBe(1);
  });

  it('refuses a fetcher that ignores the cursor instead of looping forever', async () => {
    const rows = paginate(async () => [{ id: 1 }, { id: 2 }], (r) => r.id, 2);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const row of rows) seen.push(row.id);
      })(),
    ).rejects.toThrow(/did not increase/);
    expect(seen).toEqual([1, 2]);
  });
});
