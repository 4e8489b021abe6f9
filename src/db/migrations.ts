import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { createAdapterFactory } from './adapter.js';
import type { DatabaseLocation, DatabaseProvider } from './database-url.js';
import { migrationsDir, schemaPath } from './paths.js';
import { withSchemaEngine } from './schema-engine.js';

const noFilters = { externalTables: [], externalEnums: [] };

async function readMigrationList(provider: DatabaseProvider): Promise<MigrationList> {
  const baseDir = migrationsDir(provider);
  const lockPath = path.join(baseDir, 'migration_lock.toml');
  const names = existsSync(baseDir)
    ? (await readdir(baseDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort()
    : [];
  return {
    baseDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok' as const, value: await readFile(path.join(baseDir, name, 'migration.sql'), 'utf8') },
        },
      })),
    ),
  };
}

/** The schema file for a provider: the SQLite one is the source, the PostgreSQL one is derived from it. */
export async function readSchema(provider: DatabaseProvider): Promise<{ path: string; content: string }> {
  const content = await readFile(schemaPath, 'utf8');
  if (provider === 'sqlite') return { path: 'schema.prisma', content };
  return { path: 'schema.prisma', content: toPostgresqlSchema(content) };
}

export function toPostgresqlSchema(sqliteSchema: string): string {
  return sqliteSchema
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace('output       = "../src/generated/sqlite"', 'output       = "../../src/generated/postgresql"');
}

/**
 * The names of migrations recorded as applied, read without the schema engine
 * (undefined: no such database or table yet, so everything is pending).
 */
async function appliedMigrations(location: DatabaseLocation): Promise<Set<string> | undefined> {
  const query = 'SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';
  if (location.provider === 'sqlite') {
    if (!location.file || location.file === ':memory:' || !existsSync(location.file)) return undefined;
    const { default: Sqlite } = await import('better-sqlite3');
    const db = new Sqlite(location.file, { readonly: true, timeout: 15_000 });
    try {
      return new Set((db.prepare(query).all() as Array<{ name: string }>).map((r) => r.name));
    } catch {
      return undefined;
    } finally {
      db.close();
    }
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: location.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(query);
    return new Set(rows.map((r) => r.name));
  } catch {
    return undefined;
  } finally {
    await client.end();
  }
}

/** The migrations in prisma/migrations (or its PostgreSQL twin) that the database has not applied yet. */
export async function pendingMigrations(location: DatabaseLocation, list?: MigrationList): Promise<string[]> {
  const names = (list ?? (await readMigrationList(location.provider))).migrationDirectories.map((d) => d.path);
  const applied = await appliedMigrations(location);
  return applied ? names.filter((name) => !applied.has(name)) : names;
}

/** Applies every migration the database has not seen yet, in this process; returns their names. */
export async function applyMigrations(location: DatabaseLocation): Promise<string[]> {
  const migrationsList = await readMigrationList(location.provider);
  // Loading the schema engine costs time and memory; most starts have nothing to apply.
  if ((await pendingMigrations(location, migrationsList)).length === 0) return [];
  return withSchemaEngine(await createAdapterFactory(location), await readSchema(location.provider), async (engine) => {
    const result = await engine.applyMigrations({ migrationsList, filters: noFilters });
    return result.appliedMigrationNames;
  });
}

/**
 * Writes the SQLite migration that brings prisma/migrations up to prisma/schema.prisma:
 * the existing migrations are replayed on a scratch SQLite file and the difference
 * from there to the schema becomes the new migration.
 */
export async function createSqliteMigration(scratch: DatabaseLocation, directoryName: string): Promise<string | undefined> {
  const schema = await readSchema('sqlite');
  const migrationsList = await readMigrationList('sqlite');
  return withSchemaEngine(await createAdapterFactory(scratch), schema, async (engine) => {
    await engine.applyMigrations({ migrationsList, filters: noFilters });
    const diff = await engine.diff({
      from: { tag: 'schemaDatasource', files: [schema], configDir: path.dirname(schemaPath) },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return writeMigration('sqlite', directoryName, diff.stdout);
  });
}

/**
 * Writes the PostgreSQL migration from the schema as it was (`previousSchema`, SQLite
 * flavour) to the schema now. The WebAssembly engine cannot read PostgreSQL's
 * catalogue through the driver adapter, so the difference is taken between the
 * two schema texts instead of a replayed database.
 */
export async function createPostgresqlMigration(
  server: DatabaseLocation,
  previousSchema: string | undefined,
  directoryName: string,
): Promise<string | undefined> {
  const schema = await readSchema('postgresql');
  return withSchemaEngine(await createAdapterFactory(server), schema, async (engine) => {
    const diff = await engine.diff({
      from: previousSchema
        ? { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: toPostgresqlSchema(previousSchema) }] }
        : { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return writeMigration('postgresql', directoryName, diff.stdout);
  });
}

async function writeMigration(provider: DatabaseProvider, directoryName: string, script: string | null): Promise<string | undefined> {
  if (!script || !/^\s*[A-Z]/m.test(script.replace(/^--.*$/gm, ''))) return undefined;
  const baseDir = migrationsDir(provider);
  await mkdir(path.join(baseDir, directoryName), { recursive: true });
  await writeFile(path.join(baseDir, directoryName, 'migration.sql'), script);
  const lock = path.join(baseDir, 'migration_lock.toml');
  if (!existsSync(lock)) {
    await writeFile(
      lock,
      `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`,
    );
  }
  return directoryName;
}
