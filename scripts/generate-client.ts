/**
 * Generates the Prisma clients for SQLite and PostgreSQL from prisma/schema.prisma.
 * Runs after every `npm install`. Generation needs no database engine, but the
 * Prisma CLI insists on finding one before it starts; on machines that cannot
 * download it, any executable will do, so we point it at Node itself.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { toPostgresqlSchema } from '../src/db/migrations.js';
import { projectRoot, schemaPath } from '../src/db/paths.js';

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');

const postgresqlSchemaPath = path.join(projectRoot, 'prisma', 'postgresql', 'schema.prisma');
mkdirSync(path.dirname(postgresqlSchemaPath), { recursive: true });
writeFileSync(
  postgresqlSchemaPath,
  '// Generated from ../schema.prisma by scripts/generate-client.ts; edit that file instead.\n' +
    toPostgresqlSchema(readFileSync(schemaPath, 'utf8')),
);

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
for (const schema of [schemaPath, postgresqlSchemaPath]) {
  execFileSync(process.execPath, [prismaCli, 'generate', '--schema', schema], { stdio: 'inherit', env, cwd: projectRoot });
}
