import type { Person } from './db/database.js';

/** Coordinators are the ids in ADMIN_IDS plus anyone given the role in the database. */
export function isCoordinator(person: Pick<Person, 'telegramId' | 'role'>, adminIds: ReadonlySet<bigint>): boolean {
  return adminIds.has(person.telegramId) || person.role === 'coordinator';
}
