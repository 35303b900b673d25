// Platform: the only way to add a job or a job scheduler. Payloads are validated against the catalog on
// the way in (and again by the worker on the way out, parsePayload).
import type { Job, JobSchedulerTemplateOptions, JobsOptions, RepeatOptions } from 'bullmq';
import { JOBS, type JobName, type JobPayload } from '../../jobs/catalog.ts';
import type { Queues } from './queues.ts';

/** BullMQ uses ':' as its key separator; ids we make up use '-'. */
function checkId(kind: string, id: string | undefined): void {
  if (id?.includes(':')) throw new Error(`${kind} "${id}" must not contain ':'`);
}

export async function enqueue<N extends JobName>(queues: Queues, name: N, payload: JobPayload<N>, opts: JobsOptions = {}): Promise<Job> {
  const def = JOBS[name];
  const data = def.schema.parse(payload);
  checkId('jobId', opts.jobId);
  return queues[def.queue].add(name, data, { ...def.opts, ...opts });
}

/** Creates or updates a repeatable job; upserting the same scheduler id twice keeps one. */
export async function upsertSchedule<N extends JobName>(
  queues: Queues,
  schedulerId: string,
  repeat: Omit<RepeatOptions, 'key'>,
  name: N,
  payload: JobPayload<N>,
  opts: JobSchedulerTemplateOptions = {},
): Promise<void> {
  const def = JOBS[name];
  const data = def.schema.parse(payload);
  checkId('scheduler id', schedulerId);
  const defaults: JobSchedulerTemplateOptions = def.opts;
  await queues[def.queue].upsertJobScheduler(schedulerId, repeat, { name, data, opts: { ...defaults, ...opts } });
}

/** Parses a dequeued job's data: a job added by an older or foreign producer fails loudly here. */
export function parsePayload<N extends JobName>(name: N, data: unknown): JobPayload<N> {
  return JOBS[name].schema.parse(data) as JobPayload<N>;
}
