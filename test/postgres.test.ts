import { describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseUrl } from './support/postgres.js';
import { startTestBot } from './support/test-bot.js';

describe.skipIf(!testDatabaseUrl)('on PostgreSQL', () => {
  it('migrates an empty database, greets, and keeps a chosen language across a restart', async () => {
    const databaseUrl = await createTestDatabase();
    const first = await startTestBot({ databaseUrl, env: { ADMIN_IDS: '91' } });
    const user = first.user({ id: 92, first_name: 'Anna', language_code: 'en' });
    expect((await user.send('/start')).text).toMatch(/Hello, Anna!/);
    await user.send('/language');
    await user.press('Latviešu');

    const second = await first.restart();
    expect((await second.user({ id: 92, first_name: 'Anna', language_code: 'en' }).send('/start')).text).toMatch(/Sveiki, Anna!/);
    const migrations = await second.app.deps.db.$queryRawUnsafe<Array<{ migration_name: string }>>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL',
    );
    expect(migrations.length).toBeGreaterThan(0);
  });
});
