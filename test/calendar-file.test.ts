import { describe, expect, it } from 'vitest';
import { buildSessionIcs, sessionIcsFileName, sessionUid, type SessionCalendarInput } from '../src/domain/calendar-file.js';
import { parseLocalDateTime } from '../src/domain/time-zone.js';

interface Prop {
  name: string;
  params: Record<string, string>;
  value: string;
}

/** Minimal RFC 5545 reader: unfolds lines, splits name;params:value, unescapes text. */
function parseIcs(text: string): Prop[] {
  expect(text).toMatch(/\r\n$/);
  const unfolded = text.replace(/\r\n[ \t]/g, '');
  return unfolded
    .split('\r\n')
    .filter(Boolean)
    .map((line) => {
      // The first ':' outside a quoted parameter value separates name/params from the value.
      let inQuotes = false;
      let colon = -1;
      for (let i = 0; i < line.length; i++) {
        if (line[i] === '"') inQuotes = !inQuotes;
        else if (line[i] === ':' && !inQuotes) {
          colon = i;
          break;
        }
      }
      const [name, ...rawParams] = line.slice(0, colon).split(';');
      const params = Object.fromEntries(
        rawParams.map((p) => {
          const [k, v = ''] = p.split('=');
          return [k!, v.replace(/^"|"$/g, '')];
        }),
      );
      const value = line
        .slice(colon + 1)
        .replace(/\\n/gi, '\n')
        .replace(/\\([,;\\])/g, '$1');
      return { name: name!, params, value };
    });
}

function event(props: Prop[]): Map<string, Prop> {
  const begin = props.findIndex((p) => p.name === 'BEGIN' && p.value === 'VEVENT');
  const end = props.findIndex((p) => p.name === 'END' && p.value === 'VEVENT');
  expect(begin).toBeGreaterThan(0);
  return new Map(props.slice(begin + 1, end).map((p) => [p.name, p]));
}

const header = (props: Prop[], name: string) => props.find((p) => p.name === name)?.value;

const base: SessionCalendarInput = {
  id: 42,
  title: 'Mentoring session: international cooperation strategy',
  // 18:30 in Kyiv in winter is 16:30 UTC.
  startsAt: parseLocalDateTime('05.01.2026 18:30', 'Europe/Kyiv')!,
  durationMinutes: 90,
  location: 'Lviv, City Hall; room 3',
  description:
    'Agenda:\n1. Needs analysis review\n2. First contacts with potential international partners\n3. Next steps, with a long line that the ics writer has to fold across several physical lines',
  organizer: { name: 'Olena Koval' },
  now: new Date('2025-12-20T10:00:00Z'),
};

describe('buildSessionIcs', () => {
  it('writes the session with a UTC start, title, place, agenda and a stable UID', () => {
    const props = parseIcs(buildSessionIcs(base));
    expect(header(props, 'VERSION')).toBe('2.0');
    expect(header(props, 'METHOD')).toBe('PUBLISH');
    const ev = event(props);
    expect(ev.get('DTSTART')?.value).toBe('20260105T163000Z');
    expect(ev.get('DURATION')?.value).toBe('PT90M');
    expect(ev.get('SUMMARY')?.value).toBe(base.title);
    expect(ev.get('LOCATION')?.value).toBe('Lviv, City Hall; room 3');
    expect(ev.get('DESCRIPTION')?.value).toBe(base.description);
    expect(ev.get('UID')?.value).toBe('session-42@citymentor');
    expect(ev.get('SEQUENCE')?.value).toBe('0');
    expect(ev.get('STATUS')?.value).toBe('CONFIRMED');
    expect(ev.get('DTSTAMP')?.value).toBe('20251220T100000Z');
    expect(ev.get('ORGANIZER')?.params.CN).toBe('Olena Koval');
    expect(ev.get('ORGANIZER')?.value).toMatch(/^mailto:/i);
    expect(ev.get('CLASS')?.value).toBe('PRIVATE');
  });

  it('keeps the UID and raises SEQUENCE on a reschedule', () => {
    const moved = parseIcs(
      buildSessionIcs({ ...base, startsAt: new Date('2026-01-07T08:00:00Z'), sequence: 1, now: new Date('2025-12-21T10:00:00Z') }),
    );
    const ev = event(moved);
    expect(ev.get('UID')?.value).toBe(sessionUid(42));
    expect(ev.get('SEQUENCE')?.value).toBe('1');
    expect(ev.get('DTSTART')?.value).toBe('20260107T080000Z');
  });

  it('marks a cancellation with METHOD:CANCEL and STATUS:CANCELLED', () => {
    const props = parseIcs(buildSessionIcs({ ...base, cancelled: true, sequence: 2 }));
    expect(header(props, 'METHOD')).toBe('CANCEL');
    const ev = event(props);
    expect(ev.get('STATUS')?.value).toBe('CANCELLED');
    expect(ev.get('SEQUENCE')?.value).toBe('2');
    expect(ev.get('UID')?.value).toBe('session-42@citymentor');
  });

  it('puts the meeting link in URL and, without an address, in LOCATION', () => {
    const url = 'https://meet.example.org/citymentor-42';
    const ev = event(parseIcs(buildSessionIcs({ ...base, location: undefined, url, organizer: { name: 'C4C', email: 'team@example.org' } })));
    expect(ev.get('URL')?.value).toBe(url);
    expect(ev.get('LOCATION')?.value).toBe(url);
    expect(ev.get('ORGANIZER')?.value.toLowerCase()).toBe('mailto:team@example.org');
  });

  it('uses an in-memory timestamp for DTSTAMP so the output is reproducible', () => {
    expect(buildSessionIcs(base)).toBe(buildSessionIcs({ ...base }));
  });

  it('throws on input the ics package or the calendar rules reject', () => {
    expect(() => buildSessionIcs({ ...base, url: 'not a url' })).toThrow();
    expect(() => buildSessionIcs({ ...base, organizer: { name: 'X', email: 'not-an-email' } })).toThrow();
    expect(() => buildSessionIcs({ ...base, startsAt: new Date(Number.NaN) })).toThrow(RangeError);
    expect(() => buildSessionIcs({ ...base, durationMinutes: 0 })).toThrow(RangeError);
    expect(() => buildSessionIcs({ ...base, sequence: -1 })).toThrow(RangeError);
  });

  it('names the file after the session', () => {
    expect(sessionIcsFileName(42)).toBe('session-42.ics');
  });
});
