import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { build, buildIsStale } from '../../scripts/build.mjs';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { applyMigrations } from '../../src/db/migrations.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A SQLite file with every migration applied: tests copy it instead of migrating each new database. */
    migratedSqliteTemplate: string;
  }
}

/**
 * Compiles dist/ when it is older than the sources (tests that run `npm start` use it;
 * compiling here once keeps parallel workers from compiling at the same time), and
 * migrates one SQLite file for the whole run; the bot's own migrating is tested where
 * it starts on an empty file.
 */
export default async function setup(project: TestProject) {
  if (buildIsStale()) build();
  const dir = mkdtempSync(path.join(tmpdir(), 'citymentor-template-'));
  const file = path.join(dir, 'template.db');
  await applyMigrations(parseDatabaseUrl(`file:${file}`)!);
  project.provide('migratedSqliteTemplate', file);
  return () => rmSync(dir, { recursive: true, force: true });
}
