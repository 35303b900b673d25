// Outbox: enqueue follow-up rows after their transaction has committed, and mark them done when their
// job has run. jobId = the row's jobId, so a second enqueue (the sweeper, a retry) is a no-op while the
// job is stored.
import { JOBS, type JobName, type JobPayload } from '../../jobs/catalog.ts';
import { enqueue } from '../platform/enqueue.ts';
import type { PrismaClient } from '../platform/prisma.ts';
import type { Queues } from '../platform/queues.ts';

export interface FollowUpRow {
  name: string;
  payload: unknown;
  jobId: string;
  runAt: Date | null;
}

/** Adds the row's job, delayed until runAt (business time, as `now`). */
export async function enqueueFollowUp(queues: Queues, r: FollowUpRow, now: Date): Promise<void> {
  const delay = r.runAt ? Math.max(0, r.runAt.getTime() - now.getTime()) : 0;
  await enqueue(queues, r.name as JobName, r.payload as JobPayload<JobName>, { jobId: r.jobId, ...(delay ? { delay } : {}) });
}

export async function enqueueFollowUps(prisma: PrismaClient, queues: Queues, ids: string[], now: Date): Promise<void> {
  if (!ids.length) return;
  const rows = await prisma.followUp.findMany({ where: { id: { in: ids }, status: 'PENDING' } });
  await Promise.all(rows.map((r) => enqueueFollowUp(queues, r, now)));
}

/** Called by the worker when a job has run: its follow-up row (if any) is done and no longer swept. */
export async function markFollowUpDone(prisma: PrismaClient, jobId: string | undefined, at: Date): Promise<void> {
  if (!jobId) return;
  await prisma.followUp.updateMany({ where: { jobId, status: 'PENDING' }, data: { status: 'DONE', doneAt: at } });
}

/** PENDING rows written before `olderThan` (their enqueue may have been lost), a page at a time: for the sweeper. */
export function pendingFollowUps(prisma: PrismaClient, olderThan: Date, page: { after?: string; limit: number }) {
  return prisma.followUp.findMany({
    where: { status: 'PENDING', createdAt: { lt: olderThan }, ...(page.after ? { id: { gt: page.after } } : {}) },
    orderBy: { id: 'asc' },
    take: page.limit,
  });
}

/** The queue a follow-up's job runs on. */
export const queueOfFollowUp = (queues: Queues, name: string) => queues[JOBS[name as JobName].queue];
