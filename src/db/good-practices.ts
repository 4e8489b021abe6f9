import type { Database } from './database.js';

export const goodPracticeOwner = (goodPracticeId: number) => `good_practice:${goodPracticeId}`;

export function createGoodPractice(db: Database, practice: { programmeId: number; authorKey: string; createdById: number }) {
  return db.goodPractice.create({ data: practice });
}

export function findGoodPractice(db: Database, id: number) {
  return db.goodPractice.findUnique({ where: { id } });
}

export function listGoodPracticesBy(db: Database, authorKeys: string[]) {
  return db.goodPractice.findMany({ where: { authorKey: { in: authorKeys } }, orderBy: { id: 'asc' } });
}

export async function deleteGoodPractice(db: Database, id: number): Promise<void> {
  await db.goodPractice.deleteMany({ where: { id } });
}

/**
 * Whose good practices a person writes and reads: their own (as an accepted mentor and
 * as a team member) and those of their pair's other side.
 */
export async function goodPracticeAuthors(db: Database, programmeId: number, personId: number): Promise<{ own: string[]; partners: string[] }> {
  const own: string[] = [];
  const partners: string[] = [];
  const mentor = await db.mentor.findUnique({ where: { programmeId_personId: { programmeId, personId } } });
  if (mentor) {
    own.push(`person:${personId}`);
    const pairs = await db.pair.findMany({ where: { mentorId: mentor.id, status: 'active' } });
    partners.push(...pairs.map((p) => `team:${p.teamId}`));
  }
  const membership = await db.teamMember.findFirst({ where: { personId, team: { programmeId } } });
  if (membership) {
    own.push(`team:${membership.teamId}`);
    const pair = await db.pair.findFirst({ where: { teamId: membership.teamId, status: 'active' } });
    const pairMentor = pair ? await db.mentor.findUnique({ where: { id: pair.mentorId } }) : null;
    if (pairMentor) partners.push(`person:${pairMentor.personId}`);
  }
  return { own, partners };
}
