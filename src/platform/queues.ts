// Platform: BullMQ queues on the producer connection, one per name in jobs/queues.ts.
import { Queue } from 'bullmq';
import type { Redis } from './redis.ts';
import { QUEUES, type QueueName } from '../../jobs/queues.ts';

export type Queues = Record<QueueName, Queue>;

export function createQueues(connection: Redis, prefix: string): Queues {
  return Object.fromEntries(
    QUEUES.map((name) => {
      const q = new Queue(name, { connection, prefix });
      // Connection errors surface through health checks and failed calls; without a listener BullMQ
      // prints each one while Redis is down.
      q.on('error', () => undefined);
      return [name, q];
    }),
  ) as Queues;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
