// Outbox: follow-up jobs — background work a command starts (evaluate lights, re-plan a cycle, import a
// file), written as rows in the command's transaction like outbound messages. After the commit they are
// enqueued (follow-ups.enqueue.ts); while PENDING the sweeper enqueues them again, so a Redis failure
// after the commit, or a flushed Redis, delays the work but never loses it. No BullMQ here.
import type { Prisma } from '../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../platform/prisma.ts';
import { JOBS, type JobName, type JobPayload } from '../../jobs/catalog.ts';
import { noteFollowUp } from './written.ts';

export interface FollowUpInput<N extends JobName> {
  name: N;
  payload: JobPayload<N>;
  /** From the domain (e.g. `import-<messageId>`): the same cause is one job. No ':' (BullMQ's separator). */
  jobId: string;
  runAt?: Date;
}

/** Writes the row in the caller's transaction (once per jobId) and returns its id. */
export async function addFollowUp<N extends JobName>(tx: Tx | PrismaClient, input: FollowUpInput<N>): Promise<string> {
  if (input.jobId.includes(':')) throw new Error(`follow-up jobId "${input.jobId}" must not contain ':'`);
  const payload = JOBS[input.name].schema.parse(input.payload) as Prisma.InputJsonValue;
  await tx.followUp.createMany({
    data: [{ name: input.name, payload, jobId: input.jobId, ...(input.runAt ? { runAt: input.runAt } : {}) }],
    skipDuplicates: true,
  });
  const row = await tx.followUp.findUniqueOrThrow({ where: { jobId: input.jobId }, select: { id: true } });
  noteFollowUp(row.id);
  return row.id;
}
