// The sandbox mounted on the bot's own fastify app (one PORT): routes coexist, the bot's parsers
// and 404s are untouched, and the app closes cleanly with a live SSE stream.
import * as lark from '@larksuiteoapi/node-sdk';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/sandbox.ts';
import { ALICE, APP, USERS, newDispatcher, silentLogger } from './helpers.ts';

describe('register(app)', () => {
  it('shares one server with the bot, which receives the pushes on its own route', async () => {
    const app = Fastify({ logger: false });
    const seen: string[] = [];
    const dispatcher = newDispatcher().register({
      'im.message.receive_v1': async (d: { message: { content: string } }) => void seen.push(JSON.parse(d.message.content).text),
    });
    app.post('/feishu/events', async (req) => {
      const value: unknown = await dispatcher.invoke(Object.assign(Object.create({ headers: req.headers }) as object, req.body as object));
      return value ?? '';
    });
    app.post('/echo', async (req) => req.body);

    const sandbox = createSandbox({ apps: [APP], directory: { users: USERS } });
    sandbox.register(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    sandbox.setPushUrl(`${base}/feishu/events`);

    const client = new lark.Client({ appId: APP.appId, appSecret: APP.appSecret, domain: base, logger: silentLogger, cache: new lark.DefaultCache() });
    const sent = await client.im.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: ALICE, msg_type: 'text', content: JSON.stringify({ text: '同一端口' }) },
    });
    expect(sent.code).toBe(0);
    expect((await sandbox.userSays(ALICE, '收到')).pushStatus).toBe('delivered');
    expect(seen).toEqual(['收到']);

    // The bot's own JSON parsing and 404 are its own.
    const echo = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await echo.json()).toEqual({ a: 1 });
    const missing = await fetch(`${base}/nothing-here`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code?: unknown }).code).not.toBe(99991201);

    // A live SSE stream must not keep the app from closing.
    const ac = new AbortController();
    const stream = await fetch(`${base}/sandbox/api/stream`, { signal: ac.signal });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    await app.close();
    await sandbox.close();
    ac.abort();
  });
});
