// Job `outbox.sweep.v1`, every 30 s: outbox rows still PENDING whose BullMQ job is gone (a crash between
// commit and enqueue, a flushed or restarted Redis, a job whose attempts ran out on errors that were not
// Feishu's answers) are enqueued again — a row deferred on purpose (notBefore) as a delayed job, not sent
// now. Rows whose job still waits, runs or is delayed are left alone. A row still not delivered a day after
// it was written (or after its notBefore) is given up (a reminder or warning that late misleads more than
// it helps) and listed under 发送失败.
//
// enqueueMissing is the generic part: any other table of "jobs that must exist while the row is pending"
// (e.g. follow-up jobs written in a command's transaction) adds a source of candidates to sweepOutbox.
import type { Queue } from 'bullmq';
import type { PrismaClient } from '../src/platform/prisma.ts';
import type { Queues } from '../src/platform/queues.ts';
import { systemClock, type Clock } from '../src/platform/clock.ts';
import { enqueueOutbound } from '../src/outbox/outbox.enqueue.ts';
import { expirePending, findStuck } from '../src/outbox/outbox.repo.ts';
import { enqueueFollowUp, pendingFollowUps, queueOfFollowUp } from '../src/outbox/follow-ups.enqueue.ts';

export const SWEEP_EVERY_MS = 30_000;
/** Younger rows may still have their enqueue on the way (a recovery sweep after a Redis loss uses 0). */
export const SWEEP_OLDER_THAN_MS = 60_000;

/** How long Feishu may stay unreachable (or keep refusing) before a message is given up. */
export const GIVE_UP_AFTER_MS = 24 * 3600_000;
export const GIVE_UP_REASON = '24 小时内未能送达（飞书不可达或持续报错），已停止重试';

/** Rows read from PostgreSQL per page, and job states asked of Redis at once. */
const PAGE = 1_000;
const BATCH = 200;

/** A job that must exist while its database row is pending. */
export interface SweepCandidate {
  jobId: string;
  /** Adds the job (with the same jobId, and a delay where the row says so). */
  enqueue(): Promise<unknown>;
}

/**
 * Enqueues the candidates whose job is not in `queue` — one state lookup per candidate, BATCH at a time.
 * `replaceFinished`: a completed or failed job of a row still pending is stale (its row is the truth), so
 * it is removed and added again. Returns how many were enqueued.
 */
export async function enqueueMissing(queue: Queue, candidates: readonly SweepCandidate[], opts: { replaceFinished?: boolean } = {}): Promise<number> {
  let added = 0;
  for (let i = 0; i < candidates.length; i += BATCH) {
    const batch = candidates.slice(i, i + BATCH);
    const states = await Promise.all(batch.map((c) => queue.getJobState(c.jobId)));
    await Promise.all(
      batch.map(async (c, k) => {
        const state = states[k];
        const finished = state === 'completed' || state === 'failed';
        if (state !== 'unknown' && !(finished && opts.replaceFinished)) return;
        if (finished) await queue.remove(c.jobId);
        await c.enqueue();
        added++;
      }),
    );
  }
  return added;
}

export interface SweepDeps {
  prisma: PrismaClient;
  queues: Queues;
  /** Business time, as notBefore is written in; wall-clock time by default. */
  clock?: Clock;
}

export async function sweepOutbox(deps: SweepDeps, olderThanMs = SWEEP_OLDER_THAN_MS): Promise<number> {
  const clock = deps.clock ?? systemClock;
  // createdAt is the database's now() (wall-clock time); notBefore is business time.
  await expirePending(deps.prisma, new Date(Date.now() - GIVE_UP_AFTER_MS), GIVE_UP_REASON, new Date(clock.now().getTime() - GIVE_UP_AFTER_MS));
  let added = 0;
  let after: string | undefined;
  for (;;) {
    const rows = await findStuck(deps.prisma, new Date(), olderThanMs, { after, limit: PAGE });
    if (!rows.length) break;
    after = rows.at(-1)!.id;
    const now = clock.now().getTime();
    added += await enqueueMissing(
      deps.queues.outbound,
      rows.map((r) => ({
        jobId: r.id,
        enqueue: () => enqueueOutbound(deps.queues, [r.id], r.notBefore ? Math.max(0, r.notBefore.getTime() - now) : undefined),
      })),
      { replaceFinished: true },
    );
    if (rows.length < PAGE) break;
  }
  // Follow-up jobs commands wrote: a finished job whose row is still PENDING ran (the mark was lost), so
  // it is not run again.
  after = undefined;
  for (;;) {
    const rows = await pendingFollowUps(deps.prisma, new Date(Date.now() - olderThanMs), { after, limit: PAGE });
    if (!rows.length) break;
    after = rows.at(-1)!.id;
    const now = clock.now();
    const byQueue = new Map<Queue, SweepCandidate[]>();
    for (const r of rows) {
      const q = queueOfFollowUp(deps.queues, r.name);
      byQueue.set(q, [...(byQueue.get(q) ?? []), { jobId: r.jobId, enqueue: () => enqueueFollowUp(deps.queues, r, now) }]);
    }
    for (const [q, candidates] of byQueue) added += await enqueueMissing(q, candidates);
    if (rows.length < PAGE) break;
  }
  return added;
}
