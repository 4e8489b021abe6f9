/**
 * Matching mentors to mentee teams by the handbook's criteria: the team's
 * needs against the mentor's experience, a shared working language, a similar
 * demographic profile and governance context. Pure logic: the bot localizes
 * the structured reasons and stores the result.
 */
import { expandThemes } from './themes.js';

export type AvailabilityKey = 'sixMonths' | 'travel' | 'meetings';

export interface MentorCandidate {
  id: number;
  /** Expertise and strengths themes; broad themes also cover the narrower ones they include. */
  themes: string[];
  languages: string[];
  country?: string;
  region?: string;
  city?: string;
  /** Of the mentor's own municipality, if known. */
  population?: number;
  /** Teams they can take at once (1 unless they said more); Infinity means no limit. */
  capacity: number;
  /** Active pairs they already have. */
  currentLoad: number;
  availability: Record<AvailabilityKey, boolean>;
}

export interface TeamCandidate {
  id: number;
  themes: string[];
  languages: string[];
  country?: string;
  region?: string;
  city?: string;
  population?: number;
}

export interface MatchingWeights {
  theme: number;
  sameCountry: number;
  sameRegion: number;
  population: number;
  availability: number;
}

export const DEFAULT_WEIGHTS: Readonly<MatchingWeights> = Object.freeze({
  // Per shared theme; above all other weights together (3 + 2 + 3 + 3 × 1 = 11), so one more met need always wins.
  theme: 12,
  // Same national legislation, funding rules and administrative culture.
  sameCountry: 3,
  // Same region (within the same country): shared regional governance and geography.
  sameRegion: 2,
  // Times min/max of the two populations (1 = same size): towns of a similar size face similar problems.
  population: 3,
  // Per "yes" among the mentor's availability answers (six months, travel, meetings).
  availability: 1,
});

const WEIGHT_KEYS = Object.keys(DEFAULT_WEIGHTS) as (keyof MatchingWeights)[];

export type WeightProblem = 'not_an_object' | 'unknown_key' | 'not_a_number' | 'negative';
export type WeightsResult =
  | { ok: true; weights: MatchingWeights }
  | { ok: false; errors: Array<{ key: string; problem: WeightProblem }> };

/**
 * Checks a coordinator's partial weights and fills the rest from `base`.
 * Unknown keys are rejected too, so that a typo is not silently ignored.
 */
export function mergeWeights(partial: unknown, base: Readonly<MatchingWeights> = DEFAULT_WEIGHTS): WeightsResult {
  if (partial === undefined || partial === null) return { ok: true, weights: { ...base } };
  if (typeof partial !== 'object' || Array.isArray(partial)) {
    return { ok: false, errors: [{ key: '', problem: 'not_an_object' }] };
  }
  const weights: MatchingWeights = { ...base };
  const errors: Array<{ key: string; problem: WeightProblem }> = [];
  for (const [key, value] of Object.entries(partial)) {
    if (!(WEIGHT_KEYS as string[]).includes(key)) {
      errors.push({ key, problem: 'unknown_key' });
    } else if (typeof value !== 'number' || !Number.isFinite(value)) {
      errors.push({ key, problem: 'not_a_number' });
    } else if (value < 0) {
      errors.push({ key, problem: 'negative' });
    } else {
      weights[key as keyof MatchingWeights] = value;
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, weights };
}

export type IneligibilityReason = { kind: 'no_shared_language' } | { kind: 'conflict' } | { kind: 'full' };

export type Reason =
  | IneligibilityReason
  | { kind: 'themes'; shared: string[] }
  | { kind: 'languages'; shared: string[] }
  | { kind: 'same_country' }
  | { kind: 'same_region' }
  /** `similarity` is min/max of the two populations, in (0, 1]. */
  | { kind: 'population'; mentor: number; team: number; similarity: number }
  /** Always given for a mentor; an empty `missing` means fully available. */
  | { kind: 'availability'; missing: AvailabilityKey[] };

export function isIneligibility(reason: Reason): reason is IneligibilityReason {
  return reason.kind === 'no_shared_language' || reason.kind === 'conflict' || reason.kind === 'full';
}

/** What each criterion adds to a pair's score; they add up to the score. */
export interface ScoreParts {
  themes: number;
  sameCountry: number;
  sameRegion: number;
  population: number;
  availability: number;
}

export interface PairScore {
  eligible: boolean;
  score: number;
  parts: ScoreParts;
  /** Blocking reasons first, then what the score is made of. */
  reasons: Reason[];
}

// ---------------------------------------------------------------------------
// Normalization and compact profiles

/** Case- and space-insensitive comparison key. */
function normKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** "en-GB", "en_gb" and "EN" are one working language. */
function languageKey(text: string): string {
  const key = normKey(text);
  const primary = /^([a-z]{2,3})[-_][a-z0-9_-]+$/.exec(key);
  return primary ? primary[1]! : key;
}

function optionalKey(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const key = normKey(text);
  return key === '' ? undefined : key;
}

function validPopulation(n: number | undefined): number {
  return n !== undefined && Number.isFinite(n) && n > 0 ? n : NaN;
}

const AVAILABILITY_KEYS: readonly AvailabilityKey[] = ['sixMonths', 'travel', 'meetings'];

/** Small integer ids of strings, so that whole-pool scoring compares bits and allocates nothing. */
class Interner {
  private readonly ids = new Map<string, number>();
  id(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
    }
    return id;
  }
  optional(key: string | undefined): number {
    return key === undefined ? -1 : this.id(key);
  }
  all(keys: readonly string[]): number[] {
    return keys.filter((key) => key !== '').map((key) => this.id(key));
  }
  /** 32-bit words needed for a set over every id handed out so far. */
  get words(): number {
    return Math.max(1, Math.ceil(this.ids.size / 32));
  }
}

function bitset(ids: readonly number[], words: number): Int32Array {
  const bits = new Int32Array(words);
  for (const id of ids) bits[id >>> 5]! |= 1 << (id & 31);
  return bits;
}

interface Profile {
  /** Bit sets over interned keys; a mentor's include the narrower themes of broad ones. */
  themes: Int32Array;
  languages: Int32Array;
  /** Interned place keys, -1 when unknown. */
  country: number;
  region: number;
  city: number;
  /** NaN when unknown. */
  population: number;
}

interface MentorProfile extends Profile {
  yes: number;
  full: boolean;
  /** Teams they can still take, before pins. */
  free: number;
}

function mentorThemeKeys(themes: readonly string[]): string[] {
  const keys = themes.map(normKey);
  return [...keys, ...expandThemes(keys)];
}

function capacityOf(mentor: MentorCandidate): { full: boolean; free: number } {
  const raw: unknown = mentor.capacity;
  const capacity = typeof raw === 'number' && !Number.isNaN(raw) ? Math.max(0, Math.floor(raw)) : 1;
  const load = Number.isFinite(mentor.currentLoad) ? Math.max(0, Math.floor(mentor.currentLoad)) : 0;
  return { full: load >= capacity, free: Math.max(0, capacity - load) };
}

/** Profiles over one shared set of ids, as only those can be compared. */
function buildProfiles(
  mentors: readonly MentorCandidate[],
  teams: readonly TeamCandidate[],
): { mentors: MentorProfile[]; teams: Profile[] } {
  const themeIds = new Interner();
  const languageIds = new Interner();
  const placeIds = new Interner();
  const place = (c: MentorCandidate | TeamCandidate) => ({
    country: placeIds.optional(optionalKey(c.country)),
    region: placeIds.optional(optionalKey(c.region)),
    city: placeIds.optional(optionalKey(c.city)),
    population: validPopulation(c.population),
  });
  const rawMentors = mentors.map((mentor) => ({
    themes: themeIds.all(mentorThemeKeys(mentor.themes)),
    languages: languageIds.all(mentor.languages.map(languageKey)),
  }));
  const rawTeams = teams.map((team) => ({
    themes: themeIds.all(team.themes.map(normKey)),
    languages: languageIds.all(team.languages.map(languageKey)),
  }));
  const tw = themeIds.words;
  const lw = languageIds.words;
  return {
    mentors: mentors.map((mentor, k) => {
      let yes = 0;
      for (const key of AVAILABILITY_KEYS) if (mentor.availability?.[key] === true) yes++;
      return {
        themes: bitset(rawMentors[k]!.themes, tw),
        languages: bitset(rawMentors[k]!.languages, lw),
        ...place(mentor),
        yes,
        ...capacityOf(mentor),
      };
    }),
    teams: teams.map((team, k) => ({
      themes: bitset(rawTeams[k]!.themes, tw),
      languages: bitset(rawTeams[k]!.languages, lw),
      ...place(team),
    })),
  };
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

function countShared(a: Int32Array, b: Int32Array): number {
  let n = 0;
  for (let k = 0; k < a.length; k++) n += popcount(a[k]! & b[k]!);
  return n;
}

function sameCountry(m: Profile, t: Profile): boolean {
  return m.country >= 0 && m.country === t.country;
}

/** An unknown country on either side does not rule out the same place. */
function countriesMayMatch(m: Profile, t: Profile): boolean {
  return m.country < 0 || t.country < 0 || m.country === t.country;
}

function sameRegion(m: Profile, t: Profile): boolean {
  return m.region >= 0 && m.region === t.region && countriesMayMatch(m, t);
}

/** Erring towards a conflict: a mentor must never mentor their own municipality. */
function isConflict(m: Profile, t: Profile): boolean {
  return m.city >= 0 && m.city === t.city && countriesMayMatch(m, t);
}

function populationSimilarity(m: Profile, t: Profile): number {
  // NaN (unknown) fails both comparisons and so contributes nothing.
  if (!(m.population > 0 && t.population > 0)) return 0;
  return Math.min(m.population, t.population) / Math.max(m.population, t.population);
}

function isEligible(m: MentorProfile, t: Profile): boolean {
  return !m.full && countShared(m.languages, t.languages) > 0 && !isConflict(m, t);
}

/** The score criterion by criterion, with the same terms as computeScore (which the whole-pool loop uses, allocating nothing). */
function computeParts(m: MentorProfile, t: Profile, w: Readonly<MatchingWeights>): ScoreParts {
  return {
    themes: w.theme * countShared(m.themes, t.themes),
    sameCountry: sameCountry(m, t) ? w.sameCountry : 0,
    sameRegion: sameRegion(m, t) ? w.sameRegion : 0,
    population: w.population * populationSimilarity(m, t),
    availability: w.availability * m.yes,
  };
}

/** The one place the score is computed, so that ranking and assignment always agree. */
function computeScore(m: MentorProfile, t: Profile, w: Readonly<MatchingWeights>): number {
  let score = w.theme * countShared(m.themes, t.themes);
  if (sameCountry(m, t)) score += w.sameCountry;
  if (sameRegion(m, t)) score += w.sameRegion;
  score += w.population * populationSimilarity(m, t);
  score += w.availability * m.yes;
  return score;
}

/** Original spellings of `team` items whose key is in `mentorKeys`, once each, in the team's order. */
function sharedItems(team: readonly string[], key: (s: string) => string, mentorKeys: Set<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of team) {
    const k = key(item);
    if (k === '' || seen.has(k) || !mentorKeys.has(k)) continue;
    seen.add(k);
    out.push(item.trim());
  }
  return out;
}

// ---------------------------------------------------------------------------
// Scoring one pair and ranking mentors for one team

export function scorePair(
  mentor: MentorCandidate,
  team: TeamCandidate,
  weights: Readonly<MatchingWeights> = DEFAULT_WEIGHTS,
): PairScore {
  const profiles = buildProfiles([mentor], [team]);
  const m = profiles.mentors[0]!;
  const t = profiles.teams[0]!;
  const score = computeScore(m, t, weights);
  const parts = computeParts(m, t, weights);

  const reasons: Reason[] = [];
  const sharedLanguages = sharedItems(team.languages, languageKey, new Set(mentor.languages.map(languageKey)));
  if (sharedLanguages.length === 0) reasons.push({ kind: 'no_shared_language' });
  if (isConflict(m, t)) reasons.push({ kind: 'conflict' });
  if (m.full) reasons.push({ kind: 'full' });
  const eligible = reasons.length === 0;

  const sharedThemes = sharedItems(team.themes, normKey, new Set(mentorThemeKeys(mentor.themes)));
  if (sharedThemes.length > 0) reasons.push({ kind: 'themes', shared: sharedThemes });
  if (sharedLanguages.length > 0) reasons.push({ kind: 'languages', shared: sharedLanguages });
  if (sameCountry(m, t)) reasons.push({ kind: 'same_country' });
  if (sameRegion(m, t)) reasons.push({ kind: 'same_region' });
  const similarity = populationSimilarity(m, t);
  if (similarity > 0) {
    reasons.push({ kind: 'population', mentor: m.population, team: t.population, similarity });
  }
  reasons.push({
    kind: 'availability',
    missing: AVAILABILITY_KEYS.filter((key) => mentor.availability?.[key] !== true),
  });
  return { eligible, score, parts, reasons };
}

export interface RankedMentor {
  mentorId: number;
  score: number;
  parts: ScoreParts;
  reasons: Reason[];
}

/** The `n` best eligible mentors for a team, best first; equal scores by mentor id. */
export function topMentors(
  team: TeamCandidate,
  mentors: readonly MentorCandidate[],
  weights: Readonly<MatchingWeights> = DEFAULT_WEIGHTS,
  n = 5,
): RankedMentor[] {
  const ranked: RankedMentor[] = [];
  for (const mentor of mentors) {
    const { eligible, score, parts, reasons } = scorePair(mentor, team, weights);
    if (eligible) ranked.push({ mentorId: mentor.id, score, parts, reasons });
  }
  ranked.sort((a, b) => b.score - a.score || a.mentorId - b.mentorId);
  return ranked.slice(0, Math.max(0, Math.floor(n)));
}

/** A short, language-neutral size: "850", "1.2k", "42k", "1.2M". */
export function describePopulation(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  const whole = Math.round(n);
  if (whole < 1000) return String(whole);
  const units = ['k', 'M', 'B'];
  const short = (x: number): number => (x < 10 ? Math.round(x * 10) / 10 : Math.round(x));
  let scaled = whole / 1000;
  let unit = 0;
  // 999,600 must read "1M", not "1000k".
  while (unit < units.length - 1 && short(scaled) >= 1000) {
    scaled /= 1000;
    unit++;
  }
  return `${short(scaled)}${units[unit]}`;
}

// ---------------------------------------------------------------------------
// Whole-pool assignment

export interface AssignmentResult {
  /** Column assigned to each row, or -1. */
  columnForRow: number[];
  /** Sum of the assigned cells. */
  total: number;
  /** Rows that got a column. */
  matched: number;
}

/**
 * Optimal assignment of rows to columns, each used at most once. Cells that are
 * NaN or -Infinity are excluded and never chosen. Among the assignments that
 * match as many rows as the allowed cells permit, returns one with the largest
 * total (the same problem as a rectangular Munkres with excluded cells).
 *
 * Shortest augmenting paths with potentials (Jonker–Volgenant / Crouse),
 * O(n²·m) for n = min(rows, cols) and m = max(rows, cols). When some cells are
 * excluded, every row also gets a private "unmatched" column costing more than
 * any trade-off among real cells, so a search always succeeds and a row stays
 * unmatched only when it must.
 */
export function maximumWeightAssignment(matrix: ArrayLike<ArrayLike<number>>): AssignmentResult;
export function maximumWeightAssignment(weights: Float64Array, rows: number, cols: number): AssignmentResult;
export function maximumWeightAssignment(
  input: ArrayLike<ArrayLike<number>> | Float64Array,
  rowsArg?: number,
  colsArg?: number,
): AssignmentResult {
  let weights: Float64Array;
  let rows: number;
  let cols: number;
  if (input instanceof Float64Array) {
    rows = rowsArg ?? 0;
    cols = colsArg ?? 0;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || input.length !== rows * cols) {
      throw new RangeError(`Expected ${rows} × ${cols} weights, got ${input.length}`);
    }
    weights = input;
  } else {
    rows = input.length;
    cols = rows > 0 ? input[0]!.length : 0;
    weights = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const row = input[r]!;
      if (row.length !== cols) throw new RangeError(`Row ${r} has ${row.length} cells, expected ${cols}`);
      for (let c = 0; c < cols; c++) weights[r * cols + c] = row[c]!;
    }
  }

  let max = -Infinity;
  let min = Infinity;
  let excluded = false;
  for (let k = 0; k < weights.length; k++) {
    const w = weights[k]!;
    if (w === Infinity) throw new RangeError('A weight of +Infinity has no optimal assignment');
    if (w === -Infinity || Number.isNaN(w)) {
      excluded = true;
      continue;
    }
    if (w > max) max = w;
    if (w < min) min = w;
  }
  const columnForRow = new Array<number>(rows).fill(-1);
  if (max === -Infinity) return { columnForRow, total: 0, matched: 0 };

  // The solver wants no more rows than columns.
  const transposed = rows > cols;
  const n = transposed ? cols : rows;
  const m = transposed ? rows : cols;
  let solverWeights = weights;
  if (transposed) {
    solverWeights = new Float64Array(n * m);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) solverWeights[c * m + r] = weights[r * cols + c]!;
    }
  }
  // Costs max − w lie in [0, range]; leaving a row unmatched must cost more than
  // any redistribution of real cells could save (at most n × range). Without
  // excluded cells every row can be matched, so no such columns are needed.
  const unmatchedCost = excluded ? (max - min + 1) * (n + 1) : -1;

  const col4row = solveAssignment(solverWeights, n, m, max, unmatchedCost);

  let total = 0;
  let matched = 0;
  for (let i = 0; i < n; i++) {
    const j = col4row[i]!;
    if (j >= m) continue;
    if (transposed) columnForRow[j] = i;
    else columnForRow[i] = j;
  }
  for (let r = 0; r < rows; r++) {
    const c = columnForRow[r]!;
    if (c < 0) continue;
    total += weights[r * cols + c]!;
    matched++;
  }
  return { columnForRow, total, matched };
}

/**
 * Minimum-cost assignment of all n rows to n × m columns (n ≤ m) where the
 * cost of a cell is max − weight (so ≥ 0) and NaN or -Infinity weights are
 * excluded: NaN fails every comparison and -Infinity costs +Infinity. With `unmatchedCost` ≥ 0 each row i also has a private
 * "unmatched" column at that cost; with -1 there is none and every row must
 * have a finite path. Returns the column of each row, m + i for unmatched.
 *
 * A private column is reachable only from its own row, so it is always free
 * when reached, its potential stays 0, and a row parked there is never reached
 * again: none of them needs to be scanned like a real column.
 */
function solveAssignment(
  weights: Float64Array,
  n: number,
  m: number,
  max: number,
  unmatchedCost: number,
): Int32Array {
  const withUnmatched = unmatchedCost >= 0;
  const u = new Float64Array(n);
  const v = new Float64Array(m);
  const shortest = new Float64Array(m);
  const path = new Int32Array(m);
  const col4row = new Int32Array(n).fill(-1);
  const row4col = new Int32Array(m).fill(-1);
  const remaining = new Int32Array(m);

  // A square problem uses every column, so column potentials may start at the
  // column minima; a rectangular one needs its free columns at potential 0.
  if (!withUnmatched && n === m) {
    v.fill(Infinity);
    for (let i = 0; i < n; i++) {
      const base = i * m;
      for (let j = 0; j < m; j++) {
        const c = max - weights[base + j]!;
        if (c < v[j]!) v[j] = c;
      }
    }
  }

  // Row reduction and a greedy start on tight cells: most rows are matched
  // here, and the potentials stay feasible for the searches that follow.
  for (let i = 0; i < n; i++) {
    const base = i * m;
    let min = withUnmatched ? unmatchedCost : Infinity;
    let freeAtMin = withUnmatched ? m + i : -1;
    for (let j = 0; j < m; j++) {
      const c = max - weights[base + j]! - v[j]!;
      if (c < min) {
        min = c;
        freeAtMin = row4col[j] === -1 ? j : -1;
      } else if (c === min && freeAtMin === -1 && row4col[j] === -1) {
        freeAtMin = j;
      }
    }
    u[i] = min;
    if (freeAtMin >= 0) {
      col4row[i] = freeAtMin;
      if (freeAtMin < m) row4col[freeAtMin] = i;
    }
  }

  for (let row = 0; row < n; row++) {
    if (col4row[row] !== -1) continue;
    // Dijkstra over reduced costs from `row` until it reaches a free column;
    // columns leave `remaining` by swapping to its end, so the visited ones
    // are remaining[numRemaining..m-1] afterwards.
    let numRemaining = m;
    let minVal = 0;
    let i = row;
    let sink = -1;
    let unmatchedRow = -1;
    let bestUnmatched = Infinity;
    let bestUnmatchedRow = -1;
    let first = true;
    while (sink === -1) {
      const base = i * m;
      const offset = minVal - u[i]!;
      const offsetMax = offset + max;
      if (withUnmatched) {
        const d = offset + unmatchedCost;
        if (d < bestUnmatched) {
          bestUnmatched = d;
          bestUnmatchedRow = i;
        }
      }
      let lowest = Infinity;
      let index = -1;
      if (first) {
        first = false;
        for (let j = 0; j < m; j++) {
          remaining[j] = j;
          let s = offsetMax - weights[base + j]! - v[j]!;
          if (s !== s) s = Infinity; // NaN: excluded
          shortest[j] = s;
          path[j] = i;
          if (s < lowest || (s === lowest && row4col[j] === -1)) {
            lowest = s;
            index = j;
          }
        }
      } else {
        for (let it = 0; it < numRemaining; it++) {
          const j = remaining[it]!;
          const reduced = offsetMax - weights[base + j]! - v[j]!;
          let s = shortest[j]!;
          if (reduced < s) {
            path[j] = i;
            shortest[j] = reduced;
            s = reduced;
          }
          // On ties prefer a free column: it ends the search sooner.
          if (s < lowest || (s === lowest && row4col[j] === -1)) {
            lowest = s;
            index = it;
          }
        }
      }
      if (bestUnmatched < lowest) {
        minVal = bestUnmatched;
        unmatchedRow = bestUnmatchedRow;
        break;
      }
      if (index < 0 || lowest === Infinity) {
        throw new Error('Assignment search found no path; the matrix should have allowed one');
      }
      minVal = lowest;
      const j = remaining[index]!;
      remaining[index] = remaining[--numRemaining]!;
      remaining[numRemaining] = j;
      if (row4col[j] === -1) sink = j;
      else i = row4col[j]!;
    }

    // Keep reduced costs non-negative for the next search: each visited
    // column's row moves by the same amount as the column, in reverse.
    u[row] = u[row]! + minVal;
    for (let it = numRemaining; it < m; it++) {
      const j = remaining[it]!;
      if (j === sink) continue;
      const delta = minVal - shortest[j]!;
      const r = row4col[j]!;
      u[r] = u[r]! + delta;
      v[j] = v[j]! - delta;
    }

    // Flip the augmenting path, which ends either in a free real column or in
    // the private column of `unmatchedRow`.
    let j: number;
    if (unmatchedRow >= 0) {
      j = col4row[unmatchedRow]!;
      col4row[unmatchedRow] = m + unmatchedRow;
      if (unmatchedRow === row) continue;
    } else {
      j = sink;
    }
    for (;;) {
      const r = path[j]!;
      row4col[j] = r;
      const previous = col4row[r]!;
      col4row[r] = j;
      j = previous;
      if (r === row) break;
    }
  }
  return col4row;
}

export interface AssignmentConstraints {
  /** Pairs a coordinator fixed: always in the result, even if otherwise ineligible. */
  pinned: Array<[mentorId: number, teamId: number]>;
  /** Pairs a coordinator ruled out. */
  forbidden: Array<[mentorId: number, teamId: number]>;
}

export interface AssignedPair {
  mentorId: number;
  teamId: number;
  score: number;
  parts: ScoreParts;
  reasons: Reason[];
  pinned: boolean;
  /** False only for a pinned pair the rules would not have allowed. */
  eligible: boolean;
}

export interface AssignmentPlan {
  /** In the order of the teams given. */
  pairs: AssignedPair[];
  totalScore: number;
  /** Teams with no eligible mentor left, in the order given. */
  unmatchedTeams: number[];
}

export type MatchingInputErrorCode =
  | 'duplicate_mentor'
  | 'duplicate_team'
  | 'unknown_mentor'
  | 'unknown_team'
  | 'team_pinned_twice'
  | 'pinned_and_forbidden';

export class MatchingInputError extends Error {
  readonly code: MatchingInputErrorCode;
  readonly mentorId: number | undefined;
  readonly teamId: number | undefined;
  constructor(code: MatchingInputErrorCode, mentorId?: number, teamId?: number) {
    super(`Matching input: ${code} (mentor ${mentorId ?? '-'}, team ${teamId ?? '-'})`);
    this.name = 'MatchingInputError';
    this.code = code;
    this.mentorId = mentorId;
    this.teamId = teamId;
  }
}

function indexById(items: readonly { id: number }[], duplicate: MatchingInputErrorCode): Map<number, number> {
  const index = new Map<number, number>();
  items.forEach((item, k) => {
    if (index.has(item.id)) {
      throw new MatchingInputError(
        duplicate,
        duplicate === 'duplicate_mentor' ? item.id : undefined,
        duplicate === 'duplicate_team' ? item.id : undefined,
      );
    }
    index.set(item.id, k);
  });
  return index;
}

/**
 * The best whole-pool plan: as many teams matched as possible, then the largest
 * total score. Each team gets at most one mentor, each mentor at most
 * capacity − currentLoad teams (pins included). Ineligible and forbidden pairs
 * are never chosen; pinned pairs are always kept.
 */
export function assignAll(
  mentors: readonly MentorCandidate[],
  teams: readonly TeamCandidate[],
  weights: Readonly<MatchingWeights> = DEFAULT_WEIGHTS,
  constraints: AssignmentConstraints = { pinned: [], forbidden: [] },
): AssignmentPlan {
  const mentorIndex = indexById(mentors, 'duplicate_mentor');
  const teamIndex = indexById(teams, 'duplicate_team');
  const nTeams = teams.length;

  const forbidden = new Set<number>();
  for (const [mentorId, teamId] of constraints.forbidden) {
    const mi = mentorIndex.get(mentorId);
    const ti = teamIndex.get(teamId);
    if (mi !== undefined && ti !== undefined) forbidden.add(mi * nTeams + ti);
  }

  const pinnedMentorOfTeam = new Int32Array(nTeams).fill(-1);
  const pinsOfMentor = new Int32Array(mentors.length);
  for (const [mentorId, teamId] of constraints.pinned) {
    const mi = mentorIndex.get(mentorId);
    const ti = teamIndex.get(teamId);
    if (mi === undefined) throw new MatchingInputError('unknown_mentor', mentorId, teamId);
    if (ti === undefined) throw new MatchingInputError('unknown_team', mentorId, teamId);
    if (forbidden.has(mi * nTeams + ti)) throw new MatchingInputError('pinned_and_forbidden', mentorId, teamId);
    const already = pinnedMentorOfTeam[ti]!;
    if (already === mi) continue;
    if (already >= 0) throw new MatchingInputError('team_pinned_twice', mentorId, teamId);
    pinnedMentorOfTeam[ti] = mi;
    pinsOfMentor[mi]!++;
  }

  const { mentors: mentorProfiles, teams: teamProfiles } = buildProfiles(mentors, teams);

  // Score every allowed pair once; NaN marks a pair that must not be chosen.
  const freeTeams: number[] = [];
  for (let ti = 0; ti < nTeams; ti++) if (pinnedMentorOfTeam[ti]! < 0) freeTeams.push(ti);
  const free = mentorProfiles.map((p, mi) => Math.max(0, p.free - pinsOfMentor[mi]!));
  const openMentors: number[] = [];
  for (let mi = 0; mi < mentors.length; mi++) if (free[mi]! > 0) openMentors.push(mi);

  const nRows = freeTeams.length;
  const nOpen = openMentors.length;
  const scores = new Float64Array(nRows * nOpen).fill(NaN);
  for (let r = 0; r < nRows; r++) {
    const t = teamProfiles[freeTeams[r]!]!;
    for (let k = 0; k < nOpen; k++) {
      const m = mentorProfiles[openMentors[k]!]!;
      if (isEligible(m, t)) scores[r * nOpen + k] = computeScore(m, t, weights);
    }
  }
  if (forbidden.size > 0) {
    const rowOfTeam = new Int32Array(nTeams).fill(-1);
    freeTeams.forEach((ti, r) => (rowOfTeam[ti] = r));
    const openIndex = new Int32Array(mentors.length).fill(-1);
    openMentors.forEach((mi, k) => (openIndex[mi] = k));
    for (const key of forbidden) {
      const r = rowOfTeam[key % nTeams]!;
      const k = openIndex[Math.floor(key / nTeams)]!;
      if (r >= 0 && k >= 0) scores[r * nOpen + k] = NaN;
    }
  }
  const allowedPerMentor = new Int32Array(nOpen);
  const rowHasOption = new Uint8Array(nRows);
  for (let r = 0; r < nRows; r++) {
    for (let k = 0; k < nOpen; k++) {
      if (Number.isNaN(scores[r * nOpen + k]!)) continue;
      allowedPerMentor[k]!++;
      rowHasOption[r] = 1;
    }
  }

  // One column per team a mentor can still take, and no more than they could use.
  const slotMentor: number[] = [];
  for (let k = 0; k < nOpen; k++) {
    const slots = Math.min(free[openMentors[k]!]!, allowedPerMentor[k]!);
    for (let s = 0; s < slots; s++) slotMentor.push(k);
  }
  const activeRows: number[] = [];
  for (let r = 0; r < nRows; r++) if (rowHasOption[r] === 1) activeRows.push(r);

  const nCols = slotMentor.length;
  const matrix = new Float64Array(activeRows.length * nCols);
  for (let a = 0; a < activeRows.length; a++) {
    const rowBase = activeRows[a]! * nOpen;
    const out = a * nCols;
    for (let c = 0; c < nCols; c++) matrix[out + c] = scores[rowBase + slotMentor[c]!]!;
  }
  const chosen = new Int32Array(nTeams).fill(-1);
  if (activeRows.length > 0 && nCols > 0) {
    const { columnForRow } = maximumWeightAssignment(matrix, activeRows.length, nCols);
    columnForRow.forEach((c, a) => {
      if (c >= 0) chosen[freeTeams[activeRows[a]!]!] = openMentors[slotMentor[c]!]!;
    });
  }

  const pairs: AssignedPair[] = [];
  const unmatchedTeams: number[] = [];
  let totalScore = 0;
  for (let ti = 0; ti < nTeams; ti++) {
    const pinnedMentor = pinnedMentorOfTeam[ti]!;
    const mi = pinnedMentor >= 0 ? pinnedMentor : chosen[ti]!;
    const team = teams[ti]!;
    if (mi < 0) {
      unmatchedTeams.push(team.id);
      continue;
    }
    const mentor = mentors[mi]!;
    const { eligible, score, parts, reasons } = scorePair(mentor, team, weights);
    pairs.push({ mentorId: mentor.id, teamId: team.id, score, parts, reasons, pinned: pinnedMentor >= 0, eligible });
    totalScore += score;
  }
  return { pairs, totalScore, unmatchedTeams };
}
