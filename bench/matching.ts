/**
 * Whole-pool matching on random candidates: assignAll (scores every pair, then an
 * optimal assignment) and maximumWeightAssignment on its own, against the
 * reference Hungarian algorithm from npm (`munkres`) on the same score matrix.
 */
import { munkres } from 'munkres';
import {
  assignAll,
  type AvailabilityKey,
  maximumWeightAssignment,
  type MentorCandidate,
  scorePair,
  type TeamCandidate,
} from '../src/domain/matching.js';
import { THEMES, WORKING_LANGUAGES } from '../src/domain/themes.js';
import { collectGarbage, int, ms, percentile, progress, type Table } from './support/report.js';
import { prng } from './support/random.js';

export interface MatchingOptions {
  quick: boolean;
}

const COUNTRIES: Record<string, string[]> = {
  Ukraine: ['Lviv Oblast', 'Kyiv Oblast', 'Odesa Oblast', 'Kharkiv Oblast', 'Vinnytsia Oblast'],
  Poland: ['Mazovia', 'Lesser Poland', 'Pomerania'],
  Latvia: ['Riga', 'Vidzeme', 'Latgale'],
  Moldova: ['Chișinău', 'Bălți'],
  Germany: ['Bavaria', 'Saxony'],
};

function pool(mentorCount: number, teamCount: number, seed: number): { mentors: MentorCandidate[]; teams: TeamCandidate[] } {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const some = <T>(items: readonly T[], min: number, max: number): T[] => {
    const n = min + Math.floor(random() * (max - min + 1));
    const out = new Set<T>();
    while (out.size < Math.min(n, items.length)) out.add(pick(items));
    return [...out];
  };
  const place = () => {
    const country = pick(Object.keys(COUNTRIES));
    const region = pick(COUNTRIES[country]!);
    // Few cities per region, so that a mentor's own municipality (a conflict) comes up now and then.
    return { country, region, city: `${region} city ${1 + Math.floor(random() * 6)}`, population: Math.round(2_000 * Math.pow(500, random())) };
  };
  const languages = (favourite: string) => {
    const chosen = new Set<string>(some(WORKING_LANGUAGES, 1, 2));
    if (random() < 0.6) chosen.add(favourite);
    return [...chosen];
  };
  const yes = (p: number) => random() < p;
  const mentors = Array.from({ length: mentorCount }, (_, k): MentorCandidate => ({
    id: k + 1,
    themes: some(THEMES, 1, 4),
    languages: languages('en'),
    ...place(),
    capacity: 1,
    currentLoad: 0,
    availability: { sixMonths: yes(0.85), travel: yes(0.6), meetings: yes(0.8) } satisfies Record<AvailabilityKey, boolean>,
  }));
  const teams = Array.from({ length: teamCount }, (_, k): TeamCandidate => ({
    id: k + 1,
    themes: some(THEMES, 1, 5),
    languages: languages('uk'),
    ...place(),
  }));
  return { mentors, teams };
}

function time<T>(work: () => T, repeats: number): { result: T; ms: number } {
  const times: number[] = [];
  let result: T | undefined;
  for (let r = 0; r < repeats; r++) {
    collectGarbage();
    const started = performance.now();
    result = work();
    times.push(performance.now() - started);
  }
  return { result: result!, ms: percentile(times, 50) };
}

export async function matchingBenchmark(options: MatchingOptions): Promise<Table[]> {
  const sizes: Array<[number, number]> = options.quick
    ? [
        [100, 100],
        [500, 500],
      ]
    : [
        [100, 100],
        [500, 500],
        [2_000, 500],
      ];
  const rows: Table['rows'] = [];
  for (const [mentorCount, teamCount] of sizes) {
    progress(`matching ${mentorCount} × ${teamCount}`);
    const { mentors, teams } = pool(mentorCount, teamCount, mentorCount * 7919 + teamCount);
    const repeats = mentorCount * teamCount <= 250_000 ? 5 : 3;

    const plan = time(() => assignAll(mentors, teams), repeats);

    // The same scores assignAll uses, one cell per (team, mentor); NaN where the pair is not allowed.
    const weights = new Float64Array(teamCount * mentorCount).fill(Number.NaN);
    let allowed = 0;
    teams.forEach((team, r) =>
      mentors.forEach((mentor, c) => {
        const { eligible, score } = scorePair(mentor, team);
        if (eligible) {
          weights[r * mentorCount + c] = score;
          allowed++;
        }
      }),
    );
    const solver = time(() => maximumWeightAssignment(weights, teamCount, mentorCount), repeats);

    // munkres minimizes cost and has no excluded cells: an excluded pair costs more
    // than every trade-off among allowed ones, so it is chosen only when it must be.
    let max = Number.NEGATIVE_INFINITY;
    let min = Number.POSITIVE_INFINITY;
    for (const w of weights) {
      if (Number.isNaN(w)) continue;
      if (w > max) max = w;
      if (w < min) min = w;
    }
    const excludedCost = (max - min + 1) * (Math.min(teamCount, mentorCount) + 1);
    const cost = Array.from({ length: teamCount }, (_, r) =>
      Array.from({ length: mentorCount }, (_, c) => {
        const w = weights[r * mentorCount + c]!;
        return Number.isNaN(w) ? excludedCost : max - w;
      }),
    );
    const reference = time(() => munkres(cost), repeats);
    let referenceTotal = 0;
    let referenceMatched = 0;
    for (const [r, c] of reference.result) {
      const w = weights[r * mentorCount + c]!;
      if (Number.isNaN(w)) continue;
      referenceTotal += w;
      referenceMatched++;
    }

    rows.push([
      `${int(mentorCount)} × ${int(teamCount)}`,
      `${((100 * allowed) / (teamCount * mentorCount)).toFixed(0)}%`,
      ms(plan.ms),
      plan.result.totalScore.toFixed(3),
      `${plan.result.pairs.length}`,
      ms(solver.ms),
      solver.result.total.toFixed(3),
      ms(reference.ms),
      referenceTotal.toFixed(3),
      `${referenceMatched}`,
      Math.abs(solver.result.total - referenceTotal) < 1e-6 * Math.max(1, referenceTotal) && solver.result.matched === referenceMatched && Math.abs(plan.result.totalScore - referenceTotal) < 1e-6 * Math.max(1, referenceTotal) ? 'yes' : 'NO',
    ]);
  }
  return [
    {
      title: 'Matching: whole-pool assignment of mentors to teams (random candidates)',
      columns: [
        'mentors × teams',
        'pairs allowed',
        'assignAll ms',
        'assignAll total',
        'pairs',
        'maximumWeightAssignment ms',
        'total',
        'munkres ms',
        'munkres total',
        'pairs',
        'same total',
      ],
      rows,
      notes: [
        'random pools (fixed seeds): 1–4 themes per mentor, 1–5 per team, 1–3 working languages, 5 countries, a few cities per region (own municipality = not allowed), capacity 1',
        'assignAll: from candidates to plan (profiles, scoring every pair, the assignment, the reasons of the chosen pairs)',
        'maximumWeightAssignment and munkres get the same teams × mentors score matrix, built once with scorePair and not timed; munkres minimizes max − score, a pair that is not allowed costs more than any trade-off',
        'times are medians of 5 runs (3 for the largest pools), after a garbage collection; "same total": all three totals agree and both solvers match as many pairs',
      ],
    },
  ];
}
