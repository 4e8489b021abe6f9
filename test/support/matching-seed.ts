import type { Database } from '../../src/db/database.js';

/**
 * Accepted mentors and mentee teams with their answers, written straight into the
 * database: other features (application review, teams, needs analysis) create them.
 */

let nextTelegramId = 5000;

export async function programmeId(db: Database): Promise<number> {
  const programme = await db.programme.findFirst({ orderBy: { id: 'asc' } });
  return programme!.id;
}

async function person(db: Database, fields: { telegramId?: number; firstName: string; lastName?: string; language: string; username?: string }) {
  return db.person.create({
    data: {
      telegramId: BigInt(fields.telegramId ?? nextTelegramId++),
      firstName: fields.firstName,
      lastName: fields.lastName ?? null,
      username: fields.username ?? null,
      language: fields.language,
    },
  });
}

async function response(
  db: Database,
  key: { programmeId: number; formId: string; ownerKey: string; status?: string },
  answers: Record<string, unknown>,
  answeredById: number,
) {
  return db.formResponse.create({
    data: {
      programmeId: key.programmeId,
      formId: key.formId,
      ownerKey: key.ownerKey,
      status: key.status ?? 'submitted',
      submittedAt: key.status === 'draft' ? null : new Date('2026-01-10T10:00:00Z'),
      answers: {
        create: Object.entries(answers).map(([questionId, value]) => ({
          questionId,
          value: JSON.stringify(value),
          answeredById,
          answeredAt: new Date('2026-01-10T10:00:00Z'),
        })),
      },
    },
  });
}

export interface SeedMentor {
  name: string;
  telegramId?: number;
  language?: string;
  username?: string;
  themes?: string[];
  expertiseOther?: string;
  languages?: string[];
  country?: string;
  city?: string;
  organisation?: string;
  position?: string;
  available?: boolean;
  capacity?: number;
  /** Strengths profile. */
  policyAreas?: string[];
  population?: number;
}

/** An accepted mentor; returns the Mentor row id and the person. */
export async function seedMentor(db: Database, m: SeedMentor) {
  const pid = await programmeId(db);
  const [firstName, ...rest] = m.name.split(' ');
  const who = await person(db, { telegramId: m.telegramId, firstName: firstName!, lastName: rest.join(' ') || undefined, language: m.language ?? 'en', username: m.username });
  const available = m.available ?? true;
  const application = await response(
    db,
    { programmeId: pid, formId: 'application', ownerKey: `person:${who.id}` },
    {
      full_name: m.name,
      email: 'mentor@example.org',
      country: m.country ?? 'Poland',
      city: m.city ?? 'Lublin',
      organisation: m.organisation ?? 'City Hall',
      position: m.position ?? 'Head of international relations',
      expertise_areas: { choices: m.themes ?? [], ...(m.expertiseOther ? { other: m.expertiseOther } : {}) },
      working_languages: { choices: m.languages ?? ['en'] },
      ready_six_months: available,
      ready_to_travel: available,
      ready_for_meetings: available,
    },
    who.id,
  );
  if (m.policyAreas || m.population) {
    await response(
      db,
      { programmeId: pid, formId: 'strengths_profile', ownerKey: `person:${who.id}` },
      { ...(m.policyAreas ? { policy_areas: { choices: m.policyAreas } } : {}), ...(m.population ? { population: m.population } : {}) },
      who.id,
    );
  }
  const mentor = await db.mentor.create({
    data: { programmeId: pid, personId: who.id, applicationId: application.id, capacity: m.capacity ?? 1, acceptedAt: new Date('2026-01-20T10:00:00Z') },
  });
  return { id: mentor.id, person: who };
}

export interface SeedTeam {
  name: string;
  country?: string;
  region?: string;
  city?: string;
  population?: number;
  contactName?: string;
  contactEmail?: string;
  themes?: string[];
  languages?: string[];
  /** Population given in the needs analysis. */
  needsPopulation?: number;
  needsStatus?: 'submitted' | 'draft' | 'none';
  members?: Array<{ name: string; telegramId?: number; language?: string }>;
}

/** A mentee team with its needs analysis and members; returns the Team id and the members. */
export async function seedTeam(db: Database, s: SeedTeam, createdById = 1) {
  const pid = await programmeId(db);
  const team = await db.team.create({
    data: {
      programmeId: pid,
      name: s.name,
      country: s.country ?? 'Ukraine',
      region: s.region ?? null,
      city: s.city ?? null,
      population: s.population ?? null,
      contactName: s.contactName ?? null,
      contactEmail: s.contactEmail ?? null,
      createdById,
    },
  });
  const members = [];
  for (const member of s.members ?? []) {
    const [firstName, ...rest] = member.name.split(' ');
    const who = await person(db, { telegramId: member.telegramId, firstName: firstName!, lastName: rest.join(' ') || undefined, language: member.language ?? 'en' });
    await db.teamMember.create({ data: { teamId: team.id, personId: who.id, joinedAt: new Date('2026-01-15T10:00:00Z') } });
    members.push(who);
  }
  if ((s.needsStatus ?? 'submitted') !== 'none') {
    await response(
      db,
      { programmeId: pid, formId: 'needs_analysis', ownerKey: `team:${team.id}`, status: s.needsStatus ?? 'submitted' },
      {
        challenges: 'Few international contacts.',
        ...(s.themes ? { themes: { choices: s.themes } } : {}),
        ...(s.languages ? { working_languages: { choices: s.languages } } : {}),
        ...(s.needsPopulation ? { population: s.needsPopulation } : {}),
      },
      members[0]?.id ?? createdById,
    );
  }
  return { id: team.id, members };
}

/** Everything the console could have changed, to prove that nothing did. */
export async function snapshot(db: Database) {
  const [pairs, constraints, programme, audit] = await Promise.all([
    db.pair.findMany({ orderBy: { id: 'asc' } }),
    db.matchConstraint.findMany({ orderBy: { id: 'asc' } }),
    db.programme.findFirst({ orderBy: { id: 'asc' } }),
    db.auditEntry.count(),
  ]);
  return { pairs, constraints, weights: programme?.matchingWeights ?? null, audit };
}
