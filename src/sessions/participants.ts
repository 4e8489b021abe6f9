import type { Database, Person, Programme, Team } from '../db/database.js';
import { listAcceptedMentors } from '../db/mentors.js';
import { findPair, listActivePairs, type Pair, pairsOfTeam } from '../db/pairs.js';
import { findPeopleByIds } from '../db/people.js';
import type { Session } from '../db/sessions.js';
import { findTeam, findTeamOfPerson, listMembers, listTeams } from '../db/teams.js';

/** Who a session concerns: the pair's mentor, the team's members and the organiser. */
export interface SessionParty {
  pair: Pair;
  team: Team | undefined;
  mentor: Person | undefined;
  members: Person[];
  organiser: Person | undefined;
}

export function personName(person: Pick<Person, 'firstName' | 'lastName'> | undefined): string {
  if (!person) return '—';
  return [person.firstName, person.lastName].filter(Boolean).join(' ');
}

/** The mentor's person of a pair (mentor rows are few: one per accepted mentor). */
export async function mentorPersonOf(db: Database, programmeId: number, mentorId: number): Promise<Person | undefined> {
  return (await listAcceptedMentors(db, programmeId)).find((m) => m.id === mentorId)?.person;
}

export async function loadParty(db: Database, pairId: number, organiserId: number): Promise<SessionParty | undefined> {
  const pair = await findPair(db, pairId);
  if (!pair) return undefined;
  const [team, mentor, members, organiser] = await Promise.all([
    findTeam(db, pair.teamId),
    mentorPersonOf(db, pair.programmeId, pair.mentorId),
    listMembers(db, pair.teamId),
    findPeopleByIds(db, [organiserId]).then((people) => people[0]),
  ]);
  return { pair, team: team ?? undefined, mentor, members, organiser };
}

export function loadSessionParty(db: Database, session: Pick<Session, 'pairId' | 'organiserId'>): Promise<SessionParty | undefined> {
  return session.pairId === null ? Promise.resolve(undefined) : loadParty(db, session.pairId, session.organiserId);
}

/** Everyone who is told about the session, each once. */
export function recipientsOf(party: SessionParty): Person[] {
  const seen = new Map<number, Person>();
  for (const person of [party.mentor, ...party.members, party.organiser]) {
    if (person && !seen.has(person.id)) seen.set(person.id, person);
  }
  return [...seen.values()];
}

/** The mentor and the team: those who answer invitations (the organiser too when they are one of them or anyone invited). */
export function isParticipant(party: SessionParty, personId: number): boolean {
  return recipientsOf(party).some((p) => p.id === personId);
}

/** Who may reschedule or cancel: the organiser, the pair's mentor, or a coordinator. */
export function canManage(party: SessionParty, session: Pick<Session, 'organiserId'>, personId: number, isCoordinator: boolean): boolean {
  return isCoordinator || session.organiserId === personId || party.mentor?.id === personId;
}

export interface PairEntry {
  pair: Pair;
  mentorName: string;
  teamName: string;
}

/** Active pairs with their mentor's and team's names; only `mentorPersonId`'s when given. */
export async function activePairEntries(db: Database, programme: Programme, mentorPersonId?: number): Promise<PairEntry[]> {
  const [pairs, mentors, teams] = await Promise.all([
    listActivePairs(db, programme.id),
    listAcceptedMentors(db, programme.id),
    listTeams(db, programme.id),
  ]);
  const mentorById = new Map(mentors.map((m) => [m.id, m]));
  const teamById = new Map(teams.map((t) => [t.id, t]));
  return pairs
    .filter((pair) => mentorPersonId === undefined || mentorById.get(pair.mentorId)?.personId === mentorPersonId)
    .map((pair) => ({
      pair,
      mentorName: personName(mentorById.get(pair.mentorId)?.person),
      teamName: teamById.get(pair.teamId)?.name ?? '—',
    }));
}

/** Pairs whose sessions a person takes part in: as the mentor or as a member of the team. */
export async function pairIdsOfPerson(db: Database, programme: Programme, personId: number): Promise<number[]> {
  const asMentor = (await activePairEntries(db, programme, personId)).map((e) => e.pair.id);
  const team = await findTeamOfPerson(db, programme.id, personId);
  const asMember = team ? (await pairsOfTeam(db, team.id)).map((p) => p.id) : [];
  return [...new Set([...asMentor, ...asMember])];
}
