import type { Database, Programme } from './database.js';
import { asBoolean, asDate, asNumber, asNumberOrNull, directSql, sql } from './direct-sql.js';

/**
 * The first programme of a fresh install has this id, so that instances starting together
 * on an empty database create one programme between them, not one each. (Nothing else
 * creates programmes; a second one would need the id sequence moved past it.)
 */
const FIRST_PROGRAMME_ID = 1;

/** The programme the bot serves. A fresh install starts with one, in the configured time zone. */
export async function currentProgramme(db: Database, defaults: { timeZone: string }): Promise<Programme> {
  // Read by most commands and every submit: plain SQL (direct-sql.ts).
  const [existing] = await directSql(db).query<Record<keyof Programme, unknown>>(sql`SELECT * FROM "Programme" ORDER BY "id" ASC LIMIT 1`);
  if (existing) return programmeFromRow(existing);
  try {
    return await db.programme.create({ data: { id: FIRST_PROGRAMME_ID, name: 'CityMentor', timeZone: defaults.timeZone } });
  } catch (error) {
    // Another instance created it first.
    if ((error as { code?: string }).code !== 'P2002') throw error;
    return db.programme.findFirstOrThrow({ orderBy: { id: 'asc' } });
  }
}

function programmeFromRow(row: Record<keyof Programme, unknown>): Programme {
  return {
    id: asNumber(row.id),
    name: row.name as string,
    localizedNames: row.localizedNames as string | null,
    timeZone: row.timeZone as string,
    callOpen: asBoolean(row.callOpen),
    applicationDeadline: asDate(row.applicationDeadline),
    targetDaysPerMonth: asNumber(row.targetDaysPerMonth),
    durationMonths: asNumber(row.durationMonths),
    matchingWeights: row.matchingWeights as string | null,
    reminderOffsets: row.reminderOffsets as string,
    inactivityDays: asNumber(row.inactivityDays),
    consentText: row.consentText as string | null,
    retentionMonths: asNumberOrNull(row.retentionMonths),
    createdAt: asDate(row.createdAt)!,
    updatedAt: asDate(row.updatedAt)!,
  };
}

export function openCall(db: Database, programmeId: number, open: boolean): Promise<Programme> {
  return db.programme.update({ where: { id: programmeId }, data: { callOpen: open } });
}

/** The deadline is the last accepted instant; the zone is the one it was given in. */
export function setApplicationDeadline(db: Database, programmeId: number, deadline: Date, timeZone: string): Promise<Programme> {
  return db.programme.update({ where: { id: programmeId }, data: { applicationDeadline: deadline, timeZone } });
}

export function setPrivacySettings(db: Database, programmeId: number, settings: { consentText?: string | null; retentionMonths?: number | null }) {
  return db.programme.update({ where: { id: programmeId }, data: settings });
}

export function setProgrammeName(db: Database, programmeId: number, names: { name: string; localizedNames: string | null }): Promise<Programme> {
  return db.programme.update({ where: { id: programmeId }, data: names });
}

export function findProgramme(db: Database, id: number): Promise<Programme | null> {
  return db.programme.findUnique({ where: { id } });
}

/** The programme the bot serves, for code that has the app's dependencies at hand. */
export function programmeOf(deps: { db: Database; config: { timeZone: string } }): Promise<Programme> {
  return currentProgramme(deps.db, { timeZone: deps.config.timeZone });
}
