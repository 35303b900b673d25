// The outbound path end to end: outbox row → BullMQ job → the real worker and SDK → a standalone
// Feishu sandbox, on real PostgreSQL and Redis. Proves delivery exactly once (uuid = row id), no
// retry of permanent errors, token refresh, waits that use no attempt, the sweeper, and pacing
// (the app limiter and 5/s per receiver).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from './support/db.ts';
import { useTestRedis } from './support/redis.ts';
import {
  addReceivers,
  allSent,
  maxInWindow,
  newApp,
  queueRows,
  startOutboundWorker,
  startStandaloneSandbox,
  storedByUuid,
  textMessage,
  waitUntil,
  type OutboundWorker,
} from './support/outbound.ts';
import { addOutbound, listFailed } from '../src/outbox/outbox.service.ts';
import { enqueueOutbound } from '../src/outbox/outbox.enqueue.ts';
import { enqueue } from '../src/platform/enqueue.ts';
import { GIVE_UP_AFTER_MS, GIVE_UP_REASON, sweepOutbox } from '../jobs/outbox-sweep.job.ts';
import type { PrismaClient } from '../src/platform/prisma.ts';
import type { Sandbox, SandboxApp } from '../src/sandbox/sandbox.ts';

const redis = useTestRedis();

// Three independent blocks run at the same time (the faults block alone takes ~30 s): each has its own
// database, Feishu sandbox (faults and counters are per sandbox), key prefix and worker.
interface Block {
  prisma: PrismaClient;
  sandbox: Sandbox & { url: string };
  app: SandboxApp;
  /** Starts the block's worker before its tests (call inside the describe). */
  worker: () => () => OutboundWorker;
  /** How many answers with this Feishu code the block's sandbox gave. */
  code: (c: number) => number;
}

async function block(suffix: string, env: Record<string, string> = {}): Promise<Block> {
  const db = await useTestDatabase();
  const app = newApp();
  const sandbox = await startStandaloneSandbox(app);
  afterAll(() => sandbox.close());
  let w: OutboundWorker | undefined;
  return {
    prisma: db.prisma,
    sandbox,
    app,
    code: (c) => sandbox.stats().byCode[String(c)] ?? 0,
    worker: () => {
      beforeAll(async () => {
        w = await startOutboundWorker({ databaseUrl: db.url, redisUrl: redis.url, prefix: `${redis.prefix}-${suffix}`, app, domain: sandbox.url, env });
      });
      afterAll(() => w?.stop());
      return () => w!;
    },
  };
}

const A = await block('a');
// Every 429 pauses the whole queue for the second Feishu asks. With 30 % of answers a 429, nearly every
// limiter window (100 ms) ends in such a pause: at the default 40/s (4 calls a window) the 200 messages
// would take about two minutes. A bigger window (400/s → 40 calls) keeps the file short; the sandbox's
// own 50/s still applies.
const B = await block('b', { OUTBOUND_CONCURRENCY: '40', OUTBOUND_RATE_PER_SECOND: '400' });
const C = await block('c', { OUTBOUND_RATE_PER_SECOND: '20' });

describe.concurrent('delivery', () => {
  const { prisma, sandbox, app, code } = A;
  const worker = A.worker();
  const [alice, bob] = addReceivers(sandbox, 2, 'dl');

  it.sequential('delivers a SEND row once: SENT with the Feishu message id, one attempt, uuid = row id', async () => {
    const { ctx } = worker();
    const [id] = await queueRows(ctx, [textMessage(alice!, 'reminder-2026-05-songling-1', '请于5日前报送本月数据')]);
    await waitUntil(() => allSent(prisma, [id!]), 'the row is SENT');

    const row = await prisma.outboundMessage.findUniqueOrThrow({ where: { id: id! }, include: { attempts: true } });
    const stored = sandbox.messages.toUser(alice!, app.appId);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.uuid).toBe(id);
    expect(JSON.parse(stored[0]!.content)).toEqual({ text: '请于5日前报送本月数据' });
    expect(row).toMatchObject({ status: 'SENT', feishuMessageId: stored[0]!.messageId, attemptCount: 1, lastError: null });
    expect(row.sentAt).toBeInstanceOf(Date);
    expect(row.attempts).toHaveLength(1);
    expect(row.attempts[0]).toMatchObject({ attemptNo: 1, outcome: 'SENT', httpStatus: 200, code: 0 });

    const job = (await ctx.queues.outbound.getJob(id!))!;
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toBe('sent');
    expect(job.attemptsMade).toBe(1);
  });

  it.sequential('queues nothing new for a duplicate dedupeKey', async () => {
    const { ctx } = worker();
    const first = await prisma.outboundMessage.findUniqueOrThrow({ where: { dedupeKey: 'reminder-2026-05-songling-1' } });
    const jobBefore = (await ctx.queues.outbound.getJob(first.id))!;

    const again = await addOutbound(prisma, textMessage(alice!, 'reminder-2026-05-songling-1', '另一段文字'));
    expect(again).toEqual({ id: first.id, created: false });
    // A caller that enqueues again anyway (retry after a crash): jobId = row id makes it a no-op.
    await enqueueOutbound(ctx.queues, [again.id]);

    expect(await prisma.outboundMessage.count({ where: { dedupeKey: 'reminder-2026-05-songling-1' } })).toBe(1);
    const counts = await ctx.queues.outbound.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    const jobAfter = (await ctx.queues.outbound.getJob(first.id))!;
    expect(await jobAfter.getState()).toBe('completed');
    expect(jobAfter.timestamp).toBe(jobBefore.timestamp);

    // A later message to the same person arrives; the duplicate never does.
    const [marker] = await queueRows(ctx, [textMessage(alice!, 'marker-after-duplicate')]);
    await waitUntil(() => allSent(prisma, [marker!]), 'the marker is SENT');
    expect(sandbox.messages.toUser(alice!, app.appId).map((m) => m.uuid)).toEqual([first.id, marker]);
  });

  it.sequential('fails a permanent error after ONE attempt, without retry, and lists it for the organisers', async () => {
    const { ctx } = worker();
    const before = { c230013: code(230013), c230025: code(230025) };
    const bigCard = {
      schema: '2.0',
      header: { title: { tag: 'plain_text', content: '指标预警' } },
      body: { elements: Array.from({ length: 150 }, (_, i) => ({ tag: 'markdown', content: `第${i}项：${'规模以上工业增加值同比增长'.repeat(8)}` })) },
    };
    expect(Buffer.byteLength(JSON.stringify(bigCard))).toBeGreaterThan(30 * 1024);
    const [unknown, tooBig] = await queueRows(ctx, [
      textMessage('ou_not_in_this_tenant_0000', 'to-unknown-receiver'),
      { kind: 'SEND', dedupeKey: 'card-too-large', receiveIdType: 'open_id', receiveId: bob!, msgType: 'interactive', content: bigCard },
    ]);
    const ids = [unknown!, tooBig!];
    await waitUntil(async () => (await prisma.outboundMessage.count({ where: { id: { in: ids }, status: 'FAILED' } })) === 2, 'both rows are FAILED');

    for (const [id, c, reason] of [
      [unknown!, 230013, 'receiver outside the app availability scope (230013)'],
      [tooBig!, 230025, 'content too long (230025)'],
    ] as const) {
      const row = await prisma.outboundMessage.findUniqueOrThrow({ where: { id }, include: { attempts: true } });
      expect(row).toMatchObject({ status: 'FAILED', attemptCount: 1, lastError: reason, feishuMessageId: null, sentAt: null });
      expect(row.attempts).toHaveLength(1);
      expect(row.attempts[0]).toMatchObject({ attemptNo: 1, outcome: 'PERMANENT', httpStatus: 400, code: c, detail: reason });
      expect(row.attempts[0]!.logId).toMatch(/\S/);
      const job = (await ctx.queues.outbound.getJob(id))!;
      expect(await job.getState()).toBe('failed');
      expect(job.attemptsMade).toBe(1);
      expect(job.failedReason).toBe(reason);
    }
    // Feishu saw each exactly once: no retry.
    expect(code(230013) - before.c230013).toBe(1);
    expect(code(230025) - before.c230025).toBe(1);
    expect(sandbox.messages.toUser(bob!, app.appId)).toHaveLength(0);

    const failed = await listFailed(prisma);
    expect(failed.filter((f) => ids.includes(f.id)).map((f) => [f.dedupeKey, f.lastError]).sort()).toEqual([
      ['card-too-large', 'content too long (230025)'],
      ['to-unknown-receiver', 'receiver outside the app availability scope (230013)'],
    ]);
  });

  it.sequential('refreshes a revoked tenant token (99991663) and delivers within the same attempt', async () => {
    const { ctx } = worker();
    const before = code(99991663);
    sandbox.revokeTokens();
    const [id] = await queueRows(ctx, [textMessage(bob!, 'after-token-revoked')]);
    await waitUntil(() => allSent(prisma, [id!]), 'the row is SENT');
    expect(code(99991663) - before).toBe(1);
    const row = await prisma.outboundMessage.findUniqueOrThrow({ where: { id: id! }, include: { attempts: true } });
    expect(row.attempts.map((a) => a.outcome)).toEqual(['SENT']);
    expect(storedByUuid(sandbox, [id!]).get(id!)).toHaveLength(1);
  });

  it.sequential('the sweeper re-enqueues a PENDING row whose job was removed, and leaves live jobs alone', async () => {
    const { ctx } = worker();
    const q = ctx.queues.outbound;
    // Two rows with delayed jobs; one job is then lost (removed), the other stays.
    const lost = (await addOutbound(prisma, textMessage(bob!, 'sweep-lost'))).id;
    const live = (await addOutbound(prisma, textMessage(bob!, 'sweep-live'))).id;
    await enqueueOutbound(ctx.queues, [lost, live], 10 * 60_000);
    await (await q.getJob(lost))!.remove();
    expect(await q.getJob(lost)).toBeUndefined();

    // Young rows are not swept (their enqueue may still be on its way).
    await sweepOutbox({ prisma, queues: ctx.queues });
    expect(await q.getJob(lost)).toBeUndefined();

    await prisma.outboundMessage.updateMany({ where: { id: { in: [lost, live] } }, data: { createdAt: new Date(Date.now() - 5 * 60_000) } });
    const liveJob = (await q.getJob(live))!;
    // Only the lost one is enqueued (other tests' rows may be swept too).
    expect(await sweepOutbox({ prisma, queues: ctx.queues })).toBeGreaterThanOrEqual(1);
    await waitUntil(() => allSent(prisma, [lost]), 'the swept row is SENT');
    expect(storedByUuid(sandbox, [lost]).get(lost)).toHaveLength(1);

    // The row whose job still existed: the same delayed job, not a second one.
    const liveAfter = (await q.getJob(live))!;
    expect(await liveAfter.getState()).toBe('delayed');
    expect(liveAfter.timestamp).toBe(liveJob.timestamp);
    await liveAfter.remove();
    await prisma.outboundMessage.update({ where: { id: live }, data: { status: 'CANCELLED' } });
  });

  it.sequential('gives up on a row still undelivered after a day: FAILED with a reason, listed for the organisers, no job', async () => {
    const { ctx } = worker();
    const old = (await addOutbound(prisma, textMessage(bob!, 'a-day-late'))).id;
    await prisma.outboundMessage.update({ where: { id: old }, data: { createdAt: new Date(Date.now() - GIVE_UP_AFTER_MS - 60_000) } });
    await sweepOutbox({ prisma, queues: ctx.queues });
    const row = await prisma.outboundMessage.findUniqueOrThrow({ where: { id: old } });
    expect(row.status).toBe('FAILED');
    expect(row.lastError).toBe(GIVE_UP_REASON);
    expect(await ctx.queues.outbound.getJob(old)).toBeUndefined();
    expect((await listFailed(prisma, 50)).map((f) => f.id)).toContain(old);
    expect(storedByUuid(sandbox, [old]).get(old)).toBeUndefined();
  });

  it.sequential('paces itself to 5/s for one receiver: 50 messages to ONE user, none answered 230020', async () => {
    const { ctx } = worker();
    const [carol] = addReceivers(sandbox, 1, 'one');
    const before = code(230020);
    const ids = await queueRows(ctx, Array.from({ length: 50 }, (_, i) => textMessage(carol!, `one-receiver-${i}`)));
    await waitUntil(() => allSent(prisma, ids), 'all 50 rows are SENT', 45_000, 200);

    expect(code(230020) - before).toBe(0);
    const stored = storedByUuid(sandbox, ids);
    expect(ids.every((id) => stored.get(id)?.length === 1)).toBe(true);
    const times = [...stored.values()].map((l) => l[0]!.createTime);
    console.info(`[one receiver] most in any second: ${maxInWindow(times, 1_000)}`);
    expect(maxInWindow(times, 1_000)).toBeLessThanOrEqual(5);
    // Every row went out on its first call to Feishu.
    const attempts = await prisma.deliveryAttempt.groupBy({ by: ['outcome'], where: { messageId: { in: ids } }, _count: { _all: true } });
    expect(attempts.map((a) => [a.outcome, a._count._all])).toEqual([['SENT', 50]]);
  });
});

describe.concurrent('under faults', () => {
  const { prisma, sandbox } = B;
  const worker = B.worker();
  afterAll(() => void sandbox.setFaults({}));

  it.sequential('waits on 429 and 230020 without using attempts', async () => {
    const { ctx } = worker();
    const [dave] = addReceivers(sandbox, 1, 'wait');
    const row = await addOutbound(prisma, textMessage(dave!, 'only-waits'));
    const attemptsOf = (outcome: string, c?: number) =>
      prisma.deliveryAttempt.count({ where: { messageId: row.id, outcome: outcome as 'RETRY', ...(c ? { code: c } : {}) } });

    sandbox.setFaults({ rate429: 1 });
    // Two attempts allowed: five refusals would exhaust them if a wait counted as one.
    await enqueue(ctx.queues, 'outbound.deliver.v1', { outboundMessageId: row.id }, { jobId: row.id, attempts: 2 });
    await waitUntil(async () => (await attemptsOf('RATE_LIMITED')) >= 3, 'three 429 answers', 20_000);
    sandbox.setFaults({ rate230020: 1 });
    await waitUntil(async () => (await attemptsOf('RETRY', 230020)) >= 2, 'two 230020 answers', 20_000);
    sandbox.setFaults({});
    await waitUntil(() => allSent(prisma, [row.id]), 'the row is SENT', 20_000);

    const job = (await ctx.queues.outbound.getJob(row.id))!;
    expect(job.opts.attempts).toBe(2);
    expect(job.attemptsMade).toBe(1);
    const outcomes = (await prisma.deliveryAttempt.findMany({ where: { messageId: row.id }, orderBy: { attemptNo: 'asc' } })).map((a) => a.outcome);
    expect(outcomes.length).toBeGreaterThanOrEqual(6);
    expect(outcomes.at(-1)).toBe('SENT');
    expect(storedByUuid(sandbox, [row.id]).get(row.id)).toHaveLength(1);
  });

  it.sequential('delivers 200 messages to 20 receivers exactly once under 429, 230020 and 5xx (before and after commit)', async () => {
    const { ctx } = worker();
    const people = addReceivers(sandbox, 20, 'flt');
    const statsBefore = sandbox.stats();
    const rows = await Promise.all(
      Array.from({ length: 200 }, (_, i) => addOutbound(prisma, textMessage(people[i % 20]!, `fault-${i}`))),
    );
    const ids = rows.map((r) => r.id);
    sandbox.setFaults({ rate429: 0.3, rate230020: 0.3, rate5xx: 0.2, rate5xxAfterCommit: 0.1, seed: 20260501 });
    // The catalog's attempts (10), with the backoff shortened from 1 s to 50 ms so the file stays short.
    await Promise.all(ids.map((id) => enqueue(ctx.queues, 'outbound.deliver.v1', { outboundMessageId: id }, { jobId: id, backoff: { type: 'exponential', delay: 50 } })));

    let sweeps = 0;
    await waitUntil(
      async () => {
        if (await allSent(prisma, ids)) return true;
        // A row whose 10 attempts all met a 5xx stays PENDING with a failed job: the scheduled sweeper
        // re-enqueues it after a minute in production; here it is called as soon as the queue is idle.
        const c = await ctx.queues.outbound.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (Object.values(c).reduce((a, b) => a + b, 0) === 0) sweeps += await sweepOutbox({ prisma, queues: ctx.queues }, 0);
        return false;
      },
      'all 200 rows are SENT',
      90_000,
      250,
    );
    sandbox.setFaults({});

    // Every row SENT, each with exactly one stored message carrying its uuid and id.
    const stored = storedByUuid(sandbox, ids);
    expect(stored.size).toBe(200);
    const sentRows = await prisma.outboundMessage.findMany({ where: { id: { in: ids } }, include: { attempts: true } });
    for (const r of sentRows) {
      expect(r.status).toBe('SENT');
      expect(stored.get(r.id)).toHaveLength(1);
      expect(r.feishuMessageId).toBe(stored.get(r.id)![0]!.messageId);
    }
    // The faults were met: lost answers were replayed (uuid dedup), rate limits were answered.
    const s = sandbox.stats();
    const delta = (k: number) => (s.byCode[String(k)] ?? 0) - (statsBefore.byCode[String(k)] ?? 0);
    expect(s.duplicatesSeen - statsBefore.duplicatesSeen).toBeGreaterThan(0);
    expect(delta(99991400)).toBeGreaterThan(0);
    expect(delta(230020)).toBeGreaterThan(0);
    expect(delta(2200)).toBeGreaterThan(0);

    // Attempts: BullMQ counted only the 5xx answers (plus the final completion) — never a 429 or a 230020.
    let waitedRows = 0;
    for (const r of sentRows) {
      const job = (await ctx.queues.outbound.getJob(r.id))!;
      const sinceJob = r.attempts.filter((a) => a.at.getTime() >= job.timestamp - 5);
      const consumed = sinceJob.filter((a) => a.outcome === 'RETRY' && a.code !== 230020).length;
      const waits = sinceJob.filter((a) => a.outcome === 'RATE_LIMITED' || a.code === 230020).length;
      expect({ id: r.id, attemptsMade: job.attemptsMade }).toEqual({ id: r.id, attemptsMade: consumed + 1 });
      if (waits > 0) waitedRows++;
    }
    expect(waitedRows).toBeGreaterThan(50);
    console.info(`[outbound faults] sweeps needed: ${sweeps}; sandbox: ${JSON.stringify({ requests: s.requests - statsBefore.requests, duplicatesSeen: s.duplicatesSeen - statsBefore.duplicatesSeen })}`);
  }, 120_000);
});

describe.concurrent('app-wide pacing', () => {
  const { prisma, sandbox, code } = C;
  const worker = C.worker();

  it.sequential('keeps to OUTBOUND_RATE_PER_SECOND: 100 messages to 100 receivers at 20/s', async () => {
    const { ctx } = worker();
    const people = addReceivers(sandbox, 100, 'rate');
    const before = code(99991400);
    const ids = await queueRows(ctx, people.map((p, i) => textMessage(p, `rate-${i}`)));
    await waitUntil(() => allSent(prisma, ids), 'all 100 rows are SENT', 45_000, 200);

    const times = [...storedByUuid(sandbox, ids).values()].map((l) => l[0]!.createTime).sort((a, b) => a - b);
    expect(times).toHaveLength(100);
    // At most the limit in any second as the sandbox saw it: 100-ms limiter windows allow one window (2)
    // over in a sliding second, plus a little slack for request jitter.
    console.info(`[app rate] most in any second: ${maxInWindow(times, 1_000)} (limit 20)`);
    expect(maxInWindow(times, 1_000)).toBeLessThanOrEqual(24);
    // 100 at 20/s cannot take less than four windows.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(3_500);
    expect(code(99991400) - before).toBe(0);
  });
});
