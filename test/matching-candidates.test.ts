import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/db/database.js';
import { parseDatabaseUrl } from '../src/db/database-url.js';
import { currentProgramme } from '../src/db/programmes.js';
import { DEFAULT_WEIGHTS, scorePair } from '../src/domain/matching.js';
import { loadMentors, loadPool, loadTeams, programmeWeights } from '../src/matching/candidates.js';
import { seedMentor, seedTeam } from './support/matching-seed.js';
import { tempDir } from './support/test-bot.js';

let open: Database | undefined;
afterEach(async () => {
  await open?.$disconnect();
  open = undefined;
});

async function database(): Promise<{ db: Database; programmeId: number }> {
  const db = await openDatabase(parseDatabaseUrl(`file:${path.join(tempDir(), 'candidates.db')}`)!, { migrate: true });
  open = db;
  const programme = await currentProgramme(db, { timeZone: 'Europe/Kyiv' });
  return { db, programmeId: programme.id };
}

async function pair(db: Database, programmeId: number, mentorId: number, teamId: number, status: 'active' | 'ended') {
  await db.pair.create({ data: { programmeId, mentorId, teamId, status, createdById: 1, publishedAt: new Date('2026-02-01T00:00:00Z') } });
}

describe('building matching candidates from the database', () => {
  it('reads a mentor from the application and the strengths profile, with their active pairs only', async () => {
    const { db, programmeId } = await database();
    const anna = await seedMentor(db, {
      name: 'Anna Shevchenko',
      themes: ['international_projects'],
      expertiseOther: 'Twinning',
      policyAreas: ['participation', 'international_projects'],
      population: 42_000,
      languages: ['uk', 'en'],
      country: 'Ukraine',
      city: 'Lviv',
      capacity: 3,
    });
    const busy = await seedTeam(db, { name: 'Lutsk', themes: ['participation'], languages: ['uk'] });
    const done = await seedTeam(db, { name: 'Dubno', themes: ['participation'], languages: ['uk'] });
    await pair(db, programmeId, anna.id, busy.id, 'active');
    await pair(db, programmeId, anna.id, done.id, 'ended');

    const [entry] = await loadMentors(db, programmeId);
    expect(entry).toMatchObject({
      name: 'Anna Shevchenko',
      organisation: 'City Hall',
      expertise: ['international_projects'],
      expertiseOther: 'Twinning',
      policyAreas: ['participation', 'international_projects'],
      currentLoad: 1,
    });
    expect(entry!.candidate).toEqual({
      id: anna.id,
      themes: ['international_projects', 'participation'],
      languages: ['uk', 'en'],
      country: 'Ukraine',
      city: 'Lviv',
      population: 42_000,
      capacity: 3,
      currentLoad: 1,
      availability: { sixMonths: true, travel: true, meetings: true },
    });
  });

  it('reads a team from its needs analysis; the population given there wins over the one typed at creation', async () => {
    const { db, programmeId } = await database();
    const rivne = await seedTeam(db, {
      name: 'Rivne',
      region: 'Rivne oblast',
      city: 'Rivne',
      population: 240_000,
      needsPopulation: 38_000,
      themes: ['grant_funding'],
      languages: ['uk'],
    });
    const kovel = await seedTeam(db, { name: 'Kovel', population: 55_000, themes: ['participation'], languages: ['uk'] });
    const silent = await seedTeam(db, { name: 'Dubno', needsStatus: 'none' });

    const teams = await loadTeams(db, programmeId);
    expect(teams.map((t) => [t.team.id, t.population, t.matchable, t.needsStatus])).toEqual([
      [rivne.id, 38_000, true, 'submitted'],
      [kovel.id, 55_000, true, 'submitted'],
      [silent.id, undefined, false, undefined],
    ]);
    expect(teams[0]!.candidate).toEqual({
      id: rivne.id,
      themes: ['grant_funding'],
      languages: ['uk'],
      country: 'Ukraine',
      region: 'Rivne oblast',
      city: 'Rivne',
      population: 38_000,
    });
  });

  it('puts in the pool only teams with a submitted needs analysis saying themes and languages, and no mentor yet', async () => {
    const { db, programmeId } = await database();
    const mentor = await seedMentor(db, { name: 'Ilze', themes: ['participation'], languages: ['en'] });
    const ready = await seedTeam(db, { name: 'Ready', themes: ['participation'], languages: ['en'] });
    await seedTeam(db, { name: 'Draft', themes: ['participation'], languages: ['en'], needsStatus: 'draft' });
    await seedTeam(db, { name: 'No themes', languages: ['en'] });
    const paired = await seedTeam(db, { name: 'Paired', themes: ['participation'], languages: ['en'] });
    await pair(db, programmeId, mentor.id, paired.id, 'active');

    const pool = await loadPool(db, programmeId);
    expect(pool.teams.map((t) => t.team.name)).toEqual(['Ready']);
    expect(pool.mentors.map((m) => m.mentor.id)).toEqual([mentor.id]);
    // Capacity 1 and one active pair: the mentor is full for the rest of the pool.
    expect(scorePair(pool.mentors[0]!.candidate, pool.teams[0]!.candidate).reasons[0]).toEqual({ kind: 'full' });
    expect(ready.id).toBe(pool.teams[0]!.team.id);
  });

  it('reads the programme’s weights, falling back to the standard ones when unset or unreadable', () => {
    expect(programmeWeights({ matchingWeights: null })).toEqual(DEFAULT_WEIGHTS);
    expect(programmeWeights({ matchingWeights: '{"theme":10}' })).toEqual({ ...DEFAULT_WEIGHTS, theme: 10 });
    expect(programmeWeights({ matchingWeights: 'not json' })).toEqual(DEFAULT_WEIGHTS);
    expect(programmeWeights({ matchingWeights: '{"colour":1}' })).toEqual(DEFAULT_WEIGHTS);
  });
});
