import type { Database, Person } from './database.js';
import { asNumber, directSql, sql } from './direct-sql.js';
import { type Locale, localeFromTelegram } from '../locales.js';

export type Role = 'member' | 'coordinator';

export interface TelegramProfile {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/**
 * Records whoever writes to the bot and keeps their name and (until they choose one) language current.
 * `known` is their row as just read (null: not there), to save reading it again.
 */
export async function upsertPerson(db: Database, profile: TelegramProfile, fallback: Locale, known?: Person | null): Promise<Person> {
  const telegramId = BigInt(profile.id);
  const telegramLocale = localeFromTelegram(profile.language_code, fallback);
  const existing = known !== undefined ? known : await db.person.findUnique({ where: { telegramId } });
  if (!existing) {
    // Someone's first message: one insert (plain SQL, see direct-sql.ts) that leaves a row written meanwhile alone.
    const now = new Date();
    const [created] = await directSql(db).query<{ id: unknown }>(sql`INSERT INTO "Person"
      ("telegramId", "firstName", "lastName", "username", "language", "languageChosen", "role", "createdAt", "updatedAt")
      VALUES (${telegramId}, ${profile.first_name}, ${profile.last_name ?? null}, ${profile.username ?? null}, ${telegramLocale}, ${false}, ${'member'}, ${now}, ${now})
      ON CONFLICT ("telegramId") DO NOTHING RETURNING "id"`);
    if (!created) return db.person.findUniqueOrThrow({ where: { telegramId } });
    return {
      id: asNumber(created.id),
      telegramId,
      firstName: profile.first_name,
      lastName: profile.last_name ?? null,
      username: profile.username ?? null,
      language: telegramLocale,
      languageChosen: false,
      role: 'member',
      blockedAt: null,
      createdAt: now,
      updatedAt: now,
    };
  }
  const language = existing.languageChosen ? existing.language : telegramLocale;
  const unchanged =
    existing.firstName === profile.first_name &&
    existing.lastName === (profile.last_name ?? null) &&
    existing.username === (profile.username ?? null) &&
    existing.language === language &&
    existing.blockedAt === null;
  if (unchanged) return existing;
  return db.person.update({
    where: { telegramId },
    data: {
      firstName: profile.first_name,
      lastName: profile.last_name ?? null,
      username: profile.username ?? null,
      language,
      blockedAt: null,
    },
  });
}

export function findPerson(db: Database, telegramId: bigint): Promise<Person | null> {
  return db.person.findUnique({ where: { telegramId } });
}

export function chooseLanguage(db: Database, telegramId: bigint, language: Locale): Promise<Person> {
  return db.person.update({ where: { telegramId }, data: { language, languageChosen: true } });
}

export function setRole(db: Database, telegramId: bigint, role: Role): Promise<Person> {
  return db.person.update({ where: { telegramId }, data: { role } });
}

export function listPeopleWithRole(db: Database, role: Role): Promise<Person[]> {
  return db.person.findMany({ where: { role }, orderBy: { id: 'asc' } });
}

/** Telegram said 403: the person blocked the bot. Later sends skip them until they write again. */
export async function markBlocked(db: Database, telegramId: bigint, at: Date): Promise<void> {
  await db.person.updateMany({ where: { telegramId, blockedAt: null }, data: { blockedAt: at } });
}

export async function clearBlocked(db: Database, telegramId: bigint): Promise<void> {
  await db.person.updateMany({ where: { telegramId, blockedAt: { not: null } }, data: { blockedAt: null } });
}

/** Coordinators the bot can write to: those in ADMIN_IDS who have opened the bot, and those given the role. */
export function listCoordinators(db: Database, adminIds: ReadonlySet<bigint>): Promise<Person[]> {
  return db.person.findMany({
    where: { OR: [{ role: 'coordinator' }, { telegramId: { in: [...adminIds] } }] },
    orderBy: { id: 'asc' },
  });
}

export function findPersonById(db: Database, id: number): Promise<Person | null> {
  return db.person.findUnique({ where: { id } });
}

export function findPeopleByIds(db: Database, ids: number[]): Promise<Person[]> {
  return db.person.findMany({ where: { id: { in: [...new Set(ids)] } } });
}
