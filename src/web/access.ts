import type { Database } from '../db/database.js';
import type { ResponseSnapshot } from '../db/form-responses.js';
import { findGoodPractice, goodPracticeAuthors } from '../db/good-practices.js';
import { findTeamOfPerson } from '../db/teams.js';

/**
 * Whether a person may read and change a response from the page: their own
 * (person:<id>), their team's (team:<id>), or a good practice written by them or
 * their team. Anything else is refused.
 */
export async function mayUseResponse(db: Database, personId: number, response: ResponseSnapshot): Promise<boolean> {
  // Personal answers within something shared, e.g. one person's evaluation of a pair: "pair:<id>:person:<id>".
  const personal = /^[a-z_]+:\d+:person:(\d+)$/.exec(response.ownerKey);
  if (personal) return Number(personal[1]) === personId;
  const [kind, id] = response.ownerKey.split(':');
  const ownerId = Number(id);
  if (!Number.isSafeInteger(ownerId)) return false;
  if (kind === 'person') return ownerId === personId && response.ownerKey === `person:${ownerId}`;
  if (kind === 'team') {
    const team = await findTeamOfPerson(db, response.programmeId, personId);
    return team?.id === ownerId && response.ownerKey === `team:${ownerId}`;
  }
  if (kind === 'good_practice') {
    const practice = await findGoodPractice(db, ownerId);
    if (!practice || practice.programmeId !== response.programmeId) return false;
    const { own } = await goodPracticeAuthors(db, response.programmeId, personId);
    return own.includes(practice.authorKey);
  }
  return false;
}
