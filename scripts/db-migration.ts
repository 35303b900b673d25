// npm run db:migration -- <name> — writes a new migration from the difference between
// prisma/migrations and prisma/schema.prisma, replaying the history on a temporary shadow database.
import { createMigration, dropDatabase } from '../src/platform/migrator.ts';
import { databaseUrlFromEnv, shadowUrlFor } from '../src/config/env.ts';

const name = process.argv[2];
if (!name) {
  console.error('Usage: npm run db:migration -- <name>   (letters, digits and _)');
  process.exit(2);
}
const url = databaseUrlFromEnv();
const shadow = process.env.SHADOW_DATABASE_URL ?? shadowUrlFor(url);
try {
  const res = await createMigration(url, shadow, name, new Date());
  console.log(res ? `Wrote ${res.dir}/migration.sql` : 'schema.prisma matches the migrations; no migration written.');
} finally {
  if (!process.env.SHADOW_DATABASE_URL) await dropDatabase(shadow);
}
