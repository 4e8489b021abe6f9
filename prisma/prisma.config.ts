// For Prisma's own CLI on SQLite, where its native engine is available:
//   DATABASE_URL=file:./data/citymentor.db npx prisma migrate deploy --config prisma/prisma.config.ts
import { defineConfig, env } from 'prisma/config';

export default defineConfig({
  schema: './schema.prisma',
  migrations: { path: './migrations' },
  datasource: { url: env('DATABASE_URL') },
});
