// Jobs: the typed catalog. Every job name maps to its queue, its zod payload schema and default options.
// Jobs carry ids only; the database row owns the state. Names are dotted and versioned.
import { z } from 'zod';
import type { JobsOptions } from 'bullmq';
import type { QueueName } from './queues.ts';

export interface JobDef<S extends z.ZodType = z.ZodType> {
  queue: QueueName;
  schema: S;
  opts: JobsOptions;
}

const keep: JobsOptions = {
  removeOnComplete: { age: 24 * 3600, count: 20_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

export const JOBS = {
  /** Delivers one outbox row to Feishu. jobId = row id, so enqueuing twice is a no-op. */
  'outbound.deliver.v1': {
    queue: 'outbound',
    schema: z.object({ outboundMessageId: z.uuid() }),
    // ~9 minutes of exponential retries; the sweeper picks up whatever is still pending after that.
    opts: { ...keep, attempts: 10, backoff: { type: 'exponential', delay: 1_000 } },
  },
  /** Re-enqueues outbox rows still pending after a lost job (crash between commit and enqueue). */
  'outbox.sweep.v1': {
    queue: 'domain',
    schema: z.object({}),
    opts: { removeOnComplete: { count: 10 }, removeOnFail: { count: 50 }, attempts: 1 },
  },
} as const satisfies Record<string, JobDef>;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['schema']>;

export function jobsOfQueue(queue: QueueName): JobName[] {
  return (Object.keys(JOBS) as JobName[]).filter((n) => JOBS[n].queue === queue);
}
