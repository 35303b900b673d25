// `npm install` on Node 20 prints no EBADENGINE warning: every package the lock file installs accepts
// the oldest Node the project supports (package.json `engines`). The overrides in package.json hold
// back the few that moved to Node 22 (see README, Operations).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const semver = require('semver') as { satisfies(v: string, range: string): boolean; minVersion(range: string): { version: string } | null };

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

describe('engines', () => {
  it('installs only packages that accept the oldest supported Node', () => {
    const floor = semver.minVersion(pkg.engines.node)!.version;
    expect(floor.startsWith('20.')).toBe(true);
    const refused = Object.entries(lock.packages)
      .filter(([, p]) => p.engines && !Array.isArray(p.engines) && p.engines.node && !semver.satisfies(floor, p.engines.node))
      .map(([path, p]) => `${path.replace(/^.*node_modules\//, '')}@${p.version} (node ${(p.engines as { node: string }).node})`);
    expect(refused).toEqual([]);
  });
});
