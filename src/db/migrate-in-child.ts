import { fork } from 'node:child_process';
import type { DatabaseLocation } from './database-url.js';
import { applyMigrations, pendingMigrations } from './migrations.js';

/** Sent back by src/db/migration-child.ts. */
export type MigrationChildAnswer = { applied: string[] } | { error: string };

/**
 * Applies pending migrations in a short-lived child process. The WebAssembly schema
 * engine takes some 80 MiB that a process never gives back; the bot should not carry
 * that for its whole life, and when nothing is pending it does not load it at all.
 */
export async function migrateInChildProcess(location: DatabaseLocation): Promise<string[]> {
  if ((await pendingMigrations(location)).length === 0) return [];
  // Nobody else can reach an in-memory database.
  if (location.provider === 'sqlite' && location.file === ':memory:') return applyMigrations(location);

  // Compiled, this runs as .js under plain node; from the sources (tests, tsx), as .ts with tsx's loader.
  const entry = new URL(`./migration-child${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  const execArgv = entry.pathname.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
  const child = fork(entry, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // The URL may hold a password: it goes over the IPC channel, never on the command line.
  child.send(location.url);
  const answer = await new Promise<MigrationChildAnswer | undefined>((resolve, reject) => {
    let received: MigrationChildAnswer | undefined;
    child.once('message', (message: MigrationChildAnswer) => (received = message));
    child.once('error', reject);
    child.once('exit', () => resolve(received));
  });
  if (!answer) throw new Error(`the migration process ended without an answer (exit code ${child.exitCode})`);
  if ('error' in answer) throw new Error(`migrating the database failed: ${answer.error}`);
  return answer.applied;
}
