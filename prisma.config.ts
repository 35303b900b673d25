// Prisma CLI configuration. The datasource URL comes from DATABASE_URL (default: the local dev database).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/econ_dispatch' },
});
