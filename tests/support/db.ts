// Per-file test database: a clone of the migrated template, dropped after the file's tests.
import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import pg from 'pg';
import { createPrisma, type PrismaClient } from '../../src/platform/prisma.ts';
import { dropDatabase } from '../../src/platform/migrator.ts';
import { adminUrl, withDatabase } from './urls.ts';

export interface TestDatabase {
  url: string;
  name: string;
  prisma: PrismaClient;
}

export function newDatabaseName(): string {
  return `econ_t_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
}

/** Creates an empty (unmigrated) database for tests of the migrator itself. */
export async function createEmptyDatabase(): Promise<string> {
  const base = inject('databaseUrl');
  const name = newDatabaseName();
  await adminQuery(base, `CREATE DATABASE "${name}"`);
  const url = withDatabase(base, name);
  afterAll(() => dropDatabase(url));
  return url;
}

export async function useTestDatabase(): Promise<TestDatabase> {
  const base = inject('databaseUrl');
  const name = newDatabaseName();
  await adminQuery(base, `CREATE DATABASE "${name}" TEMPLATE "${inject('templateDatabase')}"`);
  const url = withDatabase(base, name);
  const prisma = createPrisma(url, { max: 5 });
  afterAll(async () => {
    await prisma.$disconnect();
    await dropDatabase(url);
  });
  return { url, name, prisma };
}

async function adminQuery(base: string, sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl(base) });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}
