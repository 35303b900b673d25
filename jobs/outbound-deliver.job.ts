// Job `outbound.deliver.v1`: one outbox row → Feishu. Re-reads the row (the row owns the state), records
// every call, and lets the classifier decide: done, retry (backoff, uses an attempt), wait (rate limits:
// no attempt used), or fail for good (shown to the organisers).
import { DelayedError, RateLimitError, UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { PrismaClient } from '../src/platform/prisma.ts';
import type { Clock } from '../src/platform/clock.ts';
import type { Logger } from '../src/platform/logger.ts';
import type { Pace } from '../src/platform/pace.ts';
import type { FeishuClient } from '../src/feishu/client.ts';
import { FeishuCallError, sendOutbound } from '../src/feishu/outbound/sender.ts';
import { classifyFeishuError } from '../src/feishu/outbound/errors.ts';
import { parsePayload } from '../src/platform/enqueue.ts';
import { OutboundSpec, receiverKeyOf } from '../src/outbox/outbox.schema.ts';
import { findOutbound, markFailed, markSent, recordAttempt } from '../src/outbox/outbox.repo.ts';

export interface DeliverDeps {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  feishu: FeishuClient;
  /** The outbound queue, to pause it on an app-level rate limit. */
  queue: Queue;
  /** Feishu's 5 per second per user, chat or card. */
  pace: Pace;
}

/** Waits without using an attempt (BullMQ: moveToDelayed + DelayedError). */
async function waitFor(job: Job, token: string | undefined, ms: number): Promise<never> {
  await job.moveToDelayed(Date.now() + ms, token);
  throw new DelayedError();
}

export async function deliverOutbound(deps: DeliverDeps, job: Job, token?: string): Promise<string> {
  const { outboundMessageId } = parsePayload('outbound.deliver.v1', job.data);
  const row = await findOutbound(deps.prisma, outboundMessageId);
  if (!row) return 'gone';
  if (row.status !== 'PENDING') return row.status.toLowerCase();
  const log = deps.logger.child({ jobId: job.id, outboundMessageId, kind: row.kind, attempt: job.attemptsMade + 1 });

  // notBefore is business time, like the clock that wrote it.
  const early = row.notBefore ? row.notBefore.getTime() - deps.clock.now().getTime() : 0;
  if (early > 0) return waitFor(job, token, early);

  const spec = OutboundSpec.safeParse(row);
  if (!spec.success) {
    // Written by an older or buggy producer: no call to Feishu can succeed.
    const reason = `invalid outbox row: ${spec.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
    await markFailed(deps.prisma, row.id, reason);
    log.error({ reason }, '[outbound] invalid row');
    throw new UnrecoverableError(reason);
  }

  const receiver = receiverKeyOf(spec.data);
  let slot: string | undefined;
  if (receiver) {
    const turn = await deps.pace.take(receiver, row.id);
    if (turn.waitMs > 0) return waitFor(job, token, turn.waitMs);
    slot = turn.slot;
  }

  const attemptNo = row.attemptCount + 1;
  try {
    const res = await sendWithTokenRefresh(deps, row.id, spec.data).finally(() =>
      receiver && slot ? deps.pace.settle(receiver, slot) : undefined,
    );
    await markSent(deps.prisma, row.id, { attemptNo, at: deps.clock.now(), httpStatus: 200, code: 0 }, res.feishuMessageId);
    return 'sent';
  } catch (err) {
    if (!(err instanceof FeishuCallError)) throw err;
    const c = classifyFeishuError(err);
    const attempt = { attemptNo, at: deps.clock.now(), httpStatus: err.httpStatus ?? null, code: err.code ?? null, detail: c.reason, logId: err.logId ?? null };
    log.warn({ httpStatus: err.httpStatus, code: err.code, logId: err.logId, decision: c.kind, reason: c.reason }, '[outbound] Feishu refused');
    if (c.kind === 'permanent') {
      await markFailed(deps.prisma, row.id, c.reason, attempt);
      throw new UnrecoverableError(c.reason);
    }
    await recordAttempt(deps.prisma, row.id, { ...attempt, outcome: c.kind === 'rate_limited' ? 'RATE_LIMITED' : 'RETRY' });
    if (c.kind === 'rate_limited') {
      // The app's quota is shared by every message: pause the whole queue, no attempt used.
      await deps.queue.rateLimit(c.waitMs);
      throw new RateLimitError();
    }
    // A per-receiver limit (230020): only this message waits, no attempt used.
    if (c.kind === 'retry' && c.waitMs) return waitFor(job, token, c.waitMs + Math.floor(Math.random() * 200));
    throw new Error(c.reason);
  }
}

/** An expired or revoked tenant token: fetch a new one and call once more, within this attempt. */
async function sendWithTokenRefresh(deps: DeliverDeps, rowId: string, spec: OutboundSpec) {
  try {
    return await sendOutbound(deps.feishu, rowId, spec);
  } catch (err) {
    if (err instanceof FeishuCallError && classifyFeishuError(err).kind === 'token_expired') {
      deps.feishu.dropToken();
      return sendOutbound(deps.feishu, rowId, spec);
    }
    throw err;
  }
}
