/**
 * Monthly progress charts for coordinators, sent as PNG images in Telegram.
 *
 * Pipeline: a Vega-Lite spec (inline data only) → compiled to Vega → a headless
 * `vega.View` (renderer 'none') → SVG → PNG with resvg, using a font file that is
 * loaded explicitly, so the text looks the same wherever the bot runs and never
 * depends on a network. Texts arrive already translated; the charts only add
 * numbers and the language-neutral signs ≥ and <.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { Error as VEGA_LOG_ERROR, View, loader as vegaLoader, parse, type Loader } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface ProgressChartPair {
  /** e.g. "Mentor city – Mentee city"; truncated to {@link MAX_LABEL_CHARS}. */
  label: string;
  /** Mentoring days logged in the month (halves allowed). */
  days: number;
  /** Target days for the month. */
  target: number;
}

export interface ProgressChartInput {
  title: string;
  /** Name of the target, e.g. "Target" / "Ціль". */
  targetLabel: string;
  /** Name of the measured value, e.g. "Mentoring days" / "Дні менторства". */
  daysLabel: string;
  pairs: ProgressChartPair[];
}

export interface TrendChartMonth {
  /** 'YYYY-MM'. */
  month: string;
  days: number;
  target: number;
}

export interface MonthlyTrendChartInput {
  title: string;
  months: TrendChartMonth[];
  daysLabel: string;
  targetLabel: string;
}

/** Width of every chart in pixels: comfortable on a phone, sharp enough in Telegram. */
export const CHART_WIDTH = 800;
/** Labels longer than this are cut and end with an ellipsis. */
export const MAX_LABEL_CHARS = 40;
/** Height of one mentor–mentee row in the progress chart. */
export const ROW_HEIGHT = 60;
/** Colours of bars that met / missed the target and of the target marks. */
export const CHART_COLOURS = {
  met: '#1b7f4b',
  below: '#e07b00',
  target: '#222222',
  text: '#222222',
  background: '#ffffff',
} as const;

const TITLE_LINE_CHARS = 60;
const TITLE_FONT_SIZE = 20;
const LEGEND_FONT_SIZE = 14;
/** Symbol, its gap to the label and the gap to the next entry, in pixels. */
const LEGEND_SYMBOL_SPACE = 44;
const PADDING = { left: 16, right: 24, top: 16, bottom: 16 };
/** Width left for titles and legends inside the padding. */
const CONTENT_WIDTH = CHART_WIDTH - PADDING.left - PADDING.right;
const TREND_PLOT_HEIGHT = 360;

// ---------------------------------------------------------------------------
// Fonts

export interface ChartFont {
  family: string;
  files: string[];
}

const requireFromHere = createRequire(import.meta.url);

/** Font candidates, best first: one family that covers Latin (with Latvian and Polish diacritics) and Cyrillic. */
function fontCandidates(): ChartFont[] {
  const candidates: ChartFont[] = [];
  // An npm font package, if the project ships one (works in slim Docker images without system fonts).
  try {
    const dir = join(requireFromHere.resolve('dejavu-fonts-ttf/package.json'), '..', 'ttf');
    candidates.push({ family: 'DejaVu Sans', files: [join(dir, 'DejaVuSans.ttf'), join(dir, 'DejaVuSans-Bold.ttf')] });
  } catch {
    // not installed
  }
  const systemDirs = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/TTF', '/usr/share/fonts/dejavu', '/usr/local/share/fonts'];
  for (const dir of systemDirs) {
    candidates.push({ family: 'DejaVu Sans', files: [join(dir, 'DejaVuSans.ttf'), join(dir, 'DejaVuSans-Bold.ttf')] });
  }
  for (const dir of ['/usr/share/fonts/truetype/noto', '/usr/share/fonts/noto']) {
    candidates.push({ family: 'Noto Sans', files: [join(dir, 'NotoSans-Regular.ttf'), join(dir, 'NotoSans-Bold.ttf')] });
  }
  for (const dir of ['/usr/share/fonts/truetype/liberation', '/usr/share/fonts/liberation']) {
    candidates.push({
      family: 'Liberation Sans',
      files: [join(dir, 'LiberationSans-Regular.ttf'), join(dir, 'LiberationSans-Bold.ttf')],
    });
  }
  return candidates;
}

let cachedFont: ChartFont | null | undefined;

/**
 * The font the charts use: the first candidate whose regular face exists (a missing
 * bold face is fine: resvg then draws bold text with the regular face).
 * Null when none is found; the charts then fall back to whatever system fonts resvg finds.
 */
export function chartFont(): ChartFont | null {
  if (cachedFont !== undefined) return cachedFont;
  cachedFont = null;
  for (const candidate of fontCandidates()) {
    const files = candidate.files.filter((file) => existsSync(file));
    if (files[0] === candidate.files[0]) {
      cachedFont = { family: candidate.family, files };
      break;
    }
  }
  return cachedFont;
}

// ---------------------------------------------------------------------------
// Text measurement
//
// Without a canvas package Vega guesses text widths (0.8 em a character), which
// is far too wide for Latin and Cyrillic and would squeeze the plot. We measure
// with the advance widths of the very font resvg draws with instead, through
// Vega's documented hook `textMetrics.width` (as vl-convert does).

/** Advance widths of one TrueType face, looked up by code point. */
class FontMetrics {
  private readonly advances = new Map<number, number>();
  private readonly unitsPerEm: number;
  private readonly numberOfHMetrics: number;
  private readonly hmtx: number;
  private readonly glyphOf: (codePoint: number) => number;

  constructor(private readonly data: Buffer) {
    const tables = new Map<string, number>();
    const numTables = data.readUInt16BE(4);
    for (let i = 0; i < numTables; i++) {
      const record = 12 + i * 16;
      tables.set(data.toString('latin1', record, record + 4), data.readUInt32BE(record + 8));
    }
    const head = tables.get('head');
    const hhea = tables.get('hhea');
    const hmtx = tables.get('hmtx');
    const cmap = tables.get('cmap');
    if (head === undefined || hhea === undefined || hmtx === undefined || cmap === undefined) {
      throw new Error('Not a TrueType font with head, hhea, hmtx and cmap tables');
    }
    this.unitsPerEm = data.readUInt16BE(head + 18);
    this.numberOfHMetrics = data.readUInt16BE(hhea + 34);
    this.hmtx = hmtx;
    this.glyphOf = FontMetrics.cmapLookup(data, cmap);
  }

  private static cmapLookup(data: Buffer, cmap: number): (codePoint: number) => number {
    const count = data.readUInt16BE(cmap + 2);
    let format4: number | undefined;
    for (let i = 0; i < count; i++) {
      const record = cmap + 4 + i * 8;
      const platform = data.readUInt16BE(record);
      const encoding = data.readUInt16BE(record + 2);
      const sub = cmap + data.readUInt32BE(record + 4);
      const format = data.readUInt16BE(sub);
      const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
      if (!unicode) continue;
      if (format === 12) {
        const groups = data.readUInt32BE(sub + 12);
        return (cp) => {
          let lo = 0;
          let hi = groups - 1;
          while (lo <= hi) {
            const mid = (lo + hi) >>> 1;
            const g = sub + 16 + mid * 12;
            const start = data.readUInt32BE(g);
            const end = data.readUInt32BE(g + 4);
            if (cp < start) hi = mid - 1;
            else if (cp > end) lo = mid + 1;
            else return data.readUInt32BE(g + 8) + (cp - start);
          }
          return 0;
        };
      }
      if (format === 4 && format4 === undefined) format4 = sub;
    }
    if (format4 === undefined) return () => 0;
    const sub = format4;
    const segCount = data.readUInt16BE(sub + 6) / 2;
    const ends = sub + 14;
    const starts = ends + segCount * 2 + 2;
    const deltas = starts + segCount * 2;
    const rangeOffsets = deltas + segCount * 2;
    return (cp) => {
      if (cp > 0xffff) return 0;
      for (let i = 0; i < segCount; i++) {
        if (data.readUInt16BE(ends + i * 2) < cp) continue;
        const start = data.readUInt16BE(starts + i * 2);
        if (start > cp) return 0;
        const delta = data.readInt16BE(deltas + i * 2);
        const rangeOffsetAt = rangeOffsets + i * 2;
        const rangeOffset = data.readUInt16BE(rangeOffsetAt);
        if (rangeOffset === 0) return (cp + delta) & 0xffff;
        const glyph = data.readUInt16BE(rangeOffsetAt + rangeOffset + (cp - start) * 2);
        return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
      }
      return 0;
    };
  }

  /** Advance of one code point in em. */
  private advance(codePoint: number): number {
    let em = this.advances.get(codePoint);
    if (em === undefined) {
      const glyph = Math.min(this.glyphOf(codePoint), this.numberOfHMetrics - 1);
      em = this.data.readUInt16BE(this.hmtx + glyph * 4) / this.unitsPerEm;
      this.advances.set(codePoint, em);
    }
    return em;
  }

  /** Width of a line of text in pixels. */
  width(text: string, fontSize: number): number {
    let em = 0;
    for (const ch of text) em += this.advance(ch.codePointAt(0) ?? 0);
    return em * fontSize;
  }
}

export interface TextMeasure {
  (text: string, fontSize: number, bold?: boolean): number;
}

let cachedMeasure: TextMeasure | null | undefined;

/** Measures text in the chart font; null when no font file was found (Vega then estimates). */
export function chartTextMeasure(): TextMeasure | null {
  if (cachedMeasure !== undefined) return cachedMeasure;
  cachedMeasure = null;
  const font = chartFont();
  if (!font) return null;
  try {
    const [regularFile, boldFile] = font.files;
    if (regularFile === undefined) return null;
    const regular = new FontMetrics(readFileSync(regularFile));
    const bold = boldFile === undefined ? regular : new FontMetrics(readFileSync(boldFile));
    cachedMeasure = (text, fontSize, isBold = false) => (isBold ? bold : regular).width(text, fontSize);
  } catch {
    cachedMeasure = null;
  }
  return cachedMeasure;
}

interface VegaTextItem {
  fontSize?: number | string | null;
  fontWeight?: number | string | null;
  limit?: number;
}

let vegaMetricsInstalled = false;

/** Points Vega's text measurement at the chart font (once per process). */
function installVegaTextMetrics(): void {
  if (vegaMetricsInstalled) return;
  vegaMetricsInstalled = true;
  const measure = chartTextMeasure();
  const metrics = (vega as unknown as { textMetrics?: { width: (item: VegaTextItem, text?: unknown) => number } })
    .textMetrics;
  if (!measure || !metrics) return;
  metrics.width = (item, text) => {
    const line = text == null ? '' : String(text).trim();
    if (!line) return 0;
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const weight = item.fontWeight;
    const bold = weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600) || Number(weight) >= 600;
    const width = measure(line, size, bold);
    // Vega truncates limited text before drawing; bounds then never exceed the limit.
    return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
}

// ---------------------------------------------------------------------------
// Text helpers

/** Cuts a label to {@link MAX_LABEL_CHARS} characters (by code point), ending with '…'. */
export function truncateLabel(text: string, max = MAX_LABEL_CHARS): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(clean);
  if (chars.length <= max) return clean;
  return `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/**
 * Splits a title into at most three lines that fit the chart width (measured in the
 * chart font, or about {@link TITLE_LINE_CHARS} characters without one), at spaces where possible.
 */
function wrapTitle(text: string): string[] {
  const measure = chartTextMeasure();
  const fits = (line: string) =>
    measure ? measure(line, TITLE_FONT_SIZE, true) <= CONTENT_WIDTH : Array.from(line).length <= TITLE_LINE_CHARS;
  const words = text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    for (const piece of splitLongWord(word, fits)) {
      if (!line) line = piece;
      else if (fits(`${line} ${piece}`)) line += ` ${piece}`;
      else {
        lines.push(line);
        line = piece;
      }
    }
  }
  if (line) lines.push(line);
  if (lines.length > 3) return [...lines.slice(0, 2), truncateToFit(lines.slice(2).join(' '), fits)];
  return lines;
}

function splitLongWord(word: string, fits: (line: string) => boolean): string[] {
  const chars = Array.from(word);
  const out: string[] = [];
  let piece = '';
  for (const ch of chars) {
    if (piece && !fits(piece + ch)) {
      out.push(piece);
      piece = '';
    }
    piece += ch;
  }
  if (piece) out.push(piece);
  return out;
}

function truncateToFit(line: string, fits: (line: string) => boolean): string {
  const chars = Array.from(line);
  while (chars.length > 1 && !fits(`${chars.join('')}…`)) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

function requireAmount(value: number, what: string): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`Invalid ${what}: ${value}`);
  return value;
}

/** Upper end of the value axis: leaves room for the value labels after the longest bar. */
function axisMax(values: number[]): number {
  const max = Math.max(1, ...values);
  return Math.ceil(max * 1.15 * 2) / 2;
}

// ---------------------------------------------------------------------------
// Specs

function baseConfig(fontFamily: string) {
  return {
    font: fontFamily,
    background: CHART_COLOURS.background,
    view: { stroke: null },
    title: { fontSize: TITLE_FONT_SIZE, fontWeight: 'bold' as const, anchor: 'start' as const, color: CHART_COLOURS.text, offset: 12 },
    axis: {
      labelFontSize: 14,
      titleFontSize: 14,
      labelColor: CHART_COLOURS.text,
      titleColor: CHART_COLOURS.text,
      titleFontWeight: 'normal' as const,
    },
    legend: {
      labelFontSize: LEGEND_FONT_SIZE,
      labelColor: CHART_COLOURS.text,
      orient: 'top' as const,
      direction: 'horizontal' as const,
      symbolSize: 180,
      labelLimit: 360,
      title: null,
    },
  };
}

function legendLabels(daysLabel: string, targetLabel: string) {
  const days = truncateLabel(daysLabel, 30);
  const target = truncateLabel(targetLabel, 30);
  return { met: `${days} ≥ ${target}`, below: `${days} < ${target}`, target };
}

/**
 * One colour scale for bars (met / below) and target marks, so a single legend
 * explains all three; the target's entry is drawn as a short vertical line.
 */
function colourEncoding(labels: ReturnType<typeof legendLabels>) {
  const measure = chartTextMeasure();
  const entries = [labels.met, labels.below, labels.target];
  const rowWidth = measure
    ? entries.reduce((sum, label) => sum + LEGEND_SYMBOL_SPACE + measure(label, LEGEND_FONT_SIZE), 0)
    : Infinity;
  return {
    type: 'nominal' as const,
    scale: {
      domain: [labels.met, labels.below, labels.target],
      range: [CHART_COLOURS.met, CHART_COLOURS.below, CHART_COLOURS.target],
    },
    legend: {
      direction: rowWidth <= CONTENT_WIDTH ? ('horizontal' as const) : ('vertical' as const),
      orient: 'top' as const,
      symbolType: 'square',
      encode: {
        symbols: {
          update: {
            // The target's entry: a filled upright bar like the tick on the chart.
            shape: { signal: "datum.index === 2 ? 'M-0.22,-1H0.22V1H-0.22Z' : 'square'" },
            opacity: { value: 1 },
          },
        },
      },
    },
  };
}

/**
 * Where a value label goes: at the end of its bar, or past the target mark when the
 * bar stops just short of it (the label would sit on the mark).
 */
function labelAt(axisEnd: number): string {
  return `datum.target > datum.days && datum.target - datum.days < ${axisEnd * 0.08} ? datum.target : datum.days`;
}

function titleOf(text: string) {
  const lines = wrapTitle(text);
  // An empty title still gets a blank line, so the layout does not depend on it.
  return { text: lines.length > 0 ? lines : [' '] };
}

const BAR_HEIGHT = 20;

/** The Vega-Lite spec of the per-pair progress chart (exported for inspection and tests). */
export function progressChartSpec(input: ProgressChartInput, fontFamily = chartFont()?.family ?? 'sans-serif'): TopLevelSpec {
  const labels = legendLabels(input.daysLabel, input.targetLabel);
  const rows = input.pairs.map((pair, index) => {
    const days = requireAmount(pair.days, 'days');
    const target = requireAmount(pair.target, 'target');
    return { row: index, label: truncateLabel(pair.label), days, target, status: days >= target ? labels.met : labels.below };
  });
  const xMax = axisMax(rows.flatMap((r) => [r.days, r.target]));
  const x = {
    type: 'quantitative' as const,
    scale: { domain: [0, xMax], nice: false, zero: true },
    title: truncateLabel(input.daysLabel, 60),
    axis: { grid: true, gridColor: '#e6e6e6', tickMinStep: 0.5, format: '~g' },
  };
  // One band per pair (distinct even when two pairs share a label): the label on
  // top of the band, the bar and the target tick below it, both full width for phones.
  const y = {
    field: 'row',
    type: 'ordinal' as const,
    sort: 'ascending' as const,
    scale: { domain: rows.map((r) => r.row), paddingInner: 0, paddingOuter: 0 },
    axis: null,
  };
  const barOffset = BAR_HEIGHT / 2 + 2;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: titleOf(input.title),
    width: CHART_WIDTH,
    height: Math.max(1, rows.length) * ROW_HEIGHT,
    autosize: { type: 'fit-x', contains: 'padding' },
    padding: PADDING,
    data: { values: rows },
    config: baseConfig(fontFamily),
    layer: [
      {
        mark: { type: 'bar', height: BAR_HEIGHT, yOffset: barOffset, cornerRadiusEnd: 3 },
        encoding: { y, x: { ...x, field: 'days' }, color: { ...colourEncoding(labels), field: 'status' } },
      },
      {
        mark: { type: 'text', align: 'left', baseline: 'bottom', dy: -3, fontSize: 15, color: CHART_COLOURS.text },
        encoding: { y, x: { datum: 0, type: 'quantitative' }, text: { field: 'label' } },
      },
      {
        mark: {
          type: 'text',
          align: 'left',
          baseline: 'middle',
          dx: 6,
          yOffset: barOffset,
          fontSize: 14,
          fontWeight: 'bold',
          color: CHART_COLOURS.text,
        },
        transform: [{ calculate: labelAt(xMax), as: 'labelAt' }],
        encoding: { y, x: { ...x, field: 'labelAt' }, text: { field: 'days', type: 'quantitative', format: '~g' } },
      },
      {
        mark: { type: 'tick', thickness: 4, height: BAR_HEIGHT + 10, yOffset: barOffset, opacity: 1 },
        encoding: { y, x: { ...x, field: 'target' }, color: { ...colourEncoding(labels), datum: labels.target } },
      },
    ],
  } as TopLevelSpec;
}

/** The Vega-Lite spec of the programme's monthly trend chart (exported for inspection and tests). */
export function monthlyTrendChartSpec(
  input: MonthlyTrendChartInput,
  fontFamily = chartFont()?.family ?? 'sans-serif',
): TopLevelSpec {
  const labels = legendLabels(input.daysLabel, input.targetLabel);
  const rows = input.months.map((m) => {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(m.month)) throw new RangeError(`Invalid month: ${m.month}`);
    const days = requireAmount(m.days, 'days');
    const target = requireAmount(m.target, 'target');
    return { month: m.month, days, target, status: days >= target ? labels.met : labels.below };
  });
  const yMax = axisMax(rows.flatMap((r) => [r.days, r.target]));
  const xEnc = {
    field: 'month',
    type: 'ordinal' as const,
    sort: 'ascending' as const,
    scale: { paddingInner: 0.25, paddingOuter: 0.15 },
    axis: { title: null, labelAngle: rows.length > 8 ? -45 : 0, ticks: false, labelPadding: 6 },
  };
  const y = {
    type: 'quantitative' as const,
    scale: { domain: [0, yMax], nice: false, zero: true },
    title: truncateLabel(input.daysLabel, 50),
    axis: { grid: true, gridColor: '#e6e6e6', tickMinStep: 0.5, format: '~g' },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: titleOf(input.title),
    width: CHART_WIDTH,
    height: TREND_PLOT_HEIGHT,
    autosize: { type: 'fit-x', contains: 'padding' },
    padding: PADDING,
    data: { values: rows },
    config: baseConfig(fontFamily),
    layer: [
      {
        mark: { type: 'bar', cornerRadiusEnd: 3 },
        encoding: { x: xEnc, y: { ...y, field: 'days' }, color: { ...colourEncoding(labels), field: 'status' } },
      },
      {
        transform: [{ calculate: labelAt(yMax), as: 'labelAt' }],
        mark: { type: 'text', baseline: 'bottom', dy: -5, fontSize: 14, fontWeight: 'bold', color: CHART_COLOURS.text },
        encoding: { x: xEnc, y: { ...y, field: 'labelAt' }, text: { field: 'days', type: 'quantitative', format: '~g' } },
      },
      {
        mark: { type: 'tick', orient: 'horizontal', thickness: 4, opacity: 1 },
        encoding: { x: xEnc, y: { ...y, field: 'target' }, color: { ...colourEncoding(labels), datum: labels.target } },
      },
    ],
  } as TopLevelSpec;
}

// ---------------------------------------------------------------------------
// Rendering

/** A loader that refuses every URL and file: the charts use inline data only. */
function offlineLoader(): Loader {
  const refuse = (what: string): Promise<never> =>
    Promise.reject(new Error(`Charts load nothing from outside (asked for ${what})`));
  return {
    ...vegaLoader(),
    load: (uri: string) => refuse(uri),
    sanitize: (uri: string) => refuse(uri),
    http: (uri: string) => refuse(uri),
    file: (filename: string) => refuse(filename),
  };
}

/** Renders a Vega-Lite spec to SVG text with a headless view. */
export async function specToSvg(spec: TopLevelSpec): Promise<string> {
  installVegaTextMetrics();
  const vegaSpec = compile(spec).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none', loader: offlineLoader(), logLevel: VEGA_LOG_ERROR });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** SVG → PNG at {@link CHART_WIDTH} px wide, with the chart font loaded explicitly. */
export function svgToPng(svg: string): Buffer {
  const font = chartFont();
  const resvg = new Resvg(svg, {
    font: font
      ? {
          loadSystemFonts: false,
          fontFiles: font.files,
          defaultFontFamily: font.family,
          sansSerifFamily: font.family,
        }
      : { loadSystemFonts: true },
    fitTo: { mode: 'width', value: CHART_WIDTH },
    background: CHART_COLOURS.background,
    logLevel: 'off',
  });
  return resvg.render().asPng();
}

/**
 * Horizontal bars of the mentoring days each mentor–mentee pair logged in the month,
 * green when the target was met and orange when not, with a dark tick at the target.
 * 800 px wide; the height grows with the number of pairs.
 */
export async function renderProgressChart(input: ProgressChartInput): Promise<Buffer> {
  return svgToPng(await specToSvg(progressChartSpec(input)));
}

/** Columns of the programme's total mentoring days per month, with a dark tick at each month's target. */
export async function renderMonthlyTrendChart(input: MonthlyTrendChartInput): Promise<Buffer> {
  return svgToPng(await specToSvg(monthlyTrendChartSpec(input)));
}
