import { randomBytes } from 'node:crypto';
import type { Database } from './database.js';

/** 72 random bits, URL-safe: invitation links cannot be guessed. */
export function newInviteCode(): string {
  return randomBytes(9).toString('base64url');
}

export interface NewTeam {
  programmeId: number;
  kind: 'municipality' | 'person';
  name: string;
  country: string;
  region?: string | null;
  city?: string | null;
  population?: number | null;
  contactName?: string | null;
  contactEmail?: string | null;
  createdById: number;
}

export function createTeam(db: Database, team: NewTeam) {
  return db.team.create({ data: { ...team, inviteCode: newInviteCode() } });
}

export function findTeam(db: Database, id: number) {
  return db.team.findUnique({ where: { id } });
}

export function findTeamByInviteCode(db: Database, code: string) {
  return db.team.findUnique({ where: { inviteCode: code } });
}

/** A new link replaces the old one, which stops working. */
export function reissueInvite(db: Database, teamId: number) {
  return db.team.update({ where: { id: teamId }, data: { inviteCode: newInviteCode() } });
}

export function revokeInvite(db: Database, teamId: number) {
  return db.team.update({ where: { id: teamId }, data: { inviteCode: null } });
}

export function listTeams(db: Database, programmeId: number) {
  return db.team.findMany({ where: { programmeId }, orderBy: { id: 'asc' }, include: { _count: { select: { members: true } } } });
}

/** The team a person belongs to in a programme (a person is in at most one). */
export async function findTeamOfPerson(db: Database, programmeId: number, personId: number) {
  const membership = await db.teamMember.findFirst({ where: { personId, team: { programmeId } }, include: { team: true } });
  return membership?.team ?? null;
}

export async function addMember(db: Database, teamId: number, personId: number, at: Date): Promise<void> {
  await db.teamMember.upsert({ where: { teamId_personId: { teamId, personId } }, create: { teamId, personId, joinedAt: at }, update: {} });
}

export async function listMembers(db: Database, teamId: number) {
  const members = await db.teamMember.findMany({ where: { teamId }, orderBy: { joinedAt: 'asc' } });
  return db.person.findMany({ where: { id: { in: members.map((m) => m.personId) } }, orderBy: { id: 'asc' } });
}

export function setReopenRequested(db: Database, teamId: number, at: Date | null) {
  return db.team.update({ where: { id: teamId }, data: { reopenRequestedAt: at } });
}
