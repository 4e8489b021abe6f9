/**
 * Run by migrateInChildProcess (src/db/migrate-in-child.ts): receives the database URL,
 * applies the pending migrations, answers with their names and ends, taking the
 * schema engine's memory with it.
 */
import type { MigrationChildAnswer } from './migrate-in-child.js';
import { parseDatabaseUrl } from './database-url.js';
import { applyMigrations } from './migrations.js';

process.once('message', async (url: string) => {
  let answer: MigrationChildAnswer;
  try {
    const location = parseDatabaseUrl(url);
    if (!location) throw new Error('the database URL is not one CityMentor can use');
    answer = { applied: await applyMigrations(location) };
  } catch (error) {
    answer = { error: error instanceof Error ? error.message : String(error) };
  }
  process.send!(answer, () => process.disconnect());
});
