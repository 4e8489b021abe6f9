import { munkres } from 'munkres';
import { describe, expect, it } from 'vitest';
import {
  assignAll,
  DEFAULT_WEIGHTS,
  describePopulation,
  isIneligibility,
  MatchingInputError,
  maximumWeightAssignment,
  mergeWeights,
  scorePair,
  topMentors,
  type AssignmentConstraints,
  type MatchingWeights,
  type MentorCandidate,
  type Reason,
  type TeamCandidate,
} from '../src/domain/matching.js';
// Seeded, so a failing case can be replayed.
import { prng } from '../bench/support/random.js';

function mentor(id: number, fields: Partial<MentorCandidate> = {}): MentorCandidate {
  return {
    id,
    themes: [],
    languages: ['en'],
    capacity: 1,
    currentLoad: 0,
    availability: { sixMonths: true, travel: true, meetings: true },
    ...fields,
  };
}

function team(id: number, fields: Partial<TeamCandidate> = {}): TeamCandidate {
  return { id, themes: [], languages: ['en'], ...fields };
}

function reason<K extends Reason['kind']>(reasons: Reason[], kind: K): Extract<Reason, { kind: K }> | undefined {
  return reasons.find((r): r is Extract<Reason, { kind: K }> => r.kind === kind);
}

const none = { sixMonths: false, travel: false, meetings: false };
const W = DEFAULT_WEIGHTS;

describe('scorePair', () => {
  it('lists the shared themes in the team’s words and scores each one', () => {
    const result = scorePair(
      mentor(1, { themes: ['municipal_finance', 'Participation', 'communication', 'integration'] }),
      team(2, { themes: ['participation', ' communication ', 'municipal_finance', 'grant_funding'] }),
    );
    expect(result.eligible).toBe(true);
    expect(reason(result.reasons, 'themes')?.shared).toEqual(['participation', 'communication', 'municipal_finance']);
    expect(reason(result.reasons, 'languages')?.shared).toEqual(['en']);
    expect(reason(result.reasons, 'availability')?.missing).toEqual([]);
    expect(result.score).toBe(3 * W.theme + 3 * W.availability);
  });

  it('counts a broad mentor theme as experience with the narrower themes it includes', () => {
    const result = scorePair(
      mentor(1, { themes: ['international_cooperation'], availability: none }),
      team(2, { themes: ['cooperation_strategy', 'municipal_finance'] }),
    );
    expect(reason(result.reasons, 'themes')?.shared).toEqual(['cooperation_strategy']);
    expect(result.score).toBe(W.theme);
  });

  it('requires a shared working language', () => {
    const result = scorePair(mentor(1, { languages: ['pl', 'de'], themes: ['integration'] }), team(2, { languages: ['uk'], themes: ['integration'] }));
    expect(result.eligible).toBe(false);
    expect(result.reasons[0]).toEqual({ kind: 'no_shared_language' });
    expect(reason(result.reasons, 'languages')).toBeUndefined();

    const regional = scorePair(mentor(1, { languages: ['en-GB'] }), team(2, { languages: ['EN', 'uk'] }));
    expect(regional.eligible).toBe(true);
    expect(reason(regional.reasons, 'languages')?.shared).toEqual(['EN']);
  });

  it('scores similar populations higher than very different ones, and unknown ones not at all', () => {
    const similar = scorePair(mentor(1, { population: 42_000 }), team(2, { population: 38_000 }));
    const different = scorePair(mentor(1, { population: 5_000 }), team(2, { population: 500_000 }));
    const unknown = scorePair(mentor(1), team(2, { population: 38_000 }));
    expect(similar.score).toBeGreaterThan(different.score);
    expect(different.score).toBeGreaterThan(unknown.score);
    expect(reason(similar.reasons, 'population')).toMatchObject({ mentor: 42_000, team: 38_000 });
    expect(reason(similar.reasons, 'population')!.similarity).toBeGreaterThan(0.9);
    expect(reason(different.reasons, 'population')!.similarity).toBeLessThan(0.02);
    expect(reason(unknown.reasons, 'population')).toBeUndefined();
    expect(unknown.score).toBe(3 * W.availability);
  });

  it('never lets a mentor mentor their own municipality', () => {
    const own = scorePair(
      mentor(1, { country: 'Ukraine', city: ' Nova Odesa' }),
      team(2, { country: 'UKRAINE ', city: 'nova  odesa' }),
    );
    expect(own.eligible).toBe(false);
    expect(own.reasons).toContainEqual({ kind: 'conflict' });

    const namesake = scorePair(mentor(1, { country: 'Poland', city: 'Lviv' }), team(2, { country: 'Ukraine', city: 'Lviv' }));
    expect(namesake.eligible).toBe(true);
    expect(namesake.reasons.some(isIneligibility)).toBe(false);
  });

  it('treats a mentor at capacity as full', () => {
    const full = scorePair(mentor(1, { capacity: 1, currentLoad: 1 }), team(2));
    expect(full.eligible).toBe(false);
    expect(full.reasons).toContainEqual({ kind: 'full' });
    expect(scorePair(mentor(1, { capacity: 2, currentLoad: 1 }), team(2)).eligible).toBe(true);
  });

  it('rewards the same country and region and lists missing availability', () => {
    const result = scorePair(
      mentor(1, { country: 'Latvia', region: 'Vidzeme', availability: { sixMonths: true, travel: false, meetings: true } }),
      team(2, { country: 'latvia', region: 'VIDZEME' }),
    );
    expect(result.reasons).toContainEqual({ kind: 'same_country' });
    expect(result.reasons).toContainEqual({ kind: 'same_region' });
    expect(reason(result.reasons, 'availability')?.missing).toEqual(['travel']);
    expect(result.score).toBe(W.sameCountry + W.sameRegion + 2 * W.availability);

    const otherCountry = scorePair(mentor(1, { country: 'Estonia', region: 'Vidzeme' }), team(2, { country: 'Latvia', region: 'Vidzeme' }));
    expect(reason(otherCountry.reasons, 'same_region')).toBeUndefined();
  });

  it('lets one more shared theme outweigh every other criterion together', () => {
    const themesOnly = scorePair(
      mentor(1, { themes: ['integration', 'participation'], availability: none }),
      team(3, { themes: ['integration', 'participation'], country: 'Ukraine', region: 'Volyn', population: 40_000 }),
    );
    const everythingElse = scorePair(
      mentor(2, { themes: ['integration'], country: 'Ukraine', region: 'Volyn', population: 40_000 }),
      team(3, { themes: ['integration', 'participation'], country: 'Ukraine', region: 'Volyn', population: 40_000 }),
    );
    expect(themesOnly.score).toBeGreaterThan(everythingElse.score);
  });
});

describe('mergeWeights', () => {
  it('fills what the coordinator left out from the defaults', () => {
    expect(mergeWeights(undefined)).toEqual({ ok: true, weights: { ...DEFAULT_WEIGHTS } });
    expect(mergeWeights({ theme: 20, population: 0 })).toEqual({
      ok: true,
      weights: { ...DEFAULT_WEIGHTS, theme: 20, population: 0 },
    });
  });

  it('rejects negatives, non-numbers and unknown keys', () => {
    const result = mergeWeights({ theme: -1, sameCountry: Number.NaN, sameRegion: '2', population: Infinity, colour: 1 });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual([
      { key: 'theme', problem: 'negative' },
      { key: 'sameCountry', problem: 'not_a_number' },
      { key: 'sameRegion', problem: 'not_a_number' },
      { key: 'population', problem: 'not_a_number' },
      { key: 'colour', problem: 'unknown_key' },
    ]);
    expect(mergeWeights([1, 2])).toEqual({ ok: false, errors: [{ key: '', problem: 'not_an_object' }] });
    expect(Object.isFrozen(DEFAULT_WEIGHTS)).toBe(true);
  });
});

describe('topMentors', () => {
  const target = team(100, { themes: ['integration', 'participation', 'communication'], languages: ['uk'] });
  const pool = [
    mentor(7, { themes: ['integration'], languages: ['uk'], availability: none }),
    mentor(3, { themes: ['integration', 'participation', 'communication'], languages: ['pl'] }), // no language
    mentor(5, { themes: ['integration'], languages: ['uk'], availability: none }), // ties with 7
    mentor(1, { themes: ['integration', 'participation'], languages: ['uk'] }),
    mentor(9, { themes: ['integration', 'participation', 'communication'], languages: ['uk'], currentLoad: 1 }), // full
    mentor(2, { themes: [], languages: ['uk', 'en'] }),
    mentor(4, { themes: ['communication', 'integration', 'participation'], languages: ['UK'] }),
  ];

  it('ranks eligible mentors by score, equal scores by id', () => {
    const ranked = topMentors(target, pool);
    expect(ranked.map((r) => r.mentorId)).toEqual([4, 1, 5, 7, 2]);
    expect(ranked[0]!.score).toBe(3 * W.theme + 3 * W.availability);
    expect(reason(ranked[0]!.reasons, 'themes')?.shared).toHaveLength(3);
  });

  it('honours the limit', () => {
    expect(topMentors(target, pool, W, 2).map((r) => r.mentorId)).toEqual([4, 1]);
    expect(topMentors(target, pool, W, 0)).toEqual([]);
  });
});

describe('describePopulation', () => {
  it('writes short sizes', () => {
    expect(describePopulation(850)).toBe('850');
    expect(describePopulation(0)).toBe('0');
    expect(describePopulation(1_234)).toBe('1.2k');
    expect(describePopulation(5_000)).toBe('5k');
    expect(describePopulation(42_000)).toBe('42k');
    expect(describePopulation(38_499)).toBe('38k');
    expect(describePopulation(999_600)).toBe('1M');
    expect(describePopulation(1_200_000)).toBe('1.2M');
    expect(describePopulation(12_345_678)).toBe('12M');
    expect(describePopulation(Number.NaN)).toBe('?');
  });
});

function pairsOf(plan: ReturnType<typeof assignAll>): Array<[number, number]> {
  return plan.pairs.map((p) => [p.mentorId, p.teamId]);
}

describe('assignAll', () => {
  it('respects capacities and leaves a team unmatched when no mentor is left', () => {
    const mentors = [
      mentor(1, { themes: ['integration'], capacity: 2 }),
      mentor(2, { themes: ['integration'], capacity: 1, currentLoad: 1 }),
    ];
    const teams = [team(10, { themes: ['integration'] }), team(11, { themes: ['integration'] }), team(12)];
    const plan = assignAll(mentors, teams);
    expect(pairsOf(plan)).toEqual([
      [1, 10],
      [1, 11],
    ]);
    expect(plan.unmatchedTeams).toEqual([12]);
    expect(plan.totalScore).toBe(plan.pairs[0]!.score + plan.pairs[1]!.score);
  });

  it('optimizes the whole pool rather than each team greedily', () => {
    const mentors = [
      mentor(1, { themes: ['integration', 'participation', 'communication'], languages: ['uk', 'en'] }),
      mentor(2, { themes: ['integration', 'participation'], languages: ['en'] }),
    ];
    const teams = [
      team(10, { themes: ['integration', 'participation', 'communication'], languages: ['en'] }),
      team(11, { themes: ['integration', 'participation'], languages: ['uk'] }), // only mentor 1 speaks uk
    ];
    const plan = assignAll(mentors, teams);
    expect(pairsOf(plan)).toEqual([
      [2, 10],
      [1, 11],
    ]);
    expect(plan.unmatchedTeams).toEqual([]);
  });

  it('never assigns ineligible or forbidden pairs', () => {
    const mentors = [
      mentor(1, { themes: ['integration'], country: 'UA', city: 'Kovel' }),
      mentor(2, { themes: ['integration'], languages: ['de'] }),
      mentor(3, { themes: ['integration'], currentLoad: 1 }),
      mentor(4, { themes: ['integration'] }),
    ];
    const teams = [team(10, { themes: ['integration'], country: 'ua', city: 'KOVEL' })];
    expect(assignAll(mentors, teams, W, { pinned: [], forbidden: [[4, 10]] })).toEqual({
      pairs: [],
      totalScore: 0,
      unmatchedTeams: [10],
    });
    expect(pairsOf(assignAll(mentors, teams))).toEqual([[4, 10]]);
  });

  it('honours pins, even ineligible ones, and lets them use up capacity', () => {
    const mentors = [
      mentor(1, { themes: ['integration'], languages: ['pl'] }),
      mentor(2, { themes: ['integration'] }),
    ];
    const teams = [team(10, { themes: ['integration'] }), team(11, { themes: ['integration'] })];
    const plan = assignAll(mentors, teams, W, { pinned: [[2, 11], [1, 10]], forbidden: [] });
    expect(plan.pairs).toHaveLength(2);
    expect(plan.pairs[0]).toMatchObject({ mentorId: 1, teamId: 10, pinned: true, eligible: false });
    expect(plan.pairs[0]!.reasons).toContainEqual({ kind: 'no_shared_language' });
    expect(plan.pairs[1]).toMatchObject({ mentorId: 2, teamId: 11, pinned: true, eligible: true });

    // Mentor 2's one place is taken by the pin, so team 10 stays without a mentor.
    const pinnedOnly = assignAll(mentors, teams, W, { pinned: [[2, 11]], forbidden: [] });
    expect(pairsOf(pinnedOnly)).toEqual([[2, 11]]);
    expect(pinnedOnly.unmatchedTeams).toEqual([10]);
  });

  it('rejects contradictory constraints', () => {
    const mentors = [mentor(1), mentor(2)];
    const teams = [team(10)];
    const code = (constraints: AssignmentConstraints) => {
      try {
        assignAll(mentors, teams, W, constraints);
        return undefined;
      } catch (error) {
        return error instanceof MatchingInputError ? error.code : error;
      }
    };
    expect(code({ pinned: [[1, 10]], forbidden: [[1, 10]] })).toBe('pinned_and_forbidden');
    expect(code({ pinned: [[1, 10], [2, 10]], forbidden: [] })).toBe('team_pinned_twice');
    expect(code({ pinned: [[3, 10]], forbidden: [] })).toBe('unknown_mentor');
    expect(code({ pinned: [[1, 10], [1, 10]], forbidden: [[3, 99]] })).toBeUndefined();
    expect(() => assignAll([mentor(1), mentor(1)], teams)).toThrow(MatchingInputError);
  });

  it('matches a brute-force search on small random pools', () => {
    const random = prng(20240611);
    const themes = ['integration', 'participation', 'communication', 'grant_funding'];
    const languages = ['uk', 'en', 'pl'];
    const some = <T>(items: T[], p: number) => items.filter(() => random() < p);
    for (let round = 0; round < 40; round++) {
      const mentors = Array.from({ length: 1 + Math.floor(random() * 5) }, (_, k) =>
        mentor(k + 1, {
          themes: some(themes, 0.5),
          languages: some(languages, 0.5),
          city: random() < 0.3 ? 'Kovel' : undefined,
          population: random() < 0.8 ? Math.floor(1_000 + random() * 200_000) : undefined,
          capacity: Math.floor(random() * 3),
          currentLoad: Math.floor(random() * 2),
          availability: { sixMonths: random() < 0.5, travel: random() < 0.5, meetings: random() < 0.5 },
        }),
      );
      const teams = Array.from({ length: 1 + Math.floor(random() * 5) }, (_, k) =>
        team(100 + k, {
          themes: some(themes, 0.5),
          languages: some(languages, 0.6),
          city: random() < 0.3 ? 'kovel' : undefined,
          population: random() < 0.8 ? Math.floor(1_000 + random() * 200_000) : undefined,
        }),
      );
      const forbidden: Array<[number, number]> = [];
      for (const m of mentors) for (const t of teams) if (random() < 0.15) forbidden.push([m.id, t.id]);
      const pinned: Array<[number, number]> = [];
      if (random() < 0.4) {
        const m = mentors[Math.floor(random() * mentors.length)]!;
        const t = teams[Math.floor(random() * teams.length)]!;
        if (!forbidden.some(([a, b]) => a === m.id && b === t.id)) pinned.push([m.id, t.id]);
      }

      const plan = assignAll(mentors, teams, W, { pinned, forbidden });
      const expected = bruteForce(mentors, teams, W, { pinned, forbidden });
      const context = `round ${round}`;
      expect(plan.pairs.length, context).toBe(expected.matched);
      expect(plan.totalScore, context).toBeCloseTo(expected.total, 9);
      checkPlan(plan, mentors, teams, { pinned, forbidden });
    }
  });

  it('handles 2,000 mentors and 500 teams', () => {
    const random = prng(7);
    const themes = ['integration', 'participation', 'communication', 'grant_funding', 'municipal_finance', 'project_management'];
    const languages = ['uk', 'en', 'pl', 'lv', 'ru'];
    const some = <T>(items: T[], p: number) => items.filter(() => random() < p);
    const mentors = Array.from({ length: 2000 }, (_, k) =>
      mentor(k + 1, {
        themes: some(themes, 0.4),
        languages: some(languages, 0.35),
        country: random() < 0.5 ? 'UA' : 'PL',
        city: `c${Math.floor(random() * 200)}`,
        population: Math.floor(1_000 + random() * 500_000),
        capacity: 1 + Math.floor(random() * 2),
        currentLoad: Math.floor(random() * 2),
      }),
    );
    const teams = Array.from({ length: 500 }, (_, k) =>
      team(10_000 + k, {
        themes: some(themes, 0.4),
        languages: some(languages, 0.35),
        country: random() < 0.5 ? 'UA' : 'PL',
        city: `c${Math.floor(random() * 200)}`,
        population: Math.floor(1_000 + random() * 500_000),
      }),
    );
    const started = performance.now();
    const plan = assignAll(mentors, teams);
    expect(performance.now() - started).toBeLessThan(10_000);
    checkPlan(plan, mentors, teams, { pinned: [], forbidden: [] });
    expect(plan.pairs.length).toBeGreaterThan(400);
    // No unmatched team could simply have taken a mentor with room left.
    const taken = new Map<number, number>();
    for (const pair of plan.pairs) taken.set(pair.mentorId, (taken.get(pair.mentorId) ?? 0) + 1);
    const withRoom = mentors.filter((m) => (taken.get(m.id) ?? 0) < m.capacity - m.currentLoad);
    for (const id of plan.unmatchedTeams) {
      const unmatched = teams.find((t) => t.id === id)!;
      expect(withRoom.filter((m) => scorePair(m, unmatched).eligible)).toEqual([]);
    }
  });
});

/** Validity of a plan: capacities, eligibility, forbids, pins, and the totals it reports. */
function checkPlan(
  plan: ReturnType<typeof assignAll>,
  mentors: MentorCandidate[],
  teams: TeamCandidate[],
  constraints: AssignmentConstraints,
): void {
  const key = (m: number, t: number) => `${m}:${t}`;
  const pinned = new Set(constraints.pinned.map(([m, t]) => key(m, t)));
  const forbidden = new Set(constraints.forbidden.map(([m, t]) => key(m, t)));
  const seenTeams = new Set<number>();
  const load = new Map<number, number>();
  let total = 0;
  for (const pair of plan.pairs) {
    expect(seenTeams.has(pair.teamId)).toBe(false);
    seenTeams.add(pair.teamId);
    load.set(pair.mentorId, (load.get(pair.mentorId) ?? 0) + 1);
    total += pair.score;
    expect(pair.pinned).toBe(pinned.has(key(pair.mentorId, pair.teamId)));
    if (!pair.pinned) {
      expect(pair.eligible).toBe(true);
      expect(forbidden.has(key(pair.mentorId, pair.teamId))).toBe(false);
    }
  }
  for (const p of pinned) expect(plan.pairs.some((pair) => key(pair.mentorId, pair.teamId) === p)).toBe(true);
  for (const m of mentors) {
    const pins = constraints.pinned.filter(([id]) => id === m.id).length;
    expect(load.get(m.id) ?? 0).toBeLessThanOrEqual(Math.max(pins, m.capacity - m.currentLoad));
  }
  expect(plan.totalScore).toBeCloseTo(total, 9);
  expect([...seenTeams, ...plan.unmatchedTeams].sort((a, b) => a - b)).toEqual(teams.map((t) => t.id).sort((a, b) => a - b));
}

/** Every way to give each unpinned team one allowed mentor or none: most teams matched, then best total. */
function bruteForce(
  mentors: MentorCandidate[],
  teams: TeamCandidate[],
  weights: MatchingWeights,
  constraints: AssignmentConstraints,
): { matched: number; total: number } {
  const forbidden = new Set(constraints.forbidden.map(([m, t]) => `${m}:${t}`));
  const pinnedTeam = new Map(constraints.pinned.map(([m, t]) => [t, m]));
  const left = new Map(
    mentors.map((m) => [m.id, m.capacity - m.currentLoad - constraints.pinned.filter(([id]) => id === m.id).length]),
  );
  let pinnedTotal = 0;
  for (const [t, m] of pinnedTeam) {
    pinnedTotal += scorePair(mentors.find((x) => x.id === m)!, teams.find((x) => x.id === t)!, weights).score;
  }
  const free = teams.filter((t) => !pinnedTeam.has(t.id));
  const options = free.map((t) =>
    mentors
      .filter((m) => !forbidden.has(`${m.id}:${t.id}`))
      .map((m) => ({ id: m.id, ...scorePair(m, t, weights) }))
      .filter((o) => o.eligible),
  );
  let best = { matched: -1, total: -Infinity };
  const walk = (k: number, matched: number, total: number): void => {
    if (k === free.length) {
      if (matched > best.matched || (matched === best.matched && total > best.total + 1e-9)) best = { matched, total };
      return;
    }
    walk(k + 1, matched, total);
    for (const option of options[k]!) {
      const room = left.get(option.id)!;
      if (room <= 0) continue;
      left.set(option.id, room - 1);
      walk(k + 1, matched + 1, total + option.score);
      left.set(option.id, room);
    }
  };
  walk(0, 0, 0);
  return { matched: best.matched + constraints.pinned.length, total: best.total + pinnedTotal };
}

describe('maximumWeightAssignment', () => {
  it('solves a known example and takes a flat Float64Array too', () => {
    const matrix = [
      [9, 8, 7],
      [8, 6, 4],
      [7, 4, 1],
    ];
    const result = maximumWeightAssignment(matrix);
    // 7 + 6 + 7 = 20 is the best: row 0 takes column 2, row 1 column 1, row 2 column 0.
    expect(result).toEqual({ columnForRow: [2, 1, 0], total: 20, matched: 3 });
    expect(maximumWeightAssignment(Float64Array.from(matrix.flat()), 3, 3)).toEqual(result);
  });

  it('leaves a row unmatched only when its allowed columns are needed elsewhere or absent', () => {
    const result = maximumWeightAssignment([
      [5, Number.NaN],
      [100, Number.NaN],
      [Number.NaN, Number.NEGATIVE_INFINITY],
    ]);
    expect(result.matched).toBe(1);
    expect(result.columnForRow).toEqual([-1, 0, -1]);
    expect(result.total).toBe(100);

    // Two matched rows beat one row with a larger weight.
    expect(maximumWeightAssignment([[100, 1], [1, Number.NaN]])).toEqual({ columnForRow: [1, 0], total: 2, matched: 2 });
    expect(maximumWeightAssignment([])).toEqual({ columnForRow: [], total: 0, matched: 0 });
  });

  it('rejects malformed input', () => {
    expect(() => maximumWeightAssignment([[1, 2], [3]])).toThrow(RangeError);
    expect(() => maximumWeightAssignment([[Infinity]])).toThrow(RangeError);
    expect(() => maximumWeightAssignment(new Float64Array(5), 2, 3)).toThrow(RangeError);
  });

  it('agrees with the munkres package on random matrices', () => {
    const random = prng(424242);
    const excludedCost = 1e7; // far above 30 rows × the 120 value range, so munkres also avoids these first
    for (let round = 0; round < 50; round++) {
      const rows = 1 + Math.floor(random() * 30);
      const cols = round % 4 === 0 ? rows : 1 + Math.floor(random() * 40);
      const excludedShare = round % 3 === 0 ? 0 : random() * 0.6;
      const integers = round % 2 === 0;
      const matrix = Array.from({ length: rows }, () =>
        Array.from({ length: cols }, () => {
          if (random() < excludedShare) return random() < 0.5 ? Number.NaN : Number.NEGATIVE_INFINITY;
          const value = -20 + random() * 120;
          return integers ? Math.round(value) : value;
        }),
      );
      const allowed = (r: number, c: number) => Number.isFinite(matrix[r]![c]!);
      const max = Math.max(...matrix.flat().filter(Number.isFinite), 0);
      const cost = matrix.map((row, r) => row.map((w, c) => (allowed(r, c) ? max - w : excludedCost)));

      let referenceTotal = 0;
      let referenceMatched = 0;
      for (const [r, c] of munkres(cost)) {
        if (!allowed(r, c)) continue;
        referenceTotal += matrix[r]![c]!;
        referenceMatched++;
      }

      const result = maximumWeightAssignment(matrix);
      const context = `round ${round}: ${rows} × ${cols}`;
      expect(result.columnForRow, context).toHaveLength(rows);
      expect(result.matched, context).toBe(referenceMatched);
      expect(result.total, context).toBeCloseTo(referenceTotal, 6);

      const used = new Set<number>();
      let total = 0;
      result.columnForRow.forEach((c, r) => {
        if (c < 0) return;
        expect(c, context).toBeLessThan(cols);
        expect(used.has(c), context).toBe(false);
        expect(allowed(r, c), context).toBe(true);
        used.add(c);
        total += matrix[r]![c]!;
      });
      expect(used.size, context).toBe(result.matched);
      expect(result.total, context).toBeCloseTo(total, 9);
    }
  });
});

describe('the score criterion by criterion', () => {
  it('adds up to the score for every pair, as the console shows it', () => {
    const random = prng(1312);
    const themes = ['integration', 'participation', 'communication', 'grant_funding', 'international_cooperation'];
    const some = <T>(items: T[], p: number) => items.filter(() => random() < p);
    for (let round = 0; round < 200; round++) {
      const m = mentor(1, {
        themes: some(themes, 0.5),
        languages: ['uk'],
        country: random() < 0.5 ? 'Poland' : 'Ukraine',
        region: random() < 0.5 ? 'Kyiv region' : undefined,
        population: random() < 0.8 ? Math.floor(1_000 + random() * 200_000) : undefined,
        availability: { sixMonths: random() < 0.5, travel: random() < 0.5, meetings: random() < 0.5 },
      });
      const t = team(2, { themes: some(themes, 0.5), languages: ['uk'], country: 'Ukraine', region: 'Kyiv region', population: Math.floor(1_000 + random() * 200_000) });
      const { score, parts } = scorePair(m, t, W);
      expect(parts.themes + parts.sameCountry + parts.sameRegion + parts.population + parts.availability).toBeCloseTo(score, 9);
      expect(topMentors(t, [m], W, 1)[0]?.parts ?? parts).toEqual(parts);
    }
  });
});
