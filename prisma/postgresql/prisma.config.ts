// For Prisma's own CLI on PostgreSQL, where its native engine is available:
//   DATABASE_URL=postgresql://… npx prisma migrate deploy --config prisma/postgresql/prisma.config.ts
import { defineConfig, env } from 'prisma/config';

export default defineConfig({
  schema: './schema.prisma',
  migrations: { path: './migrations' },
  datasource: { url: env('DATABASE_URL') },
});
