// Job `outbox.sweep.v1`, every 30 s: outbox rows still PENDING a while after they were written may have
// lost their job (a crash between commit and enqueue, a flushed Redis, a job whose attempts ran out on
// errors that were not Feishu's answers). Enqueue them again; jobId = row id makes this a no-op for rows
// whose job still waits, runs or is delayed. A row still not delivered a day after it was written is given
// up (a reminder or warning that late misleads more than it helps) and listed under 发送失败.
import type { PrismaClient } from '../src/platform/prisma.ts';
import type { Queues } from '../src/platform/queues.ts';
import { enqueueOutbound } from '../src/outbox/outbox.enqueue.ts';
import { expirePending, findStuck } from '../src/outbox/outbox.repo.ts';

export const SWEEP_EVERY_MS = 30_000;
/** Younger rows may still have their enqueue on the way. */
export const SWEEP_OLDER_THAN_MS = 60_000;

/** How long Feishu may stay unreachable (or keep refusing) before a message is given up. */
export const GIVE_UP_AFTER_MS = 24 * 3600_000;
export const GIVE_UP_REASON = '24 小时内未能送达（飞书不可达或持续报错），已停止重试';

export async function sweepOutbox(deps: { prisma: PrismaClient; queues: Queues }, olderThanMs = SWEEP_OLDER_THAN_MS): Promise<number> {
  // Wall-clock time: createdAt is the database's now(), whatever clock the domain runs on.
  await expirePending(deps.prisma, new Date(Date.now() - GIVE_UP_AFTER_MS), GIVE_UP_REASON);
  const stuck = await findStuck(deps.prisma, new Date(), olderThanMs, 5_000);
  if (!stuck.length) return 0;
  // A finished job with that id would make the add a no-op: remove finished ones first.
  const q = deps.queues.outbound;
  await Promise.all(
    stuck.map(async (id) => {
      const job = await q.getJob(id);
      if (!job) return;
      const state = await job.getState();
      if (state === 'completed' || state === 'failed') await job.remove();
    }),
  );
  await enqueueOutbound(deps.queues, stuck);
  return stuck.length;
}
