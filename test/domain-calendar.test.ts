import { describe, expect, it } from 'vitest';
import {
  addMonths,
  formatLocalDateTime,
  isMonthKey,
  monthKey,
  parseLocalDate,
  parseLocalDateTime,
  previousMonth,
  startOfMonth,
} from '../src/domain/time-zone.js';
import { deadlineStatus, isOpen, parseDeadline } from '../src/domain/deadline.js';

const KYIV = 'Europe/Kyiv';
const iso = (d: Date | undefined) => d?.toISOString();

describe('parseLocalDateTime', () => {
  it('reads both date orders and the T separator as local time in the zone', () => {
    expect(iso(parseLocalDateTime('21.11.2025 23:59', KYIV))).toBe('2025-11-21T21:59:00.000Z');
    expect(iso(parseLocalDateTime('2025-11-21 23:59', KYIV))).toBe('2025-11-21T21:59:00.000Z');
    expect(iso(parseLocalDateTime('2025-11-21T23:59', KYIV))).toBe('2025-11-21T21:59:00.000Z');
    expect(iso(parseLocalDateTime('  1.7.2026 9:05 ', KYIV))).toBe('2026-07-01T06:05:00.000Z'); // summer: UTC+3
    expect(iso(parseLocalDateTime('28.04.2026 10:00', 'Europe/Moscow'))).toBe('2026-04-28T07:00:00.000Z');
    expect(iso(parseLocalDateTime('28.04.2026 10:00', 'UTC'))).toBe('2026-04-28T10:00:00.000Z');
  });

  it('rejects impossible dates and times', () => {
    for (const text of ['31.02.2026 10:00', '2026-13-01 10:00', '29.02.2025 10:00', '01.03.2026 24:00', '01.03.2026 10:60', '01.03.2026', 'tomorrow 10:00', '']) {
      expect(parseLocalDateTime(text, KYIV), text).toBeUndefined();
    }
    expect(iso(parseLocalDateTime('29.02.2024 10:00', KYIV))).toBe('2024-02-29T08:00:00.000Z');
  });

  it('rejects a wall-clock time skipped by the spring DST jump instead of shifting it', () => {
    // Kyiv jumps 03:00 → 04:00 on 29 March 2026.
    expect(parseLocalDateTime('29.03.2026 03:30', KYIV)).toBeUndefined();
    expect(iso(parseLocalDateTime('29.03.2026 02:59', KYIV))).toBe('2026-03-29T00:59:00.000Z');
    expect(iso(parseLocalDateTime('29.03.2026 04:00', KYIV))).toBe('2026-03-29T01:00:00.000Z');
  });

  it('resolves a repeated autumn time to the later occurrence', () => {
    // 03:30 happens twice on 26 October 2025 (first at +03:00, then at +02:00).
    expect(iso(parseLocalDateTime('26.10.2025 03:30', KYIV))).toBe('2025-10-26T01:30:00.000Z');
  });

  it('returns undefined for an unknown zone', () => {
    expect(parseLocalDateTime('21.11.2025 23:59', 'Mars/Olympus')).toBeUndefined();
  });
});

describe('parseLocalDate', () => {
  it('normalises to YYYY-MM-DD and rejects impossible dates', () => {
    expect(parseLocalDate('21.11.2025')).toBe('2025-11-21');
    expect(parseLocalDate('1.3.2026')).toBe('2026-03-01');
    expect(parseLocalDate('2026-03-01')).toBe('2026-03-01');
    expect(parseLocalDate('29.02.2024')).toBe('2024-02-29');
    expect(parseLocalDate('29.02.2025')).toBeUndefined();
    expect(parseLocalDate('2026-02-30')).toBeUndefined();
    expect(parseLocalDate('2026-3-1')).toBeUndefined();
    expect(parseLocalDate('21.11.2025 23:59')).toBeUndefined();
  });
});

describe('formatLocalDateTime', () => {
  it('shows local wall-clock time with the zone abbreviation or offset', () => {
    const deadline = new Date('2025-11-21T21:59:00Z');
    expect(formatLocalDateTime(deadline, KYIV, 'en')).toMatch(/^21\.11\.2025 23:59 (EET|GMT\+2)$/);
    expect(formatLocalDateTime(deadline, KYIV, 'uk')).toMatch(/^21\.11\.2025 23:59 \S+/);
    expect(formatLocalDateTime(new Date('2026-07-01T06:05:00Z'), KYIV, 'pl')).toMatch(/^01\.07\.2026 09:05 (EEST|GMT\+3)$/);
    expect(formatLocalDateTime(deadline, 'UTC', 'en')).toMatch(/^21\.11\.2025 21:59 /);
  });

  it('round-trips with parseLocalDateTime', () => {
    const at = parseLocalDateTime('05.01.2026 18:30', KYIV)!;
    expect(formatLocalDateTime(at, KYIV, 'en').slice(0, 16)).toBe('05.01.2026 18:30');
  });
});

describe('months', () => {
  it('keys a month by the local calendar, not by UTC', () => {
    const justAfterMidnightMarch1 = new Date('2026-02-28T22:30:00Z'); // 00:30 on 1 March in Kyiv
    expect(monthKey(justAfterMidnightMarch1, KYIV)).toBe('2026-03');
    expect(monthKey(justAfterMidnightMarch1, 'UTC')).toBe('2026-02');
  });

  it('finds local midnight on the 1st in winter and summer time', () => {
    expect(iso(startOfMonth(new Date('2026-03-15T12:00:00Z'), KYIV))).toBe('2026-02-28T22:00:00.000Z');
    expect(iso(startOfMonth(new Date('2026-04-15T12:00:00Z'), KYIV))).toBe('2026-03-31T21:00:00.000Z');
  });

  it('steps months across year boundaries', () => {
    expect(previousMonth('2026-03')).toBe('2026-02');
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(addMonths('2025-11', 5)).toBe('2026-04');
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(() => previousMonth('2026-13')).toThrow(RangeError);
    expect(() => previousMonth('March')).toThrow(RangeError);
    expect(isMonthKey('2026-00')).toBe(false);
    expect(isMonthKey('2026-12')).toBe(true);
  });
});

describe('deadlines', () => {
  // Cities4Cities: applications until 21 November 2025, 23:59 Kyiv time.
  const deadline = parseDeadline('21.11.2025 23:59', KYIV)!;

  it('stores "23:59" as the last instant of that minute', () => {
    expect(iso(deadline)).toBe('2025-11-21T21:59:59.999Z');
  });

  it('keeps the whole 23:59 minute open and closes at 00:00', () => {
    expect(deadlineStatus(deadline, new Date('2025-11-21T21:59:00.000Z'))).toEqual({ state: 'closing_soon', msLeft: 59_999 });
    expect(deadlineStatus(deadline, new Date('2025-11-21T21:59:59.999Z'))).toEqual({ state: 'closing_soon', msLeft: 0 });
    expect(deadlineStatus(deadline, new Date('2025-11-21T22:00:00.000Z'))).toEqual({ state: 'closed' });
    expect(isOpen(deadline, new Date('2025-11-21T21:59:59.999Z'))).toBe(true);
    expect(isOpen(deadline, new Date('2025-11-21T22:00:00.000Z'))).toBe(false);
  });

  it('is open before the warning window and closing soon inside it', () => {
    const twoDaysBefore = new Date(deadline.getTime() - 48 * 3600_000);
    expect(deadlineStatus(deadline, twoDaysBefore)).toEqual({ state: 'open', msLeft: 48 * 3600_000 });
    const exactly24h = new Date(deadline.getTime() - 24 * 3600_000);
    expect(deadlineStatus(deadline, exactly24h).state).toBe('closing_soon');
    const justOver24h = new Date(deadline.getTime() - 24 * 3600_000 - 1);
    expect(deadlineStatus(deadline, justOver24h).state).toBe('open');
    expect(deadlineStatus(deadline, twoDaysBefore, 72 * 3600_000).state).toBe('closing_soon');
  });

  it('reports none without a deadline', () => {
    expect(deadlineStatus(null, new Date())).toEqual({ state: 'none' });
  });

  it('measures the warning window in real time across a DST change', () => {
    // Noon to noon over the spring-forward night is only 23 hours.
    const d = parseDeadline('29.03.2026 12:00', KYIV)!;
    const noonBefore = parseLocalDateTime('28.03.2026 12:00', KYIV)!;
    const status = deadlineStatus(d, noonBefore);
    expect(status).toEqual({ state: 'closing_soon', msLeft: 23 * 3600_000 + 59_999 });
  });

  it('reads a bare date as inclusive of the whole local day', () => {
    // School of urban heroes: registration until 28 April inclusive (Lipetsk, Moscow time).
    const d = parseDeadline('28.04.2026', 'Europe/Moscow')!;
    expect(iso(d)).toBe('2026-04-28T20:59:59.999Z');
    expect(deadlineStatus(d, new Date('2026-04-28T20:59:59.999Z')).state).toBe('closing_soon');
    expect(deadlineStatus(d, new Date('2026-04-28T21:00:00.000Z')).state).toBe('closed');
  });

  it('rejects deadlines that cannot exist', () => {
    expect(parseDeadline('29.03.2026 03:30', KYIV)).toBeUndefined();
    expect(parseDeadline('31.04.2026', KYIV)).toBeUndefined();
  });
});
