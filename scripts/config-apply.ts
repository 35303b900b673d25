// npm run config:apply -- <file> [--dry-run] — validates a city file and applies it to the database.
// Prints what changed; "No changes" when the database already matches. Exit 1 on an invalid file.
import path from 'node:path';
import { databaseUrlFromEnv, DEFAULT_REDIS_URL } from '../src/config/env.ts';
import { createRedis } from '../src/platform/redis.ts';
import { createQueues, closeQueues } from '../src/platform/queues.ts';
import { enqueue } from '../src/platform/enqueue.ts';
import { createPrisma } from '../src/platform/prisma.ts';
import { systemClock } from '../src/platform/clock.ts';
import { CityConfigError, loadCityConfigFile } from '../src/modules/city-config/city-config.load.ts';
import { applyCityConfig, ENTITY_TYPES, type ApplyResult } from '../src/modules/city-config/city-config.apply.ts';

const LABELS: Record<(typeof ENTITY_TYPES)[number], string> = {
  units: 'units',
  people: 'people',
  roles: 'unit roles',
  leaders: 'leaders',
  domains: 'leader domains',
  indicators: 'indicators',
  assignments: 'assignments',
  targets: 'targets',
  cycles: 'cycles',
  warningRules: 'warning rules',
  calendar: 'calendar entries',
  settings: 'settings',
};

/** "Created: 40 units, 117 people" — one line per kind of change, entities with zero left out. */
export function summarise(result: ApplyResult): string {
  if (!result.changed) return 'No changes.';
  const line = (label: string, counts: ApplyResult['created']) => {
    const parts = ENTITY_TYPES.filter((t) => counts[t] > 0).map((t) => `${counts[t]} ${LABELS[t]}`);
    return parts.length ? `${label}: ${parts.join(', ')}` : undefined;
  };
  return [line('Created', result.created), line('Updated', result.updated), line('Deactivated', result.deactivated)]
    .filter((l): l is string => l !== undefined)
    .join('\n');
}

/** Asks the running bot to re-plan reminders now (it would within 10 minutes anyway). */
async function replan(): Promise<void> {
  const redis = createRedis(process.env.REDIS_URL || DEFAULT_REDIS_URL, 'client', { retryStrategy: () => null, lazyConnect: true });
  try {
    await redis.connect();
    const queues = createQueues(redis, process.env.QUEUE_PREFIX || 'econ');
    await enqueue(queues, 'collection.plan.v1', {});
    await closeQueues(queues);
    console.log('Reminders and deadlines are being rescheduled.');
  } catch {
    console.log('Redis is not reachable: the bot reschedules reminders within 10 minutes of its next start.');
  } finally {
    redis.disconnect();
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const dryRun = args.includes('--dry-run');
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) {
    console.error('usage: npm run config:apply -- <city file.yaml> [--dry-run]');
    return 2;
  }
  let config;
  try {
    config = await loadCityConfigFile(file);
  } catch (err) {
    if (!(err instanceof CityConfigError)) throw err;
    console.error(err.message);
    console.error(`${err.problems.length} problem(s); nothing was applied.`);
    return 1;
  }
  const prisma = createPrisma(databaseUrlFromEnv(), { max: 2 });
  try {
    const result = await applyCityConfig(prisma, config, systemClock, { source: path.basename(file), dryRun });
    console.log(`${dryRun ? '[dry run, nothing written] ' : ''}${summarise(result)}`);
    if (!dryRun && result.changed) await replan();
    return 0;
  } finally {
    await prisma.$disconnect();
  }
}

process.exitCode = await main();
