// npm run db:migrate — applies pending migrations (like `prisma migrate deploy`); a no-op when up to date.
import { migrateDeploy } from '../src/platform/migrator.ts';
import { databaseUrlFromEnv } from '../src/config/env.ts';

const url = databaseUrlFromEnv();
const { applied } = await migrateDeploy(url);
console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date; nothing to apply.');
