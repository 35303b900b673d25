// Test set-up, once per run: a template database migrated from prisma/migrations, named by a hash
// of the migrations so it is rebuilt only when they change. Files clone it (CREATE DATABASE … TEMPLATE).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { readMigrationsList, migrateDeploy, dropDatabase } from '../../src/platform/migrator.ts';
import { databaseUrlFromEnv, DEFAULT_REDIS_URL } from '../../src/config/env.ts';
import { adminUrl, withDatabase } from './urls.ts';

export default async function setup(project: TestProject) {
  const base = databaseUrlFromEnv();
  const list = await readMigrationsList('prisma/migrations');
  const hash = createHash('sha256');
  for (const d of list.migrationDirectories) hash.update(d.path).update(d.migrationFile.content.value);
  hash.update(await readFile('src/platform/migrator.ts', 'utf8'));
  const template = `econ_tpl_${hash.digest('hex').slice(0, 12)}`;
  const templateUrl = withDatabase(base, template);

  const admin = new pg.Client({ connectionString: adminUrl(base) });
  await admin.connect();
  try {
    // Concurrent runs (parallel developers, CI) build the template once.
    await admin.query('SELECT pg_advisory_lock(727001)');
    const ready = await admin.query(
      `SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate`, [template]);
    if (!ready.rowCount) {
      await dropDatabase(templateUrl);
      await migrateDeploy(templateUrl);
      // Marking it a template also refuses stray connections that would block cloning.
      await admin.query(`ALTER DATABASE "${template}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
    }
    // Per-file databases left by interrupted runs. Older templates stay: a concurrent run may still use them.
    const stale = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'econ_t_%'`);
    for (const { datname } of stale.rows) if (isOld(datname)) await dropDatabase(withDatabase(base, datname));
  } finally {
    await admin.query('SELECT pg_advisory_unlock(727001)').catch(() => undefined);
    await admin.end();
  }
  project.provide('templateDatabase', template);
  project.provide('databaseUrl', base);
  project.provide('redisUrl', process.env.REDIS_URL || DEFAULT_REDIS_URL);
}

/** Test databases are named econ_t_<epoch seconds>_<random>. */
function isOld(name: string): boolean {
  const ts = Number(name.split('_')[2]);
  return Number.isFinite(ts) && Date.now() / 1000 - ts > 24 * 3600;
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
    databaseUrl: string;
    redisUrl: string;
  }
}
