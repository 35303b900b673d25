import { defineConfig } from 'vitest/config';

// Every test file gets its own database (cloned from a migrated template) and Redis key prefix,
// so files run in parallel against the real servers.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
