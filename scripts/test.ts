// npm test: makes sure PostgreSQL and Redis answer and the Prisma client is generated, then runs vitest
// on the real servers. Extra arguments go to vitest (npm test -- tests/migrations.test.ts).
import { spawnSync } from 'node:child_process';
import { databaseUrlFromEnv, DEFAULT_REDIS_URL } from '../src/config/env.ts';
import { ensureServices, ensurePrismaClient, ensureTestPackages, ServiceError } from './lib/services.ts';

try {
  await ensureServices({ databaseUrl: databaseUrlFromEnv(), redisUrl: process.env.REDIS_URL || DEFAULT_REDIS_URL });
  ensureTestPackages();
} catch (err) {
  if (err instanceof ServiceError) {
    console.error(`\n✖ ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
ensurePrismaClient();
const res = spawnSync('node_modules/.bin/vitest', ['run', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(res.status ?? 1);
