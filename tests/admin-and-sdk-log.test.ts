// Operator surfaces: the queue dashboard is served only with ADMIN_TOKEN and only to its holder;
// the Feishu SDK's own log lines never carry the app secret or a token.
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { startTestBot } from './support/bot.ts';
import { sdkLogger } from '../src/feishu/sdk-logger.ts';
import { REDACT_PATHS } from '../src/platform/logger.ts';

const token = 'admin-token-for-tests-0123456789';
const withToken = await startTestBot({ env: { ADMIN_TOKEN: token }, worker: false });
const without = await startTestBot({ worker: false });

describe('/admin/queues', () => {
  it('refuses a request without the token or with a wrong one', async () => {
    expect((await fetch(`${withToken.url}/admin/queues`)).status).toBe(401);
    const wrong = await fetch(`${withToken.url}/admin/queues`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('serves the dashboard and its API to the token holder', async () => {
    const page = await fetch(`${withToken.url}/admin/queues`, { headers: { authorization: `Bearer ${token}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const api = await fetch(`${withToken.url}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await api.json()) as { queues: { name: string }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual(['domain', 'outbound']);
  });

  it('lets a browser in once with ?token= and remembers it in a cookie', async () => {
    const first = await fetch(`${withToken.url}/admin/queues?token=${token}`);
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    expect((await fetch(`${withToken.url}/admin/queues/api/queues`, { headers: { cookie } })).status).toBe(200);
  });

  it('is not served at all without ADMIN_TOKEN', async () => {
    expect((await fetch(`${without.url}/admin/queues`)).status).toBe(404);
  });
});

describe('Feishu SDK log lines', () => {
  it('carry no app secret, tenant token or bearer header', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    const log = sdkLogger(pino({ level: 'trace', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink));
    // What the SDK logs when a token request fails (feishu-contract §9.1).
    log.error([{ message: 'failed to get tenant_access_token', config: { data: '{"app_id":"cli_x","app_secret":"s3cr3t-value"}', headers: { Authorization: 'Bearer t-abcdef' } } }]);
    log.warn('request', { app_secret: 's3cr3t-value', tenant_access_token: 't-abcdef' });
    const out = lines.join('');
    expect(out).not.toContain('s3cr3t-value');
    expect(out).not.toContain('t-abcdef');
    expect(out).toContain('failed to get tenant_access_token');
  });
});

describe('Feishu SDK request failures', () => {
  const failure = (status: number, code: number, msg: string) => [[[
    {
      message: `Request failed with status code ${status}`,
      config: { url: 'http://127.0.0.1:1/open-apis/calendar/v4/calendars/c1/events/e1?user_id_type=open_id', method: 'patch', data: '{"summary":"x"}', headers: { Authorization: 'Bearer t-abcdef' } },
      response: { status, data: { code, msg, error: { log_id: 'LOG1' } } },
    },
    { code, msg },
  ]]];

  it('a rate limit the caller waits out is one short debug line; another failure one warn line naming the request', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    const log = sdkLogger(pino({ level: 'trace' }, sink));
    log.error(failure(429, 99991400, 'request trigger frequency limit'));
    log.error(failure(400, 190002, 'invalid parameters'));
    const [limited, invalid] = lines.map((l) => JSON.parse(l) as { level: number; request: Record<string, unknown> });
    expect(limited!.level).toBe(20);
    expect(limited!.request).toEqual({ method: 'PATCH', path: '/open-apis/calendar/v4/calendars/c1/events/e1', status: 429, code: 99991400, msg: 'request trigger frequency limit', logId: 'LOG1' });
    expect(invalid!.level).toBe(40);
    expect(invalid!.request).toMatchObject({ status: 400, code: 190002 });
    // Neither carries the request body or headers.
    expect(lines.join('')).not.toContain('t-abcdef');
    expect(lines.join('')).not.toContain('summary');
  });
});
