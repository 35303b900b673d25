// Platform pieces an operator or a later developer relies on: env errors, log redaction, the clock.
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { parseEnv, EnvError } from '../src/config/env.ts';
import { REDACT_PATHS } from '../src/platform/logger.ts';
import { fixedClock } from '../src/platform/clock.ts';

describe('environment', () => {
  it('has working defaults for a local run', () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBe('postgresql://root@127.0.0.1:5432/econ_dispatch');
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(env.PORT).toBe(3000);
    expect(env.FEISHU_APP_ID).toBeUndefined();
  });

  it('names every bad variable and what is wrong with it', () => {
    const attempt = () => parseEnv({ PORT: 'eighty', REDIS_URL: 'http://x', FEISHU_APP_ID: 'cli_123' });
    expect(attempt).toThrow(EnvError);
    expect(attempt).toThrow(/PORT: /);
    expect(attempt).toThrow(/REDIS_URL: must be a redis:\/\/ URL/);
    expect(attempt).toThrow(/FEISHU_APP_SECRET: is required when FEISHU_APP_ID is set/);
  });
});

describe('logger', () => {
  it('redacts secrets, tokens, encrypt keys and mobile numbers', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const log = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    log.info({ app_secret: 's3cr3t', encryptKey: 'k3y', tenant_access_token: 't-abc', person: { mobile: '13800138000' } }, 'x');
    const out = lines.join('');
    for (const secret of ['s3cr3t', 'k3y', 't-abc', '13800138000']) expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });
});

describe('clock', () => {
  it('moves only when told', () => {
    const clock = fixedClock('2026-11-23T01:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-11-23T01:00:00.000Z');
    clock.advance(60_000);
    expect(clock.now().toISOString()).toBe('2026-11-23T01:01:00.000Z');
  });
});
