// Outbox: enqueue delivery after the transaction that wrote the rows has committed (a job enqueued
// before the commit could run before the row is visible). jobId = row id makes a second enqueue
// (the sweeper, a retry of the caller) a no-op while the job is stored.
import type { Queues } from '../platform/queues.ts';
import { enqueue } from '../platform/enqueue.ts';

export async function enqueueOutbound(queues: Queues, ids: string[], delayMs?: number): Promise<void> {
  await Promise.all(
    ids.map((id) => enqueue(queues, 'outbound.deliver.v1', { outboundMessageId: id }, { jobId: id, ...(delayMs ? { delay: delayMs } : {}) })),
  );
}
