/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL (the bot also does this at start).
 * `npm run db:new-migration -- <name>`: writes the migration for a change to prisma/schema.prisma,
 * for SQLite and, when POSTGRES_URL names a server to use as a shadow, for PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseDatabaseUrl } from '../src/db/database-url.js';
import { applyMigrations, createPostgresqlMigration, createSqliteMigration } from '../src/db/migrations.js';
import { loadEnvFile, readDatabaseUrl } from '../src/config.js';

loadEnvFile();
const [command, name] = process.argv.slice(2);

if (command === 'deploy') {
  const location = readDatabaseUrl(process.env);
  const applied = await applyMigrations(location);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
} else if (command === 'new' && name && /^[a-z0-9_]+$/.test(name)) {
  // Prisma's folder naming: a UTC timestamp, then the name; the same for both databases.
  const directoryName = `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${name}`;
  const scratchDir = mkdtempSync(path.join(tmpdir(), 'citymentor-migration-'));
  try {
    const created = await createSqliteMigration(parseDatabaseUrl(`file:${path.join(scratchDir, 'scratch.db')}`)!, directoryName);
    console.log(created ? `SQLite: prisma/migrations/${created}` : 'SQLite: no changes.');
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
  const postgresUrl = process.env.POSTGRES_URL;
  if (postgresUrl) {
    const server = parseDatabaseUrl(postgresUrl);
    if (!server) throw new Error('POSTGRES_URL must look like postgresql://user@host:5432/database');
    // The schema as last committed is the state the existing PostgreSQL migrations describe.
    const previous = committedSchema();
    const created = await createPostgresqlMigration(server, previous, directoryName);
    console.log(created ? `PostgreSQL: prisma/postgresql/migrations/${created}` : 'PostgreSQL: no changes.');
  } else {
    console.log('Set POSTGRES_URL=postgresql://… to write the PostgreSQL migration too.');
  }
} else {
  console.error('Usage: tsx scripts/migrate.ts deploy | new <name_in_snake_case>');
  process.exit(2);
}

function committedSchema(): string | undefined {
  try {
    return execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}
