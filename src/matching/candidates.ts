/**
 * The people matching works with, read from the database: accepted mentors with
 * what they said in their application and strengths profile, and mentee teams with
 * their needs analysis. No Telegram here; src/domain/matching.ts does the scoring.
 */
import type { Mentor, Person, Team } from '../generated/sqlite/client.ts';
import type { Database, Programme } from '../db/database.js';
import { personOwner, type ResponseStatus, teamOwner } from '../db/form-responses.js';
import { activeLoadByMentor, teamsWithActivePair } from '../db/pairs.js';
import { forbiddenMentorsOf, listConstraints, type MatchConstraint } from '../db/match-constraints.js';
import { DEFAULT_WEIGHTS, type MatchingWeights, mergeWeights, type MentorCandidate, type TeamCandidate, topMentors } from '../domain/matching.js';

export const APPLICATION_FORM = 'application';
export const STRENGTHS_FORM = 'strengths_profile';
export const NEEDS_FORM = 'needs_analysis';

export interface MentorEntry {
  mentor: Mentor;
  person: Person | null;
  /** As written in the application, else the Telegram name. */
  name: string;
  organisation?: string;
  position?: string;
  country?: string;
  city?: string;
  /** Theme ids ticked in the application, and the applicant's own words for "other". */
  expertise: string[];
  expertiseOther?: string;
  /** Theme ids of the strengths profile. */
  policyAreas: string[];
  languages: string[];
  languagesOther?: string;
  population?: number;
  currentLoad: number;
  /** The mentor has left the programme (their application is withdrawn): no new teams for them. */
  left: boolean;
  candidate: MentorCandidate;
}

export interface TeamEntry {
  team: Team;
  /** Status of the needs analysis; undefined when the team has not started it. */
  needsStatus?: ResponseStatus;
  themes: string[];
  themesOther?: string;
  languages: string[];
  population?: number;
  /** The team said its themes and working languages, so mentors can be ranked for it. */
  matchable: boolean;
  candidate: TeamCandidate;
}

type StoredAnswers = Record<string, unknown>;

// ---- reading answers ----

function choicesOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (value && typeof value === 'object' && 'choices' in value && Array.isArray(value.choices)) {
    return value.choices.filter((v: unknown): v is string => typeof v === 'string');
  }
  return [];
}

function otherOf(value: unknown): string | undefined {
  if (value && typeof value === 'object' && 'other' in value && typeof value.other === 'string' && value.other.trim() !== '') {
    return value.other.trim();
  }
  return undefined;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

function optionalText(value: string | null | undefined): string | undefined {
  return value && value.trim() !== '' ? value.trim() : undefined;
}

interface LoadedResponse {
  id: number;
  ownerKey: string;
  status: ResponseStatus;
  answers: StoredAnswers;
}

/** Several responses with their answers in one query. */
async function loadResponses(
  db: Database,
  where: { programmeId: number; formId: string; ids?: number[]; ownerKeys?: string[] },
): Promise<LoadedResponse[]> {
  const rows = await db.formResponse.findMany({
    where: {
      programmeId: where.programmeId,
      formId: where.formId,
      ...(where.ids ? { id: { in: where.ids } } : {}),
      ...(where.ownerKeys ? { ownerKey: { in: where.ownerKeys } } : {}),
    },
    include: { answers: true },
  });
  return rows.map((row) => ({
    id: row.id,
    ownerKey: row.ownerKey,
    status: row.status as ResponseStatus,
    answers: Object.fromEntries(row.answers.map((a) => [a.questionId, JSON.parse(a.value) as unknown])),
  }));
}

// ---- mentors ----

/**
 * Accepted mentors of the programme, in id order: all who are still in it, or the ones
 * asked for by id (also those who left, so that their pairs can still be shown).
 */
export async function loadMentors(db: Database, programmeId: number, ids?: readonly number[]): Promise<MentorEntry[]> {
  const mentors = await db.mentor.findMany({
    where: { programmeId, ...(ids ? { id: { in: [...ids] } } : {}) },
    orderBy: { id: 'asc' },
  });
  if (mentors.length === 0) return [];
  const [people, applications, strengths, load] = await Promise.all([
    db.person.findMany({ where: { id: { in: mentors.map((m) => m.personId) } } }),
    loadResponses(db, { programmeId, formId: APPLICATION_FORM, ids: mentors.map((m) => m.applicationId) }),
    loadResponses(db, { programmeId, formId: STRENGTHS_FORM, ownerKeys: mentors.map((m) => personOwner(m.personId)) }),
    activeLoadByMentor(db, programmeId),
  ]);
  const personById = new Map(people.map((p) => [p.id, p]));
  const applicationById = new Map(applications.map((r) => [r.id, r]));
  const strengthsByOwner = new Map(strengths.filter((r) => r.status !== 'withdrawn').map((r) => [r.ownerKey, r]));
  const entries = mentors.map((mentor) => {
    const person = personById.get(mentor.personId) ?? null;
    const application = applicationById.get(mentor.applicationId);
    const profile = strengthsByOwner.get(personOwner(mentor.personId))?.answers ?? {};
    const left = application?.status === 'withdrawn';
    return mentorEntry(mentor, person, application?.answers ?? {}, profile, load.get(mentor.id) ?? 0, left);
  });
  return ids ? entries : entries.filter((entry) => !entry.left);
}

export function mentorEntry(
  mentor: Mentor,
  person: Person | null,
  application: StoredAnswers,
  profile: StoredAnswers,
  currentLoad: number,
  left = false,
): MentorEntry {
  const expertise = choicesOf(application.expertise_areas);
  const policyAreas = choicesOf(profile.policy_areas);
  const languages = choicesOf(application.working_languages);
  const country = textOf(application.country);
  const city = textOf(application.city);
  const population = numberOf(profile.population);
  const personName = person ? [person.firstName, person.lastName].filter(Boolean).join(' ') : `#${mentor.id}`;
  return {
    mentor,
    person,
    name: textOf(application.full_name) ?? personName,
    organisation: textOf(application.organisation),
    position: textOf(application.position),
    country,
    city,
    expertise,
    expertiseOther: otherOf(application.expertise_areas),
    policyAreas,
    languages,
    languagesOther: otherOf(application.working_languages),
    population,
    currentLoad,
    left,
    candidate: {
      id: mentor.id,
      themes: [...new Set([...expertise, ...policyAreas])],
      languages,
      country,
      city,
      population,
      capacity: mentor.capacity,
      currentLoad,
      availability: {
        sixMonths: application.ready_six_months === true,
        travel: application.ready_to_travel === true,
        meetings: application.ready_for_meetings === true,
      },
    },
  };
}

// ---- teams ----

/** Teams of the programme (all of them, or the ones asked for), in id order. */
export async function loadTeams(db: Database, programmeId: number, ids?: readonly number[]): Promise<TeamEntry[]> {
  const teams = await db.team.findMany({ where: { programmeId, ...(ids ? { id: { in: [...ids] } } : {}) }, orderBy: { id: 'asc' } });
  if (teams.length === 0) return [];
  const needs = await loadResponses(db, { programmeId, formId: NEEDS_FORM, ownerKeys: teams.map((t) => teamOwner(t.id)) });
  const needsByOwner = new Map(needs.map((r) => [r.ownerKey, r]));
  return teams.map((team) => {
    const response = needsByOwner.get(teamOwner(team.id));
    return teamEntry(team, response?.answers ?? {}, response?.status);
  });
}

export function teamEntry(team: Team, needs: StoredAnswers, needsStatus?: ResponseStatus): TeamEntry {
  const themes = choicesOf(needs.themes);
  const languages = choicesOf(needs.working_languages);
  // The number the team gave in its needs analysis is newer than the one typed when the team was created.
  const population = numberOf(needs.population) ?? numberOf(team.population);
  const region = optionalText(team.region);
  const city = optionalText(team.city);
  return {
    team,
    needsStatus,
    themes,
    themesOther: otherOf(needs.themes),
    languages,
    population,
    matchable: themes.length > 0 && languages.length > 0,
    candidate: { id: team.id, themes, languages, country: optionalText(team.country), region, city, population },
  };
}

// ---- the pool ----

export interface MatchingPool {
  mentors: MentorEntry[];
  /** Teams with a submitted needs analysis (saying themes and languages) and no mentor yet. */
  teams: TeamEntry[];
}

/** Who the whole-pool assignment works with right now. */
export async function loadPool(db: Database, programmeId: number): Promise<MatchingPool> {
  const [mentors, teams, paired] = await Promise.all([
    loadMentors(db, programmeId),
    loadTeams(db, programmeId),
    teamsWithActivePair(db, programmeId),
  ]);
  return {
    mentors,
    teams: teams.filter((t) => t.needsStatus === 'submitted' && t.matchable && !paired.has(t.team.id)),
  };
}

/** One team's best mentors, as /match <team> and the console's matching board rank them. */
export interface TeamCandidates {
  team: TeamEntry | undefined;
  /** Every mentor of the programme, by mentor id (for names and details). */
  mentorsById: Map<number, MentorEntry>;
  /** Mentors a coordinator forbade for this team: never ranked. */
  forbidden: number[];
  constraints: MatchConstraint[];
  /** Best first; empty when the team is missing or cannot be matched yet. */
  ranked: ReturnType<typeof topMentors>;
}

export async function rankMentorsForTeam(db: Database, programme: Programme, teamId: number, count: number): Promise<TeamCandidates> {
  const [[team], mentors, forbidden, constraints] = await Promise.all([
    loadTeams(db, programme.id, [teamId]),
    loadMentors(db, programme.id),
    forbiddenMentorsOf(db, programme.id, teamId),
    listConstraints(db, programme.id),
  ]);
  const excluded = new Set(forbidden);
  const ranked =
    team?.matchable === true
      ? topMentors(team.candidate, mentors.filter((m) => !excluded.has(m.mentor.id)).map((m) => m.candidate), programmeWeights(programme), count)
      : [];
  return { team, mentorsById: new Map(mentors.map((m) => [m.mentor.id, m])), forbidden, constraints, ranked };
}

/** The programme's weights; a stored value that no longer makes sense falls back to the defaults. */
export function programmeWeights(programme: Pick<Programme, 'matchingWeights'>): MatchingWeights {
  if (!programme.matchingWeights) return { ...DEFAULT_WEIGHTS };
  let stored: unknown;
  try {
    stored = JSON.parse(programme.matchingWeights);
  } catch {
    return { ...DEFAULT_WEIGHTS };
  }
  const merged = mergeWeights(stored);
  return merged.ok ? merged.weights : { ...DEFAULT_WEIGHTS };
}

/** The people of a team who use the bot, in the order they joined. */
export async function loadTeamMembers(db: Database, teamId: number): Promise<Person[]> {
  const members = await db.teamMember.findMany({ where: { teamId }, orderBy: [{ joinedAt: 'asc' }, { id: 'asc' }] });
  const people = await db.person.findMany({ where: { id: { in: members.map((m) => m.personId) } } });
  const byId = new Map(people.map((p) => [p.id, p]));
  return members.map((m) => byId.get(m.personId)).filter((p): p is Person => p !== undefined);
}
