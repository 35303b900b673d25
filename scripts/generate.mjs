// Generates the Prisma client without downloading the schema engine.
// PRISMA_SCHEMA_ENGINE_BINARY is scoped to this one command: with it set, migrate commands silently do nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schema = path.join(root, 'prisma/schema.prisma');
const marker = path.join(root, 'src/generated/prisma/client.ts');
if (process.argv.includes('--if-stale') && existsSync(marker) && statSync(marker).mtimeMs >= statSync(schema).mtimeMs) {
  process.exit(0);
}
const bin = path.join(root, 'node_modules/.bin/prisma');
const res = spawnSync(bin, ['generate'], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
process.exit(res.status ?? 1);
