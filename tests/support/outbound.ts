// Outbound tests: a standalone Feishu sandbox on a free port, the bot's real worker pointed at it
// (mode 'feishu', domain = the sandbox), outbox rows added through the production path, and polling.
import { randomBytes } from 'node:crypto';
import { parseEnv } from '../../src/config/env.ts';
import { createContext, registerStorageClosers, type AppContext } from '../../src/context.ts';
import { startWorker, type RunningWorker } from '../../src/worker.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { addOutbound, type OutboundInput } from '../../src/outbox/outbox.service.ts';
import { enqueueOutbound } from '../../src/outbox/outbox.enqueue.ts';
import type { FeishuSettings } from '../../src/feishu/settings.ts';
import type { PrismaClient } from '../../src/platform/prisma.ts';
import { createSandbox, type DirectoryUser, type Sandbox, type SandboxApp, type SandboxLimits, type StoredMessage } from '../../src/sandbox/sandbox.ts';

/** A Feishu-looking app (cli_ + 16 hex), different per call so SDK token caches never mix. */
export function newApp(): SandboxApp {
  return {
    appId: `cli_${randomBytes(8).toString('hex')}`,
    appSecret: randomBytes(12).toString('hex'),
    encryptKey: randomBytes(12).toString('hex'),
    verificationToken: randomBytes(12).toString('hex'),
    botName: '经济运行调度助手',
  };
}

export function feishuSettingsFor(app: SandboxApp, domain: string): FeishuSettings {
  return { mode: 'feishu', appId: app.appId, appSecret: app.appSecret, encryptKey: app.encryptKey, verificationToken: app.verificationToken, transport: 'webhook', domain };
}

export async function startStandaloneSandbox(app: SandboxApp, limits?: Partial<SandboxLimits>): Promise<Sandbox & { url: string }> {
  const sandbox = createSandbox({ apps: [app], limits });
  await sandbox.listen(0);
  return sandbox as Sandbox & { url: string };
}

/** n people in the sandbox's directory (open_ids ou_…), so sends to them are accepted. */
export function addReceivers(sandbox: Sandbox, n: number, tag: string): string[] {
  const users: DirectoryUser[] = Array.from({ length: n }, (_, i) => ({
    openId: `ou_${tag}${String(i).padStart(5, '0')}${randomBytes(4).toString('hex')}`,
    name: `联络员${tag}${i}`,
  }));
  sandbox.upsertUsers(users);
  return users.map((u) => u.openId);
}

export interface OutboundWorker {
  ctx: AppContext;
  worker: RunningWorker;
  stop(): Promise<void>;
}

/** The bot's worker (outbound + domain queues, sweeper schedule) on its own context. */
export async function startOutboundWorker(opts: {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  app: SandboxApp;
  domain: string;
  env?: Record<string, string>;
}): Promise<OutboundWorker> {
  const env = parseEnv({
    DATABASE_URL: opts.databaseUrl,
    REDIS_URL: opts.redisUrl,
    QUEUE_PREFIX: opts.prefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...opts.env,
  });
  const ctx = createContext(env, { logger: createLogger({ level: env.LOG_LEVEL, pretty: false }) });
  const worker = await startWorker(ctx, { feishu: feishuSettingsFor(opts.app, opts.domain) });
  registerStorageClosers(ctx);
  return { ctx, worker, stop: () => ctx.shutdown.run('test end') };
}

export function textMessage(receiveId: string, dedupeKey: string, text = dedupeKey): OutboundInput {
  return { kind: 'SEND', dedupeKey, receiveIdType: 'open_id', receiveId, msgType: 'text', content: { text } };
}

/** Writes the rows (as domain code does), returning their ids in order. */
export async function addRows(prisma: PrismaClient, inputs: OutboundInput[], parallel = 8): Promise<string[]> {
  const ids: string[] = new Array(inputs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < inputs.length) {
        const i = next++;
        ids[i] = (await addOutbound(prisma, inputs[i]!)).id;
      }
    }),
  );
  return ids;
}

/** addRows + enqueueOutbound: the production path from the domain's commit to the queue. */
export async function queueRows(ctx: AppContext, inputs: OutboundInput[]): Promise<string[]> {
  const ids = await addRows(ctx.prisma, inputs);
  await enqueueOutbound(ctx.queues, ids);
  return ids;
}

export async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function countByStatus(prisma: PrismaClient, ids: string[]): Promise<Record<string, number>> {
  const groups = await prisma.outboundMessage.groupBy({ by: ['status'], where: { id: { in: ids } }, _count: { _all: true } });
  return Object.fromEntries(groups.map((g) => [g.status, g._count._all]));
}

export async function allSent(prisma: PrismaClient, ids: string[]): Promise<boolean> {
  return (await prisma.outboundMessage.count({ where: { id: { in: ids }, status: 'SENT' } })) === ids.length;
}

/** What the sandbox stored per uuid (= outbox row id): each row must map to exactly one message. */
export function storedByUuid(sandbox: Sandbox, ids: string[]): Map<string, StoredMessage[]> {
  const wanted = new Set(ids);
  const out = new Map<string, StoredMessage[]>();
  for (const m of sandbox.messages.all()) {
    if (!m.uuid || !wanted.has(m.uuid)) continue;
    const list = out.get(m.uuid) ?? [];
    list.push(m);
    out.set(m.uuid, list);
  }
  return out;
}

/** The largest number of the given times (ms) inside any window of windowMs. */
export function maxInWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  let j = 0;
  for (let i = 0; i < t.length; i++) {
    while (t[i]! - t[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}
