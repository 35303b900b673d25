// Platform: offline migrations on @prisma/schema-engine-wasm with the pg driver adapter.
// Prisma's CLI cannot download its schema engine on these machines; this writes `_prisma_migrations`
// exactly as `prisma migrate deploy` does, so both tools can be used on one database.
// The six pitfalls handled here are described in ../shared/libraries.md.
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm';
import type * as EngineModule from '@prisma/schema-engine-wasm';

const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };
const CHAR_OID = 18;
const TEXT_OID = 25;

export interface MigratorPaths {
  schemaPath: string;
  migrationsDir: string;
}

export const defaultPaths = (root = process.cwd()): MigratorPaths => ({
  schemaPath: path.join(root, 'prisma/schema.prisma'),
  migrationsDir: path.join(root, 'prisma/migrations'),
});

type WasmModule = typeof EngineModule;
let wasmModule: Promise<WasmModule> | undefined;

/** Loads the engine on plain Node 20 (no --experimental-wasm-modules). */
function loadWasm(): Promise<WasmModule> {
  wasmModule ??= (async () => {
    const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(m: string): void; message?: string } };
    g.PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message(m: string) {
        this.message = m;
      },
    };
    const bg = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as Record<string, unknown> & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    const require = createRequire(import.meta.url);
    const wasmPath = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm');
    // The engine keeps a ~10 s timer alive after each call: unref it so scripts exit promptly.
    const imports: Record<string, unknown> = { ...bg };
    for (const [key, fn] of Object.entries(bg)) {
      if (key.startsWith('__wbg_setTimeout_') && typeof fn === 'function') {
        imports[key] = (...args: unknown[]) => {
          const t = (fn as (...a: unknown[]) => unknown)(...args);
          (t as { unref?: () => void }).unref?.();
          return t;
        };
      }
    }
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      './schema_engine_bg.js': imports as WebAssembly.ModuleImports,
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg as unknown as WasmModule;
  })();
  return wasmModule;
}

/** A pg pool whose results report Postgres's internal "char" type as text (adapter-pg cannot read OID 18). */
function charSafePool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 2 });
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>;
  (pool as unknown as { query: unknown }).query = async (...args: unknown[]) => {
    const res = await query(...args);
    for (const f of res.fields ?? []) if (f.dataTypeID === CHAR_OID) f.dataTypeID = TEXT_OID;
    return res;
  };
  return pool;
}

/** Adapter factory with the two fixes the engine needs: whole-script execution and a real shadow DB. */
function adapterFactory(url: string, shadowUrl: string | undefined) {
  const pools: pg.Pool[] = [];
  const wrap = (connectionString: string) => {
    const pool = charSafePool(connectionString);
    pools.push(pool);
    return new PrismaPg(pool);
  };
  const patchScript = <T extends { executeScript(s: string): Promise<void>; underlyingDriver(): pg.Pool }>(a: T): T => {
    // adapter-pg splits scripts on `;` (breaks $$ bodies, not atomic): send the migration whole, in one query.
    a.executeScript = async (script: string) => {
      await a.underlyingDriver().query(script);
    };
    return a;
  };
  const main = wrap(url);
  const factory = {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => patchScript(await main.connect()),
    // PrismaPg.connectToShadowDb() with a connection string would connect to the main database.
    connectToShadowDb: async () => {
      if (!shadowUrl) throw new Error('a shadow database URL is needed for this operation');
      await resetDatabase(shadowUrl);
      return patchScript(await wrap(shadowUrl).connect());
    },
  };
  const bound = bindMigrationAwareSqlAdapterFactory(factory as unknown as PrismaPg);
  return { bound, close: () => Promise.all(pools.map((p) => p.end().catch(() => undefined))) };
}

/** Drops and recreates the public schema of a database (creating the database if missing). */
export async function resetDatabase(url: string): Promise<void> {
  await ensureDatabase(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
  } finally {
    await client.end();
  }
}

/** Runs `fn` on a connection to the server's `postgres` database, for CREATE / DROP DATABASE. */
async function withAdmin<T>(url: string, fn: (admin: pg.Client, name: string) => Promise<T>): Promise<T> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  u.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: u.toString() });
  await admin.connect();
  try {
    return await fn(admin, name);
  } finally {
    await admin.end();
  }
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Creates the database named in `url` when it does not exist. Returns true if it was created. */
export function ensureDatabase(url: string, template?: string): Promise<boolean> {
  return withAdmin(url, async (admin, name) => {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    try {
      await admin.query(`CREATE DATABASE ${quoteIdent(name)}${template ? ` TEMPLATE ${quoteIdent(template)}` : ''}`);
    } catch (err) {
      // Another process created it in the meantime.
      if ((err as { code?: string }).code !== '42P04') throw err;
      return false;
    }
    return true;
  });
}

export function dropDatabase(url: string): Promise<void> {
  return withAdmin(url, async (admin, name) => {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  });
}

export async function readMigrationsList(migrationsDir: string): Promise<MigrationList> {
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  const lockContent = existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null;
  const dirs = existsSync(migrationsDir)
    ? (await readdir(migrationsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  const migrationDirectories = await Promise.all(
    dirs.map(async (dir) => {
      const file = path.join(migrationsDir, dir, 'migration.sql');
      const content = existsSync(file)
        ? ({ tag: 'ok', value: await readFile(file, 'utf8') } as const)
        : ({ tag: 'error', value: `missing ${file}` } as const);
      return { path: dir, migrationFile: { path: 'migration.sql', content } };
    }),
  );
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/** Runs `fn` with an engine bound to `url`; always frees the engine and closes the pools. */
async function withEngine<T>(
  url: string,
  opts: { schemaPath?: string; shadowUrl?: string; log?: (line: string) => void },
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const wasm = await loadWasm();
  const { bound, close } = adapterFactory(url, opts.shadowUrl);
  const datamodels: [string, string][] | undefined = opts.schemaPath
    ? [[opts.schemaPath, await readFile(opts.schemaPath, 'utf8')]]
    : undefined;
  const engine = await wasm.SchemaEngine.new({ datamodels }, (line: string) => opts.log?.(line), bound);
  try {
    return await fn(engine);
  } catch (err) {
    throw explain(err, bound.errorRegistry);
  } finally {
    engine.free();
    await close();
  }
}

/** Turns "External error id#N" into the underlying driver error. */
function explain(err: unknown, registry: { consumeError(id: number): { error: unknown } | undefined }): Error {
  const message = err instanceof Error ? err.message : typeof err === 'object' ? JSON.stringify(err) : String(err);
  const m = /External error id#(\d+)/.exec(message);
  const record = m ? registry.consumeError(Number(m[1])) : undefined;
  if (!record) return new Error(message);
  const e = record.error as { message?: string; code?: string; originalMessage?: string };
  const reason = e.message ?? e.originalMessage ?? JSON.stringify(e);
  const first = message.split('\n')[0];
  return new Error(`${first}: ${reason}${e.code ? ` (SQLSTATE ${e.code})` : ''}\n${message}`);
}

export interface MigrateResult {
  applied: string[];
}

/** Applies pending migrations (`prisma migrate deploy`). A no-op when the database is up to date. */
export async function migrateDeploy(url: string, paths: MigratorPaths = defaultPaths()): Promise<MigrateResult> {
  await ensureDatabase(url);
  const migrationsList = await readMigrationsList(paths.migrationsDir);
  return withEngine(url, {}, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
    return { applied: out.appliedMigrationNames };
  });
}

/** The SQL that takes the migrations folder to the schema file; empty when they agree. Uses a shadow database. */
export async function diffMigrationsToSchema(url: string, shadowUrl: string, paths: MigratorPaths = defaultPaths()): Promise<string> {
  await ensureDatabase(url);
  const migrationsList = await readMigrationsList(paths.migrationsDir);
  const schema = await readFile(paths.schemaPath, 'utf8');
  return withEngine(url, { shadowUrl }, async (engine) => {
    const res = await engine.diff({
      from: { tag: 'migrations', ...migrationsList },
      to: { tag: 'schemaDatamodel', files: [{ path: paths.schemaPath, content: schema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    return normaliseEmpty(res.stdout ?? '');
  });
}

/** The SQL that takes the live database to the schema file; empty when the database matches. */
export async function diffDatabaseToSchema(url: string, paths: MigratorPaths = defaultPaths()): Promise<string> {
  const schema = await readFile(paths.schemaPath, 'utf8');
  return withEngine(url, { schemaPath: paths.schemaPath }, async (engine) => {
    const res = await engine.diff({
      // "schemaDatasource" introspects the database the adapter is connected to.
      from: { tag: 'schemaDatasource', files: [{ path: paths.schemaPath, content: schema }], configDir: path.dirname(paths.schemaPath) },
      to: { tag: 'schemaDatamodel', files: [{ path: paths.schemaPath, content: schema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    return normaliseEmpty(res.stdout ?? '');
  });
}

const EMPTY_MARKER = '-- This is an empty migration.';
function normaliseEmpty(sql: string): string {
  return sql.trim() === EMPTY_MARKER || sql.trim() === '' ? '' : sql;
}

export async function migrationStatus(url: string, paths: MigratorPaths = defaultPaths()) {
  const migrationsList = await readMigrationsList(paths.migrationsDir);
  return withEngine(url, {}, (engine) =>
    engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTER }),
  );
}

/** Timestamp in Prisma's migration folder format: YYYYMMDDHHMMSS (UTC). */
export function migrationTimestamp(at: Date): string {
  return at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * Writes `prisma/migrations/<ts>_<name>/migration.sql` from the difference between the migrations folder
 * and schema.prisma (`prisma migrate dev --create-only`). Returns null when there is nothing to migrate.
 */
export async function createMigration(
  url: string,
  shadowUrl: string,
  name: string,
  at: Date,
  paths: MigratorPaths = defaultPaths(),
): Promise<{ dir: string; sql: string } | null> {
  if (!/^[a-z0-9_]+$/i.test(name)) throw new Error(`migration name "${name}" may contain only letters, digits and _`);
  // The engine needs the lock file to know the connector, even for the first migration.
  await mkdir(paths.migrationsDir, { recursive: true });
  const lock = path.join(paths.migrationsDir, 'migration_lock.toml');
  if (!existsSync(lock)) {
    await writeFile(
      lock,
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
  }
  const sql = await diffMigrationsToSchema(url, shadowUrl, paths);
  if (!sql) return null;
  const dir = path.join(paths.migrationsDir, `${migrationTimestamp(at)}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'migration.sql'), sql);
  return { dir, sql };
}
