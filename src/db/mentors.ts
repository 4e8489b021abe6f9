import type { Mentor } from '../generated/sqlite/client.ts';
import type { Database, Person } from './database.js';

export type { Mentor };

/** How many teams a mentor can take, as a coordinator may set it. */
export const MIN_CAPACITY = 1;
export const MAX_CAPACITY = 10;

/**
 * Makes the applicant a mentor of the programme once their acceptance is sent.
 * Accepting the same person again keeps their row (and the capacity set for them).
 */
export function recordMentor(
  db: Database,
  mentor: { programmeId: number; personId: number; applicationId: number; acceptedAt: Date },
): Promise<Mentor> {
  return db.mentor.upsert({
    where: { programmeId_personId: { programmeId: mentor.programmeId, personId: mentor.personId } },
    create: mentor,
    update: {},
  });
}

export function findMentorByApplication(db: Database, applicationId: number): Promise<Mentor | null> {
  return db.mentor.findUnique({ where: { applicationId } });
}

export function findMentor(db: Database, programmeId: number, personId: number): Promise<Mentor | null> {
  return db.mentor.findUnique({ where: { programmeId_personId: { programmeId, personId } } });
}

export function setMentorCapacity(db: Database, mentorId: number, capacity: number): Promise<Mentor> {
  return db.mentor.update({ where: { id: mentorId }, data: { capacity } });
}

/** True once the person's acceptance as a mentor of the programme has been sent to them. */
export async function isAcceptedMentor(db: Database, programmeId: number, personId: number): Promise<boolean> {
  return (await findMentor(db, programmeId, personId)) !== null;
}

/** The programme's mentors with who they are, in the order they were accepted. */
export async function listAcceptedMentors(db: Database, programmeId: number): Promise<Array<Mentor & { person: Person }>> {
  const mentors = await db.mentor.findMany({ where: { programmeId }, orderBy: [{ acceptedAt: 'asc' }, { id: 'asc' }] });
  const people = await db.person.findMany({ where: { id: { in: mentors.map((m) => m.personId) } } });
  const byId = new Map(people.map((p) => [p.id, p]));
  return mentors.flatMap((m) => {
    const person = byId.get(m.personId);
    return person ? [{ ...m, person }] : [];
  });
}
