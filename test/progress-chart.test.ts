import { inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CHART_COLOURS,
  CHART_WIDTH,
  MAX_LABEL_CHARS,
  ROW_HEIGHT,
  renderMonthlyTrendChart,
  renderProgressChart,
  truncateLabel,
  type ProgressChartInput,
} from '../src/reports/progress-chart.js';

// ---------------------------------------------------------------------------
// A small PNG reader (8-bit RGB/RGBA, not interlaced: what resvg writes), so the
// tests look at the pixels themselves rather than trusting the renderer.

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Image {
  width: number;
  height: number;
  /** RGBA, row by row. */
  rgba: Uint8Array;
}

function ihdr(png: Buffer): { width: number; height: number; bitDepth: number; colourType: number; interlace: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return {
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    bitDepth: png.readUInt8(24),
    colourType: png.readUInt8(25),
    interlace: png.readUInt8(28),
  };
}

function decodePng(png: Buffer): Image {
  const { width, height, bitDepth, colourType, interlace } = ihdr(png);
  expect(bitDepth).toBe(8);
  expect(interlace).toBe(0);
  expect([2, 6]).toContain(colourType);
  const channels = colourType === 6 ? 4 : 3;
  const idat: Buffer[] = [];
  let sawEnd = false;
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') sawEnd = true;
    at += 12 + length;
  }
  expect(sawEnd).toBe(true);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  expect(raw.length).toBe(height * (stride + 1));
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      let predictor: number;
      switch (filter) {
        case 0: predictor = 0; break;
        case 1: predictor = a; break;
        case 2: predictor = b; break;
        case 3: predictor = (a + b) >> 1; break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: throw new Error(`bad PNG filter ${filter}`);
      }
      pixels[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  if (channels === 4) return { width, height, rgba: pixels };
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba.set(pixels.subarray(i * 3, i * 3 + 3), i * 4);
    rgba[i * 4 + 3] = 255;
  }
  return { width, height, rgba };
}

function hex(colour: string): [number, number, number] {
  const n = Number.parseInt(colour.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** Pixels in rows [from, to) matching a predicate on r, g, b. */
function countPixels(image: Image, test: (r: number, g: number, b: number) => boolean, from = 0, to = image.height): number {
  let count = 0;
  for (let i = from * image.width * 4; i < to * image.width * 4; i += 4) {
    if (test(image.rgba[i]!, image.rgba[i + 1]!, image.rgba[i + 2]!)) count++;
  }
  return count;
}

const isColour = (colour: string) => {
  const [r0, g0, b0] = hex(colour);
  return (r: number, g: number, b: number) => Math.abs(r - r0) <= 2 && Math.abs(g - g0) <= 2 && Math.abs(b - b0) <= 2;
};
const isDark = (r: number, g: number, b: number) => r + g + b < 3 * 110;
const isNotWhite = (r: number, g: number, b: number) => r + g + b < 3 * 250;

function rows(image: Image, from: number, to = image.height): Buffer {
  return Buffer.from(image.rgba.subarray(from * image.width * 4, to * image.width * 4));
}

// ---------------------------------------------------------------------------

const base: ProgressChartInput = {
  title: 'Прогрес менторства за березень 2026',
  daysLabel: 'Дні менторства',
  targetLabel: 'Ціль',
  pairs: [
    { label: 'Рига – Чернігів', days: 2.5, target: 2 },
    { label: 'Вроцлав – Житомир', days: 1, target: 2 },
  ],
};

function manyPairs(count: number): ProgressChartInput['pairs'] {
  return Array.from({ length: count }, (_, i) => ({ label: `Місто ${i + 1} – Громада ${i + 1}`, days: (i % 5) * 0.5, target: 2 }));
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('renderProgressChart', () => {
  it('returns a PNG 800 px wide whose height grows with the number of pairs', async () => {
    const two = await renderProgressChart(base);
    const eight = await renderProgressChart({ ...base, pairs: manyPairs(8) });
    const a = ihdr(two);
    const b = ihdr(eight);
    expect(a.width).toBe(CHART_WIDTH);
    expect(b.width).toBe(CHART_WIDTH);
    // Six more rows, everything else the same.
    expect(b.height - a.height).toBeGreaterThanOrEqual(6 * ROW_HEIGHT * 0.8);
    expect(b.height).toBeGreaterThan(a.height);
  });

  it('draws a chart, not a blank image, and different data gives a different picture', async () => {
    const png = await renderProgressChart(base);
    const image = decodePng(png);
    expect(image.width).toBe(CHART_WIDTH);
    expect(countPixels(image, isNotWhite)).toBeGreaterThan(image.width * image.height * 0.03);

    const other = await renderProgressChart({ ...base, pairs: [base.pairs[0]!, { ...base.pairs[1]!, days: 0.5 }] });
    expect(other.equals(png)).toBe(false);
  });

  it('colours the bars by whether the target was met and marks the target', async () => {
    const allMet = decodePng(
      await renderProgressChart({ ...base, pairs: [{ label: 'A – B', days: 3, target: 2 }, { label: 'C – D', days: 2, target: 2 }] }),
    );
    const oneBelow = decodePng(
      await renderProgressChart({ ...base, pairs: [{ label: 'A – B', days: 3, target: 2 }, { label: 'C – D', days: 1.5, target: 2 }] }),
    );
    const met = isColour(CHART_COLOURS.met);
    const below = isColour(CHART_COLOURS.below);
    // Bars are wide: thousands of pixels; a legend swatch is a couple of hundred.
    expect(countPixels(allMet, met)).toBeGreaterThan(3000);
    expect(countPixels(allMet, below)).toBeLessThan(500);
    expect(countPixels(oneBelow, below)).toBeGreaterThan(countPixels(allMet, below) + 2000);
    expect(countPixels(oneBelow, met)).toBeLessThan(countPixels(allMet, met) - 1000);
    // Target ticks: one per pair, 4 px wide and taller than the bar.
    expect(countPixels(allMet, isColour(CHART_COLOURS.target))).toBeGreaterThan(2 * 4 * 20);
  });

  it('draws the title glyphs (Cyrillic) in the title area and leaves the rest unchanged', async () => {
    const untitled = decodePng(await renderProgressChart({ ...base, title: '' }));
    const titled = decodePng(await renderProgressChart({ ...base, title: 'Звіт: їжак, ґанок, Єва — щомісячний підсумок' }));
    expect(titled.height).toBe(untitled.height);
    const titleArea = 48; // padding 16 + one 20 px bold line and its descenders
    expect(countPixels(untitled, isDark, 0, titleArea)).toBe(0);
    expect(countPixels(titled, isDark, 0, titleArea)).toBeGreaterThan(1000);
    expect(rows(titled, 0, titleArea).equals(rows(untitled, 0, titleArea))).toBe(false);
    expect(rows(titled, titleArea).equals(rows(untitled, titleArea))).toBe(true);
  });

  it('draws Latvian, Polish and Ukrainian letters as glyphs, not as the same missing-glyph box', async () => {
    const titleArea = 48;
    const letters = decodePng(await renderProgressChart({ ...base, title: 'ĀČĒĢĪĶĻŅŠŪŽ ĄĆĘŁŃŚŹŻ ЄІЇҐ' }));
    // Private-use characters have no glyph in any font: all would look alike if the letters had none either.
    const missing = decodePng(
      await renderProgressChart({ ...base, title: `${'\uE000'.repeat(11)} ${'\uE000'.repeat(8)} ${'\uE000'.repeat(4)}` }),
    );
    expect(countPixels(letters, isDark, 0, titleArea)).toBeGreaterThan(1000);
    expect(rows(letters, 0, titleArea).equals(rows(missing, 0, titleArea))).toBe(false);
  });

  it('draws the pair labels', async () => {
    const one = await renderProgressChart({ ...base, pairs: [{ label: 'Рига – Чернігів', days: 1, target: 2 }] });
    const other = await renderProgressChart({ ...base, pairs: [{ label: 'Гданськ – Ірпінь', days: 1, target: 2 }] });
    expect(ihdr(one).height).toBe(ihdr(other).height);
    expect(one.equals(other)).toBe(false);
  });

  it('cuts labels at about 40 characters', async () => {
    const stem = 'Дуже довга назва пари муніципалітетів, яка не вміщується';
    const a = await renderProgressChart({ ...base, pairs: [{ label: `${stem} — перша`, days: 1, target: 2 }] });
    const b = await renderProgressChart({ ...base, pairs: [{ label: `${stem} — друга, ще довша`, days: 1, target: 2 }] });
    // Both cut to the same 40 characters: the same picture.
    expect(a.equals(b)).toBe(true);
    expect(Array.from(truncateLabel(`${stem} — перша`)).length).toBeLessThanOrEqual(MAX_LABEL_CHARS);
    expect(Array.from(truncateLabel(`${stem} — перша`)).length).toBeGreaterThan(MAX_LABEL_CHARS - 3);
    expect(truncateLabel(`${stem} — перша`).endsWith('…')).toBe(true);
    expect(truncateLabel('  Рига –\n Чернігів ')).toBe('Рига – Чернігів');
  });

  it('still renders a valid image for an empty list of pairs', async () => {
    const png = await renderProgressChart({ ...base, pairs: [] });
    const image = decodePng(png);
    expect(image.width).toBe(CHART_WIDTH);
    expect(image.height).toBeGreaterThan(100);
    expect(countPixels(image, isDark, 0, 48)).toBeGreaterThan(300); // the title
  });

  it('keeps two pairs with the same label apart and copes with markup characters', async () => {
    const png = await renderProgressChart({
      ...base,
      pairs: [
        { label: 'Valmiera – Bucha', days: 1, target: 2 },
        { label: 'Valmiera – Bucha', days: 2, target: 2 },
        { label: '<b>Kraków & "Łódź"</b>', days: 0.5, target: 2 },
      ],
    });
    expect(ihdr(png).height).toBeGreaterThan(ihdr(await renderProgressChart(base)).height);
  });

  it('makes no network request', async () => {
    const fetchSpy = vi.fn(() => Promise.reject(new Error('no network in tests')));
    vi.stubGlobal('fetch', fetchSpy);
    await renderProgressChart(base);
    await renderMonthlyTrendChart({
      title: 'Trend',
      daysLabel: 'Days',
      targetLabel: 'Target',
      months: [{ month: '2026-03', days: 10, target: 12 }],
    });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('rejects impossible numbers', async () => {
    await expect(renderProgressChart({ ...base, pairs: [{ label: 'x', days: -1, target: 2 }] })).rejects.toThrow(RangeError);
    await expect(renderProgressChart({ ...base, pairs: [{ label: 'x', days: Number.NaN, target: 2 }] })).rejects.toThrow(RangeError);
  });
});

describe('renderMonthlyTrendChart', () => {
  const trend = {
    title: 'Programma kopā pa mēnešiem — Ķekava',
    daysLabel: 'Mentorēšanas dienas',
    targetLabel: 'Mērķis',
    months: [
      { month: '2026-01', days: 14, target: 20 },
      { month: '2026-02', days: 21, target: 20 },
      { month: '2026-03', days: 18.5, target: 20 },
    ],
  };

  it('returns an 800 px wide PNG with columns coloured by the target', async () => {
    const png = await renderMonthlyTrendChart(trend);
    const image = decodePng(png);
    expect(image.width).toBe(CHART_WIDTH);
    expect(image.height).toBeGreaterThan(300);
    expect(countPixels(image, isColour(CHART_COLOURS.met))).toBeGreaterThan(3000);
    expect(countPixels(image, isColour(CHART_COLOURS.below))).toBeGreaterThan(2 * 3000);
    expect(countPixels(image, isDark, 0, 48)).toBeGreaterThan(500); // the title
  });

  it('changes with the data', async () => {
    const a = await renderMonthlyTrendChart(trend);
    const b = await renderMonthlyTrendChart({ ...trend, months: [...trend.months, { month: '2026-04', days: 25, target: 20 }] });
    expect(ihdr(b).width).toBe(CHART_WIDTH);
    expect(a.equals(b)).toBe(false);
  });

  it('renders a valid image without months and rejects malformed months', async () => {
    const image = decodePng(await renderMonthlyTrendChart({ ...trend, months: [] }));
    expect(image.width).toBe(CHART_WIDTH);
    expect(image.height).toBeGreaterThan(100);
    await expect(renderMonthlyTrendChart({ ...trend, months: [{ month: '2026-13', days: 1, target: 2 }] })).rejects.toThrow(
      RangeError,
    );
  });
});
