// npm run bench: runs every bench/*.bench.ts in turn (each starts and stops what it needs on free
// ports) and passes on their output: one JSON object per line, {"bench","metric","value","unit"}.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only.length || only.some((o) => f.startsWith(o)))
  .sort();
let failed = 0;
for (const f of files) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, f)], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (res.status !== 0) {
    failed++;
    console.error(`bench ${f} failed (exit ${res.status})`);
  }
}
process.exit(failed ? 1 : 0);
