import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { DatabaseProvider } from './database-url.js';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

export const schemaPath = path.join(projectRoot, 'prisma', 'schema.prisma');

/** SQLite keeps Prisma's default folder; PostgreSQL has its own next to its derived schema. */
export function migrationsDir(provider: DatabaseProvider): string {
  return provider === 'sqlite'
    ? path.join(projectRoot, 'prisma', 'migrations')
    : path.join(projectRoot, 'prisma', 'postgresql', 'migrations');
}
