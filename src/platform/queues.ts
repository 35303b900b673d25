// Platform: BullMQ queues on the producer connection, one per name in jobs/queues.ts.
import { Queue } from 'bullmq';
import type { Redis } from './redis.ts';
import { QUEUES, type QueueName } from '../../jobs/queues.ts';

export type Queues = Record<QueueName, Queue>;

export function createQueues(connection: Redis, prefix: string): Queues {
  return Object.fromEntries(QUEUES.map((name) => [name, new Queue(name, { connection, prefix })])) as Queues;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
