// npm start: prepares everything the bot needs, then runs the API and the worker with the demo city.
// PostgreSQL and Redis answer (started or installed if needed) → Prisma client → migrations →
// the city configuration (and the demo history) in an empty database → the bot.
import { spawnSync } from 'node:child_process';
import { parseEnv, EnvError } from '../src/config/env.ts';
import { ensureServices, ensurePrismaClient, ensureReportFont, ServiceError } from './lib/services.ts';

function fail(message: string): never {
  console.error(`\n✖ ${message}\n`);
  process.exit(1);
}

let env;
try {
  env = parseEnv();
} catch (err) {
  if (err instanceof EnvError) fail(err.message);
  throw err;
}

try {
  await ensureServices({ databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_URL });
} catch (err) {
  if (err instanceof ServiceError) fail(err.message);
  throw err;
}
ensurePrismaClient();
ensureReportFont();
const migrate = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/db-migrate.ts'], { stdio: 'inherit', env: process.env });
if (migrate.status !== 0) fail('Migrations failed (see above).');

// Loaded after generation: these import the generated Prisma client.
await import('./serve.ts');
