import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DatabaseProvider } from './database-url.js';

/** The folder holding package.json: this file runs from src/db/ under tsx and from dist/src/db/ when compiled. */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const projectRoot = findProjectRoot(import.meta.dirname);

export const schemaPath = path.join(projectRoot, 'prisma', 'schema.prisma');

/** SQLite keeps Prisma's default folder; PostgreSQL has its own next to its derived schema. */
export function migrationsDir(provider: DatabaseProvider): string {
  return provider === 'sqlite'
    ? path.join(projectRoot, 'prisma', 'migrations')
    : path.join(projectRoot, 'prisma', 'postgresql', 'migrations');
}
