import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../src/db/database-url.js';
import { openDatabase } from '../src/db/database.js';
import { currentProgramme } from '../src/db/programmes.js';
import { createTestDatabase, testDatabaseUrl } from './support/postgres.js';
import { tempDir } from './support/test-bot.js';

const databases: Array<[string, (() => Promise<string>) | undefined]> = [
  ['SQLite', async () => `file:${path.join(tempDir(), 'citymentor.db')}`],
  ['PostgreSQL', testDatabaseUrl ? createTestDatabase : undefined],
];

describe.each(databases)('the programme on %s', (_name, newDatabase) => {
  it.skipIf(!newDatabase)('is created once when several instances start together on an empty database', async () => {
    const location = parseDatabaseUrl(await newDatabase!())!;
    const first = await openDatabase(location, { migrate: true });
    const second = await openDatabase(location);
    try {
      const seen = await Promise.all([first, second, first, second, first, second].map((db) => currentProgramme(db, { timeZone: 'Europe/Kyiv' })));
      expect(new Set(seen.map((p) => p.id)).size).toBe(1);
      expect(await first.programme.count()).toBe(1);
    } finally {
      await Promise.all([first.$disconnect(), second.$disconnect()]);
    }
  });
});
