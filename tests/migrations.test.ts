// The offline migrator: applies migrations like `prisma migrate deploy`, is a no-op when up to date,
// leaves no drift against schema.prisma, and writes new migrations from the schema.
import { cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import {
  createMigration,
  diffDatabaseToSchema,
  diffMigrationsToSchema,
  migrateDeploy,
  migrationStatus,
} from '../src/platform/migrator.ts';
import { createEmptyDatabase } from './support/db.ts';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

const MODELS = [...(await readFile('prisma/schema.prisma', 'utf8')).matchAll(/^model (\w+) \{/gm)].map((m) => m[1]!);

describe('db:migrate', () => {
  it('creates every table on a fresh database, then does nothing, and leaves no drift', async () => {
    const url = await createEmptyDatabase();
    const first = await migrateDeploy(url);
    expect(first.applied.length).toBeGreaterThan(0);

    const tables = (await query<{ tablename: string }>(url, `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).map(
      (r) => r.tablename,
    );
    expect(tables.sort()).toEqual([...MODELS, '_prisma_migrations'].sort());

    const second = await migrateDeploy(url);
    expect(second.applied).toEqual([]);

    expect(await diffDatabaseToSchema(url)).toBe('');
    const status = await migrationStatus(url);
    expect(status).toMatchObject({ history: null, failedMigrationNames: [], editedMigrationNames: [] });
  });

  it('records _prisma_migrations exactly as prisma migrate deploy does (checksum = sha256 of migration.sql)', async () => {
    const url = await createEmptyDatabase();
    await migrateDeploy(url);
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number; logs: string | null }>(
      url,
      'SELECT migration_name, checksum, finished_at, applied_steps_count, logs FROM _prisma_migrations ORDER BY migration_name',
    );
    const dirs = (await readdir('prisma/migrations', { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(rows.map((r) => r.migration_name)).toEqual(dirs);
    for (const row of rows) {
      const sql = await readFile(path.join('prisma/migrations', row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
    }
    const columns = await query<{ column_name: string; data_type: string }>(
      url,
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    // The CLI's table definition (schema-engine's postgres connector).
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'character varying' },
      { column_name: 'checksum', data_type: 'character varying' },
      { column_name: 'finished_at', data_type: 'timestamp with time zone' },
      { column_name: 'migration_name', data_type: 'character varying' },
      { column_name: 'logs', data_type: 'text' },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone' },
      { column_name: 'started_at', data_type: 'timestamp with time zone' },
      { column_name: 'applied_steps_count', data_type: 'integer' },
    ]);
  });

  it('keeps figure revisions and the audit log append-only', async () => {
    const url = await createEmptyDatabase();
    await migrateDeploy(url);
    await query(url, `INSERT INTO "AuditLog" (at, action, entity) VALUES (now(), 'test', 'x')`);
    await expect(query(url, `UPDATE "AuditLog" SET action = 'changed'`)).rejects.toThrow(/append-only/);
    await expect(query(url, `DELETE FROM "AuditLog"`)).rejects.toThrow(/append-only/);
  });

  it('refuses a migration whose SQL fails, records it, and refuses later deploys until resolved', async () => {
    const url = await createEmptyDatabase();
    const dir = await copyMigrations();
    await writeMigration(dir, '29990101000000_broken', 'CREATE TABLE "Broken" (id int); SELECT * FROM "DoesNotExist";');
    await expect(migrateDeploy(url, { schemaPath: path.join(dir, '..', 'schema.prisma'), migrationsDir: dir })).rejects.toThrow(/DoesNotExist/);
    const rows = await query<{ migration_name: string; finished_at: Date | null }>(
      url, `SELECT migration_name, finished_at FROM _prisma_migrations WHERE migration_name = '29990101000000_broken'`);
    expect(rows).toEqual([{ migration_name: '29990101000000_broken', finished_at: null }]);
    // The whole migration rolled back: its first statement left nothing behind.
    expect(await query(url, `SELECT 1 FROM pg_tables WHERE tablename = 'Broken'`)).toEqual([]);
    await expect(migrateDeploy(url, { schemaPath: path.join(dir, '..', 'schema.prisma'), migrationsDir: dir })).rejects.toThrow(/failed/i);
  });
});

describe('db:migration', () => {
  it('finds nothing to write when schema.prisma matches the migrations', async () => {
    const url = await createEmptyDatabase();
    const shadow = await createEmptyDatabase();
    expect(await diffMigrationsToSchema(url, shadow)).toBe('');
  });

  it('writes a new migration for a schema change, which then applies and leaves no drift', async () => {
    const url = await createEmptyDatabase();
    const shadow = await createEmptyDatabase();
    const dir = await copyMigrations();
    const schemaPath = path.join(dir, '..', 'schema.prisma');
    const schema = await readFile(schemaPath, 'utf8');
    await writeFile(schemaPath, schema.replace('model Unit {\n', 'model Unit {\n  phone     String?\n'));
    const paths = { schemaPath, migrationsDir: dir };

    const res = await createMigration(url, shadow, 'unit_phone', new Date('2099-01-01T08:00:00Z'), paths);
    expect(res?.dir).toMatch(/20990101080000_unit_phone$/);
    expect(res?.sql).toContain('ALTER TABLE "Unit" ADD COLUMN     "phone" TEXT;');

    const applied = await migrateDeploy(url, paths);
    expect(applied.applied.at(-1)).toBe('20990101080000_unit_phone');
    expect(await diffDatabaseToSchema(url, paths)).toBe('');
    expect(await createMigration(url, shadow, 'again', new Date(), paths)).toBeNull();
  });
});

/** A private copy of prisma/ so a test can add migrations or edit the schema. */
async function copyMigrations(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'econ-mig-'));
  await cp('prisma', root, { recursive: true });
  return path.join(root, 'migrations');
}

async function writeMigration(dir: string, name: string, sql: string): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path.join(dir, name), { recursive: true });
  await writeFile(path.join(dir, name, 'migration.sql'), sql);
}
