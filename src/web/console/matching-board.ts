import type { Actor } from '../../actor.js';
import { listConstraints } from '../../db/match-constraints.js';
import { listActivePairs, teamsWithActivePair } from '../../db/pairs.js';
import { programmeOf } from '../../db/programmes.js';
import { isIneligibility, type Reason, type ScoreParts } from '../../domain/matching.js';
import { changeConstraint, computeProposal, type ConstraintAction, publishProposal } from '../../features/matching.js';
import { noticeLine, teamPlace } from '../../features/pairs.js';
import type { Translate } from '../../i18n.js';
import { loadMentors, loadTeams, type MentorEntry, rankMentorsForTeam, type TeamEntry } from '../../matching/candidates.js';
import { describeReason, formatScore, languageList, themeList } from '../../matching/describe-reasons.js';
import { plainText } from '../form-view.js';
import { bodyOf, type ConsoleRoute, ok, refused } from './route.js';

/** Candidates shown per team: the chat's five, or more on request. */
const DEFAULT_CANDIDATES = 5;
const MAX_CANDIDATES = 20;

/**
 * Why a pair scores what it does, criterion by criterion: the points come from the
 * domain's own score parts (src/domain/matching.ts), the words from its reasons.
 */
export function criteria(t: Translate, parts: ScoreParts, reasons: readonly Reason[], mentor: MentorEntry) {
  const find = (kind: Reason['kind']) => reasons.filter((r) => r.kind === kind).map((r) => plainText(describeReason(r, t)));
  const none = plainText(t('console.criteria.none'));
  const free = Math.max(0, mentor.mentor.capacity - mentor.currentLoad);
  return [
    { key: 'themes', label: plainText(t('console.criteria.themes')), points: formatScore(parts.themes), detail: find('themes')[0] ?? none },
    { key: 'language', label: plainText(t('console.criteria.language')), points: null, detail: (find('languages')[0] ?? find('no_shared_language')[0]) ?? none },
    {
      key: 'governance',
      label: plainText(t('console.criteria.governance')),
      points: formatScore(parts.sameCountry + parts.sameRegion),
      detail: [...find('same_country'), ...find('same_region')].join(', ') || none,
    },
    { key: 'population', label: plainText(t('console.criteria.population')), points: formatScore(parts.population), detail: find('population')[0] ?? none },
    {
      key: 'place',
      label: plainText(t('console.criteria.place')),
      points: null,
      detail: find('conflict')[0] ?? plainText(t('console.criteria.other_municipality')),
    },
    { key: 'availability', label: plainText(t('console.criteria.availability')), points: formatScore(parts.availability), detail: find('availability')[0] ?? none },
    {
      key: 'capacity',
      label: plainText(t('console.criteria.capacity')),
      points: null,
      detail: plainText(t('console.criteria.capacity_left', { free, capacity: mentor.mentor.capacity })),
    },
  ];
}

function teamSummary(t: Translate, locale: string, team: TeamEntry) {
  return {
    id: team.team.id,
    name: team.team.name,
    place: teamPlace(team),
    themes: plainText(themeList(team.themes, t, team.themesOther)),
    languages: plainText(languageList(team.languages, t)),
    population: team.population === undefined ? null : new Intl.NumberFormat(locale).format(team.population),
  };
}

async function boardRoute(actor: Actor) {
  const { deps, t, locale } = actor;
  const programme = await programmeOf(deps);
  const [teams, mentors, paired, constraints, active] = await Promise.all([
    loadTeams(deps.db, programme.id),
    loadMentors(deps.db, programme.id),
    teamsWithActivePair(deps.db, programme.id),
    listConstraints(deps.db, programme.id),
    listActivePairs(deps.db, programme.id),
  ]);
  const mentorName = new Map(mentors.map((m) => [m.mentor.id, m.name]));
  const missing = [...new Set([...constraints.map((c) => c.mentorId), ...active.map((p) => p.mentorId)])].filter((id) => !mentorName.has(id));
  for (const m of missing.length > 0 ? await loadMentors(deps.db, programme.id, missing) : []) mentorName.set(m.mentor.id, m.name);
  const teamName = new Map(teams.map((x) => [x.team.id, x.team.name]));
  return ok({
    counts: {
      mentors: mentors.length,
      places: mentors.reduce((sum, m) => sum + Math.max(0, m.mentor.capacity - m.currentLoad), 0),
      pairs: paired.size,
    },
    teams: teams.map((team) => {
      const pair = active.find((p) => p.teamId === team.team.id);
      const pin = constraints.find((c) => c.kind === 'pin' && c.teamId === team.team.id);
      const state = pair ? 'paired' : team.needsStatus === 'submitted' && team.matchable ? 'ready' : team.matchable ? 'draft' : 'not_ready';
      return {
        ...teamSummary(t, locale, team),
        state,
        matchable: team.matchable,
        mentor: pair ? { id: pair.mentorId, name: mentorName.get(pair.mentorId) ?? `#${pair.mentorId}`, pairId: pair.id } : null,
        pinned: pin ? { id: pin.mentorId, name: mentorName.get(pin.mentorId) ?? `#${pin.mentorId}` } : null,
      };
    }),
    constraints: constraints.map((c) => ({
      kind: c.kind,
      mentorId: c.mentorId,
      mentor: mentorName.get(c.mentorId) ?? `#${c.mentorId}`,
      teamId: c.teamId,
      team: teamName.get(c.teamId) ?? `#${c.teamId}`,
    })),
  });
}

/** The best mentors for one team, as /match <team> ranks them, with each criterion's share. */
async function candidatesRoute(actor: Actor, teamId: number, query: URLSearchParams) {
  const { deps, t, locale } = actor;
  const wanted = Number(query.get('n') ?? DEFAULT_CANDIDATES);
  if (!Number.isSafeInteger(wanted) || wanted < 1 || wanted > MAX_CANDIDATES) return refused(422, 'bad_query', t('console.errors.bad_query'));
  const programme = await programmeOf(deps);
  const { team, mentorsById: byId, forbidden, constraints, ranked } = await rankMentorsForTeam(deps.db, programme, teamId, wanted);
  if (!team) return refused(404, 'not_found', t('matching.team_not_found', { id: teamId }));
  if (!team.matchable) return refused(409, 'not_ready', t('matching.team_not_ready', { team: team.team.name }));
  const pin = constraints.find((c) => c.kind === 'pin' && c.teamId === teamId);
  const forbiddenEntries = forbidden.length > 0 ? await loadMentors(deps.db, programme.id, forbidden) : [];
  return ok({
    team: teamSummary(t, locale, team),
    pinnedMentorId: pin?.mentorId ?? null,
    candidates: ranked.map((r, i) => {
      const m = byId.get(r.mentorId)!;
      return {
        rank: i + 1,
        mentorId: r.mentorId,
        name: m.name,
        place: [m.city, m.country].filter(Boolean).join(', '),
        score: formatScore(r.score),
        criteria: criteria(t, r.parts, r.reasons, m),
        pinned: pin?.mentorId === r.mentorId,
      };
    }),
    forbidden: forbiddenEntries.map((m) => ({ mentorId: m.mentor.id, name: m.name })),
  });
}

const ACTIONS: readonly ConstraintAction[] = ['pin', 'forbid', 'unpin', 'unforbid'];

async function constraintRoute(actor: Actor, body: unknown) {
  const { t } = actor;
  const input = bodyOf(body);
  const action = input.action as ConstraintAction;
  const mentorId = input.mentorId;
  const teamId = input.teamId;
  if (!ACTIONS.includes(action) || !Number.isSafeInteger(mentorId) || !Number.isSafeInteger(teamId) || (mentorId as number) < 1 || (teamId as number) < 1) {
    return refused(422, 'bad_constraint', t('console.errors.bad_constraint'));
  }
  const message = await changeConstraint(actor, action, mentorId as number, teamId as number);
  return ok({ message: plainText(message) });
}

/** The whole-pool proposal (nothing changes), beside the pairs there are now. */
async function proposalRoute(actor: Actor) {
  const { deps, t } = actor;
  const programme = await programmeOf(deps);
  const proposal = await computeProposal(deps, programme);
  const mentors = new Map(proposal.pool.mentors.map((m) => [m.mentor.id, m]));
  const teams = new Map(proposal.pool.teams.map((x) => [x.team.id, x]));
  const active = await listActivePairs(deps.db, programme.id);
  const [activeMentors, activeTeams] = await Promise.all([
    loadMentors(deps.db, programme.id, [...new Set(active.map((p) => p.mentorId))]),
    loadTeams(deps.db, programme.id, [...new Set(active.map((p) => p.teamId))]),
  ]);
  const ineligible = (reasons: readonly Reason[]) => reasons.filter(isIneligibility).map((r) => plainText(describeReason(r, t)));
  return ok({
    fingerprint: proposal.fingerprint,
    total: formatScore(proposal.plan.totalScore),
    teams: proposal.pool.teams.length,
    mentors: proposal.pool.mentors.length,
    proposed: proposal.plan.pairs.map((p) => {
      const mentor = mentors.get(p.mentorId)!;
      return {
        teamId: p.teamId,
        team: teams.get(p.teamId)?.team.name ?? `#${p.teamId}`,
        mentorId: p.mentorId,
        mentor: mentor.name,
        score: formatScore(p.score),
        pinned: p.pinned,
        warning: p.eligible ? null : ineligible(p.reasons).join('; '),
        criteria: criteria(t, p.parts, p.reasons, mentor),
      };
    }),
    unmatched: proposal.plan.unmatchedTeams.map((id) => ({ teamId: id, team: teams.get(id)?.team.name ?? `#${id}` })),
    current: active.map((p) => ({
      pairId: p.id,
      teamId: p.teamId,
      team: activeTeams.find((x) => x.team.id === p.teamId)?.team.name ?? `#${p.teamId}`,
      mentorId: p.mentorId,
      mentor: activeMentors.find((m) => m.mentor.id === p.mentorId)?.name ?? `#${p.mentorId}`,
      score: formatScore(p.score),
    })),
  });
}

async function publishRoute(actor: Actor, body: unknown) {
  const { t } = actor;
  const fingerprint = bodyOf(body).fingerprint;
  if (typeof fingerprint !== 'string' || !/^[\w-]{16}$/.test(fingerprint)) return refused(422, 'bad_fingerprint', t('matching.proposal_changed'));
  const programme = await programmeOf(actor.deps);
  const result = await publishProposal(actor, programme, fingerprint);
  if (!result.ok) return refused(409, result.reason, t(result.reason === 'empty' ? 'matching.nothing_to_publish' : 'matching.proposal_changed'));
  return ok({
    message: plainText(t('matching.published_title', { number: result.pairs.length })),
    published: result.pairs.map(({ pair, mentor, team, report }) => ({
      pairId: pair.id,
      team: team.team.name,
      mentor: mentor.name,
      score: formatScore(pair.score),
      notice: plainText(noticeLine(t, report)),
    })),
  });
}

export const matchingRoutes: ConsoleRoute[] = [
  { method: 'GET', pattern: /^\/console\/matching$/, example: '/console/matching', handle: (actor) => boardRoute(actor) },
  {
    method: 'GET',
    pattern: /^\/console\/matching\/teams\/(\d{1,9})$/,
    example: '/console/matching/teams/1',
    handle: (actor, { params, query }) => candidatesRoute(actor, Number(params[0]), query),
  },
  { method: 'POST', pattern: /^\/console\/matching\/constraints$/, example: '/console/matching/constraints', handle: (actor, { body }) => constraintRoute(actor, body) },
  { method: 'GET', pattern: /^\/console\/matching\/proposal$/, example: '/console/matching/proposal', handle: (actor) => proposalRoute(actor) },
  { method: 'POST', pattern: /^\/console\/matching\/publish$/, example: '/console/matching/publish', handle: (actor, { body }) => publishRoute(actor, body) },
];
