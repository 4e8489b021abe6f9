import { describe, expect, it } from 'vitest';
import {
  inactivity,
  mentorsToNudgeForMonth,
  monthlyNudgeDue,
  monthlyProgress,
  visitSummary,
  type MentoringLog,
  type Visit,
} from '../src/domain/progress.js';

const KYIV = 'Europe/Kyiv';
const DAY = 24 * 3600_000;

describe('monthlyProgress', () => {
  const logs: MentoringLog[] = [
    { date: '2025-11-10', amount: 1, activity: 'preparation' }, // before the start
    { date: '2025-11-20', amount: 1, activity: 'online_session' },
    { date: '2025-11-20', amount: 0.5, activity: 'preparation' }, // same day: still one day
    { date: '2025-11-27', amount: 1, activity: 'visit' },
    { date: '2025-12-05', amount: 0.5, activity: 'online_session' },
    { date: '2025-12-12', amount: 1, activity: 'programme_event' },
    { date: '2026-04-30', amount: 1, activity: 'other' },
    { date: '2026-05-01', amount: 1, activity: 'other' }, // after the sixth month
  ];
  const progress = monthlyProgress(logs, { start: '2025-11-15', months: 6, targetDaysPerMonth: 2 });

  it('lists the six programme months with days against the target', () => {
    expect(progress.months.map((m) => [m.month, m.days, m.target, m.met])).toEqual([
      ['2025-11', 2, 2, true],
      ['2025-12', 1.5, 2, false],
      ['2026-01', 0, 2, false],
      ['2026-02', 0, 2, false],
      ['2026-03', 0, 2, false],
      ['2026-04', 1, 2, false],
    ]);
  });

  it('totals days, target and months met, keeping logs outside the programme apart', () => {
    expect(progress.totals).toEqual({ days: 4.5, target: 12, monthsMet: 1 });
    expect(progress.outsideProgrammeDays).toBe(2);
  });

  it('keeps the raw split by activity', () => {
    expect(progress.months[0]!.byActivity).toEqual({ online_session: 1, preparation: 0.5, visit: 1 });
  });

  it('uses the defaults of the Cities4Cities format', () => {
    const p = monthlyProgress([], { start: '2025-12-01' });
    expect(p.months).toHaveLength(6);
    expect(p.months[5]!.month).toBe('2026-05');
    expect(p.totals.target).toBe(12);
  });

  it('rejects malformed dates rather than miscounting them', () => {
    expect(() => monthlyProgress([{ date: '20.11.2025', amount: 1, activity: 'other' }], { start: '2025-11-01' })).toThrow(RangeError);
    expect(() => monthlyProgress([], { start: '2025-02-30' })).toThrow(RangeError);
  });
});

describe('visitSummary', () => {
  it('maps visits onto the handbook sequence: mentee city, mentor city, mentee city', () => {
    const visits: Visit[] = [
      { number: 1, doneOn: '2025-12-10', city: 'Bucha', kind: 'mentee_city' },
      { number: 2, plannedFor: '2026-02-10', city: 'Wrocław', kind: 'mentor_city' },
    ];
    const s = visitSummary(visits);
    expect(s.slots.map((v) => [v.number, v.expectedKind, v.status])).toEqual([
      [1, 'mentee_city', 'done'],
      [2, 'mentor_city', 'planned'],
      [3, 'mentee_city', 'missing'],
    ]);
    expect([s.planned, s.done]).toEqual([1, 1]);
    expect(s.tripToTeamDone).toBe(true);
  });

  it('counts a trip to the team only when a visit in the mentee city is done', () => {
    expect(visitSummary([{ number: 2, doneOn: '2026-02-10', city: 'Wrocław', kind: 'mentor_city' }]).tripToTeamDone).toBe(false);
    expect(visitSummary([{ number: 1, plannedFor: '2026-01-10', city: 'Bucha', kind: 'mentee_city' }]).tripToTeamDone).toBe(false);
    expect(visitSummary([{ number: 3, doneOn: '2026-04-10', city: 'Bucha', kind: 'mentee_city' }]).tripToTeamDone).toBe(true);
  });

  it('flags a visit held somewhere other than the handbook says', () => {
    const s = visitSummary([{ number: 1, doneOn: '2025-12-10', city: 'Wrocław', kind: 'mentor_city' }]);
    expect(s.slots[0]!.kindMatches).toBe(false);
    expect(s.tripToTeamDone).toBe(false);
  });

  it('prefers the done record when a plan and a done visit share a number', () => {
    const s = visitSummary([
      { number: 3, plannedFor: '2026-04-01', city: 'Bucha', kind: 'mentee_city' },
      { number: 3, plannedFor: '2026-04-01', doneOn: '2026-04-03', city: 'Bucha', kind: 'mentee_city' },
    ]);
    expect(s.slots[2]!.status).toBe('done');
    expect(s.slots[2]!.visit?.doneOn).toBe('2026-04-03');
    expect([s.planned, s.done]).toEqual([0, 1]);
  });
});

describe('inactivity', () => {
  const pairStartedAt = new Date('2026-01-01T09:00:00Z');
  const at = (days: number, from = pairStartedAt) => new Date(from.getTime() + days * DAY);

  it('nudges after 30 idle days and alerts the coordinator 7 days later', () => {
    expect(inactivity({ pairStartedAt, now: new Date(at(30).getTime() - 1) })).toBe('active');
    expect(inactivity({ pairStartedAt, now: at(30) })).toBe('nudge');
    expect(inactivity({ pairStartedAt, now: new Date(at(37).getTime() - 1) })).toBe('nudge');
    expect(inactivity({ pairStartedAt, now: at(37) })).toBe('alert_coordinator');
  });

  it('counts from the latest session or log', () => {
    const lastSessionAt = at(20);
    const lastLogAt = at(40);
    expect(inactivity({ pairStartedAt, lastSessionAt, now: at(50) })).toBe('nudge');
    expect(inactivity({ pairStartedAt, lastSessionAt, now: at(57) })).toBe('alert_coordinator');
    expect(inactivity({ pairStartedAt, lastSessionAt, lastLogAt, now: at(57) })).toBe('active');
    expect(inactivity({ pairStartedAt, lastSessionAt, lastLogAt, now: at(70) })).toBe('nudge');
  });

  it('treats a scheduled future session as activity', () => {
    expect(inactivity({ pairStartedAt, lastSessionAt: at(50), lastLogAt: null, now: at(45) })).toBe('active');
  });

  it('honours custom thresholds', () => {
    expect(inactivity({ pairStartedAt, now: at(14), nudgeAfterDays: 14, alertAfterDays: 3 })).toBe('nudge');
    expect(inactivity({ pairStartedAt, now: at(17), nudgeAfterDays: 14, alertAfterDays: 3 })).toBe('alert_coordinator');
  });
});

describe('mentorsToNudgeForMonth', () => {
  it('returns the mentors who logged nothing in that month', () => {
    const mentors = [
      { id: 'a', logs: [{ date: '2026-02-03' }] },
      { id: 'b', logs: [{ date: '2026-01-31' }, { date: '2026-03-01' }] },
      { id: 'c', logs: [] },
      { id: 'd', logs: [{ date: '2026-02-28' }] },
    ];
    expect(mentorsToNudgeForMonth(mentors, '2026-02').map((m) => m.id)).toEqual(['b', 'c']);
    expect(mentorsToNudgeForMonth(mentors, '2026-03').map((m) => m.id)).toEqual(['a', 'c', 'd']);
  });
});

describe('monthlyNudgeDue', () => {
  // 1 March 2026, Kyiv is UTC+2.
  it('is due from 10:00 local on the 1st until sent', () => {
    expect(monthlyNudgeDue(new Date('2026-03-01T07:59:59Z'), KYIV, '2026-01')).toBeUndefined();
    expect(monthlyNudgeDue(new Date('2026-03-01T08:00:00Z'), KYIV, '2026-01')).toBe('2026-02');
    expect(monthlyNudgeDue(new Date('2026-03-01T08:00:00Z'), KYIV, '2026-02')).toBeUndefined();
    // A restart on the 15th still sends the missed nudge.
    expect(monthlyNudgeDue(new Date('2026-03-15T12:00:00Z'), KYIV, '2026-01')).toBe('2026-02');
    expect(monthlyNudgeDue(new Date('2026-01-01T08:00:00Z'), KYIV, '2025-11')).toBe('2025-12');
  });

  it('uses the local clock of the zone', () => {
    const t = new Date('2026-03-01T08:30:00Z'); // 10:30 in Kyiv, 08:30 in UTC
    expect(monthlyNudgeDue(t, KYIV, '2026-01')).toBe('2026-02');
    expect(monthlyNudgeDue(t, 'UTC', '2026-01')).toBeUndefined();
  });

  it('sends once per month over ticks and restarts, and only the latest after a long outage', () => {
    let lastSent: string | undefined = '2026-01';
    const sentAt: Array<[string, string]> = [];
    // A tick every 15 minutes from 27 Feb to 3 Mar, with the bot down 1 Mar 06:00–11:40 local.
    for (let t = Date.parse('2026-02-27T00:00:00Z'); t < Date.parse('2026-03-03T00:00:00Z'); t += 15 * 60_000) {
      if (t >= Date.parse('2026-03-01T04:00:00Z') && t < Date.parse('2026-03-01T09:40:00Z')) continue;
      const due = monthlyNudgeDue(new Date(t), KYIV, lastSent);
      if (due) {
        sentAt.push([due, new Date(t).toISOString()]);
        lastSent = due;
      }
    }
    expect(sentAt).toEqual([['2026-02', '2026-03-01T09:45:00.000Z']]);
    // Down since December: January is not sent late, February is.
    expect(monthlyNudgeDue(new Date('2026-03-02T10:00:00Z'), KYIV, '2025-11')).toBe('2026-02');
  });
});
