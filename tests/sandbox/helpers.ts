// Test helpers: a standalone sandbox on a free port, a real SDK client pointed at it, and a tiny
// bot-side receiver built on the SDK's EventDispatcher (what the bot's webhook does).
import * as lark from '@larksuiteoapi/node-sdk';
import Fastify, { type FastifyInstance } from 'fastify';
import { createSandbox, type DirectoryUser, type Sandbox, type SandboxOptions } from '../../src/sandbox/sandbox.ts';

export const APP = {
  appId: 'cli_a1b2c3d4e5f60718',
  appSecret: 'sandbox-secret',
  encryptKey: 'test-encrypt-key',
  verificationToken: 'test-verification-token',
  botName: '调度助手',
};

export const USERS: DirectoryUser[] = [
  { openId: 'ou_alice000000000000000000000001', userId: 'alice', name: '王丽', mobile: '13800000001', title: '科长', unitName: '财政局' },
  { openId: 'ou_bob00000000000000000000000002', userId: 'bob', name: '李强', mobile: '13800000002', title: '副局长', unitName: '统计局' },
  { openId: 'ou_carol0000000000000000000000003', name: '张敏', mobile: '+8613800000003', unitName: '发改委' },
];

export const [ALICE, BOB, CAROL] = USERS.map((u) => u.openId) as [string, string, string];

/** LoggerLevel.fatal is 0, which the SDK treats as unset (`level || info`): silence it with a no-op logger. */
const noop = () => undefined;
export const silentLogger = { error: noop, warn: noop, info: noop, debug: noop, trace: noop };

export async function startSandbox(opts: Partial<SandboxOptions> = {}): Promise<{ sandbox: Sandbox; url: string; client: lark.Client }> {
  const sandbox = createSandbox({ apps: [APP], directory: { users: USERS }, ...opts });
  const { url } = await sandbox.listen(0);
  return { sandbox, url, client: sdkClient(url) };
}

/** A fresh token cache per client: the SDK's default cache is shared per appId across clients. */
export function sdkClient(url: string, appSecret = APP.appSecret): lark.Client {
  return new lark.Client({
    appId: APP.appId,
    appSecret,
    domain: url,
    loggerLevel: lark.LoggerLevel.error,
    logger: silentLogger,
    cache: new lark.DefaultCache(),
  });
}

export interface Receiver {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * The bot side of a webhook: fastify + the SDK's EventDispatcher with encryptKey/verificationToken.
 * `before` may short-circuit a request (e.g. answer 500) to test redelivery.
 */
export async function startReceiver(
  dispatcher: lark.EventDispatcher,
  before?: (body: unknown) => { status: number } | undefined,
): Promise<Receiver> {
  const app = Fastify({ logger: false });
  app.post('/feishu/events', async (req, reply) => {
    const forced = before?.(req.body);
    if (forced) return reply.status(forced.status).send('');
    const data = Object.assign(Object.create({ headers: req.headers }) as object, req.body as object);
    const { isChallenge, challenge } = lark.generateChallenge(data, { encryptKey: APP.encryptKey });
    if (isChallenge) return reply.send(challenge);
    const value: unknown = await dispatcher.invoke(data);
    // Same as the SDK's adaptDefault: the handler result serialized, no body for `undefined`.
    return reply.send(value === undefined ? '' : JSON.stringify(value));
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { url: `http://127.0.0.1:${port}/feishu/events`, app, close: () => app.close() };
}

export function newDispatcher(): lark.EventDispatcher {
  return new lark.EventDispatcher({
    encryptKey: APP.encryptKey,
    verificationToken: APP.verificationToken,
    loggerLevel: lark.LoggerLevel.error,
    logger: silentLogger,
  });
}

/** The axios error the SDK throws on non-2xx, narrowed to what tests read. */
export async function failure(p: Promise<unknown>): Promise<{ status: number; data: { code: number; msg: string }; headers: Record<string, string> }> {
  try {
    await p;
  } catch (e) {
    const res = (e as { response?: { status: number; data: { code: number; msg: string }; headers: Record<string, string> } }).response;
    if (res) return res;
    throw e;
  }
  throw new Error('expected the call to fail');
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const v2Card = (text: string) => ({
  schema: '2.0',
  config: { update_multi: true },
  header: { title: { tag: 'plain_text', content: text } },
  body: { elements: [{ tag: 'markdown', content: text }] },
});
