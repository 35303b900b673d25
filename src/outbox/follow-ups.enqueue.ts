// Outbox: enqueue follow-up rows after their transaction has committed, and mark them done when their
// job has run. jobId = the row's jobId, so a second enqueue (the sweeper, a retry) is a no-op while the
// job is stored.
import type { JobName, JobPayload } from '../../jobs/catalog.ts';
import { enqueue } from '../platform/enqueue.ts';
import type { PrismaClient } from '../platform/prisma.ts';
import type { Queues } from '../platform/queues.ts';

export async function enqueueFollowUps(prisma: PrismaClient, queues: Queues, ids: string[], now = new Date()): Promise<void> {
  if (!ids.length) return;
  const rows = await prisma.followUp.findMany({ where: { id: { in: ids }, status: 'PENDING' } });
  await Promise.all(
    rows.map((r) => {
      const delay = r.runAt ? Math.max(0, r.runAt.getTime() - now.getTime()) : 0;
      return enqueue(queues, r.name as JobName, r.payload as JobPayload<JobName>, { jobId: r.jobId, ...(delay ? { delay } : {}) });
    }),
  );
}

/** Called by the worker when a job has run: its follow-up row (if any) is done and no longer swept. */
export async function markFollowUpDone(prisma: PrismaClient, jobId: string | undefined, at: Date): Promise<void> {
  if (!jobId) return;
  await prisma.followUp.updateMany({ where: { jobId, status: 'PENDING' }, data: { status: 'DONE', doneAt: at } });
}

/** PENDING rows older than the given age (their enqueue may have been lost): for the sweeper. */
export async function pendingFollowUps(prisma: PrismaClient, olderThan: Date, limit: number) {
  return prisma.followUp.findMany({ where: { status: 'PENDING', createdAt: { lt: olderThan } }, orderBy: { createdAt: 'asc' }, take: limit, select: { id: true, jobId: true } });
}
