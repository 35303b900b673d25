// Jobs: the typed catalog. Every job name maps to its queue, its zod payload schema and default options.
// Jobs carry ids only; the database row owns the state. Names are dotted and versioned.
import { z } from 'zod';
import type { Job, JobsOptions } from 'bullmq';
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
  /** Re-enqueues outbox rows still pending after a lost job (crash between commit and enqueue, Redis lost). */
  'outbox.sweep.v1': {
    queue: 'domain',
    // olderThanMs 0 after a Redis loss: every pending row, however young.
    schema: z.object({ olderThanMs: z.int().min(0).optional() }),
    opts: { removeOnComplete: { count: 10 }, removeOnFail: { count: 50 }, attempts: 1 },
  },
  /** Keeps a cycle's open, reminder and escalation jobs in line with the configuration and the calendar. */
  'collection.plan.v1': {
    queue: 'domain',
    schema: z.object({ cycle: z.string().optional() }),
    opts: { removeOnComplete: { count: 50 }, removeOnFail: { count: 200 }, attempts: 3, backoff: { type: 'exponential', delay: 5_000 } },
  },
  /** Opens a period: report rows and the collection cards. jobId = open-<periodId>. */
  'collection.open.v1': { queue: 'domain', schema: z.object({ periodId: z.uuid() }), opts: { ...keep, attempts: 5, backoff: { type: 'exponential', delay: 5_000 } } },
  /** One reminder step of a period (or of one unit with an extension). jobId = remind-<periodId>[-<unitId>]-<step>. */
  'collection.remind.v1': {
    queue: 'domain',
    schema: z.object({ periodId: z.uuid(), step: z.int().min(1), unitId: z.uuid().optional() }),
    opts: { ...keep, attempts: 5, backoff: { type: 'exponential', delay: 5_000 } },
  },
  /** One escalation step after the deadline. jobId = escalate-<periodId>[-<unitId>]-<step>. */
  'collection.escalate.v1': {
    queue: 'domain',
    schema: z.object({ periodId: z.uuid(), step: z.int().min(1), unitId: z.uuid().optional() }),
    opts: { ...keep, attempts: 5, backoff: { type: 'exponential', delay: 5_000 } },
  },
  /** After a close or a reopen: the outstanding units are told, their blank form cards turned. jobId = pstate-<periodId>-<change>-<round>. */
  'collection.period-state.v1': {
    queue: 'domain',
    schema: z.object({ periodId: z.uuid(), change: z.enum(['closed', 'reopened']), round: z.int().min(0) }),
    opts: { ...keep, attempts: 5, backoff: { type: 'exponential', delay: 5_000 } },
  },
  /** The first day of a liaison's leave: the backup liaison is told they cover the unit. jobId = leave-start-<leaveId>. */
  'collection.leave-start.v1': { queue: 'domain', schema: z.object({ leaveId: z.uuid() }), opts: { ...keep, attempts: 5, backoff: { type: 'exponential', delay: 5_000 } } },
  /** Downloads a file an organiser sent and imports its official figures. jobId = import-<messageId>. */
  'collection.import.v1': {
    queue: 'domain',
    schema: z.object({ messageId: z.string().min(1), fileKey: z.string().min(1), fileName: z.string().min(1), openId: z.string().min(1), chatId: z.string().optional() }),
    opts: { ...keep, attempts: 3, backoff: { type: 'exponential', delay: 5_000 } },
  },
  /**
   * Lights of a period after a submission (the unit's sibling groups: coalesced per group through
   * 'lights.group.v1') or at close (all); pushes the digests. jobId = lights-<batch>.
   */
  'lights.evaluate.v1': {
    queue: 'domain',
    // incompleteRows: rows of an official file not imported, said on the digest.
    schema: z.object({ periodId: z.uuid(), indicatorIds: z.array(z.uuid()).optional(), unitIds: z.array(z.uuid()).optional(), batch: z.string().min(1), incompleteRows: z.number().int().positive().optional() }),
    opts: { ...keep, attempts: 5, backoff: { type: 'exponential', delay: 2_000 } },
  },
  /**
   * The coalesced evaluation of one sibling group after submissions (added by 'lights.evaluate.v1' with a
   * deduplication id per period and group, delayed a few seconds): evaluates what changed since its last run.
   */
  'lights.group.v1': {
    queue: 'domain',
    schema: z.object({ periodId: z.uuid(), parentId: z.uuid().nullable(), kind: z.string().min(1) }),
    opts: { removeOnComplete: { age: 3600, count: 1_000 }, removeOnFail: { age: 14 * 24 * 3600 }, attempts: 5, backoff: { type: 'exponential', delay: 2_000 } },
  },
  /** One escalation step of an unacknowledged red. jobId = wesc-<warningId>-<step>-<batch>. */
  'warning.escalate.v1': {
    queue: 'domain',
    schema: z.object({ warningId: z.uuid(), step: z.int().min(1).max(3) }),
    opts: { ...keep, attempts: 5, backoff: { type: 'exponential', delay: 5_000 } },
  },
  /** Keeps the reminders of open tasks scheduled (the next week's). */
  'task.plan.v1': { queue: 'domain', schema: z.object({}), opts: { removeOnComplete: { count: 50 }, removeOnFail: { count: 200 }, attempts: 3, backoff: { type: 'exponential', delay: 5_000 } } },
  /** One reminder of a task. jobId = task-<taskId>-<kind>. */
  'task.remind.v1': { queue: 'domain', schema: z.object({ taskId: z.uuid(), kind: z.enum(['before', 'due', 'overdue']) }), opts: { ...keep, attempts: 5, backoff: { type: 'exponential', delay: 5_000 } } },
  /** The monthly 问效 bulletin; without a month only on the first workdays of a month (for the month before). */
  'bulletin.monthly.v1': {
    queue: 'domain',
    schema: z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional() }),
    opts: { removeOnComplete: { count: 50 }, removeOnFail: { count: 200 }, attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
  },
  /**
   * Brings a meeting's Feishu calendar event (and group chat) in line with its row: create, add or remove
   * attendees, move, delete on cancel. jobId = msync-<meetingId>-v<version>; a stale version is a no-op.
   */
  'meeting.sync.v1': {
    queue: 'domain',
    // attendees: an answer (请假并委派) changed who attends at the same version (jobId msync-<id>-v<version>-r<audit row>).
    schema: z.object({ meetingId: z.uuid(), version: z.int().min(0), attendees: z.boolean().optional() }),
    opts: { ...keep, attempts: 8, backoff: { type: 'exponential', delay: 5_000 } },
  },
  /** A reminder the day before or an hour before. jobId = mrem-<meetingId>-<kind>-v<version>; stale versions do nothing. */
  'meeting.remind.v1': {
    queue: 'domain',
    schema: z.object({ meetingId: z.uuid(), version: z.int().min(0), kind: z.enum(['day', 'hour']) }),
    opts: { ...keep, attempts: 5, backoff: { type: 'exponential', delay: 5_000 } },
  },
  /** After a meeting ends: asks the organiser for the record. jobId = mafter-<meetingId>-v<version>. */
  'meeting.after.v1': { queue: 'domain', schema: z.object({ meetingId: z.uuid(), version: z.int().min(0) }), opts: { ...keep, attempts: 5, backoff: { type: 'exponential', delay: 5_000 } } },
  /** On a 约谈's follow-up date: asks the organiser for the outcome. jobId = ifollow-<recordId>. */
  'interview.followup.v1': { queue: 'domain', schema: z.object({ recordId: z.uuid() }), opts: { ...keep, attempts: 5, backoff: { type: 'exponential', delay: 5_000 } } },
  /** Ranks a closed (or revised) period and proposes the seats and the 约谈 list. jobId = rank-<periodId>-<batch>. */
  'ranking.compute.v1': { queue: 'domain', schema: z.object({ periodId: z.uuid(), batch: z.string().min(1) }), opts: { ...keep, attempts: 5, backoff: { type: 'exponential', delay: 5_000 } } },
  /** Drafts the month's 专报 after the close's ranking and sends the organisers the review card. jobId = mreport-<periodId>-<batch>. */
  'report.generate.v1': { queue: 'domain', schema: z.object({ periodId: z.uuid(), batch: z.string().min(1) }), opts: { ...keep, attempts: 8, backoff: { type: 'exponential', delay: 3_000 } } },
  /** Sends a reviewed 专报 to the leaders: the .docx and a summary card each. jobId = mreport-send-<reportId>. */
  'report.send.v1': { queue: 'domain', schema: z.object({ reportId: z.uuid() }), opts: { ...keep, attempts: 5, backoff: { type: 'exponential', delay: 5_000 } } },
} as const satisfies Record<string, JobDef>;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['schema']>;

export function jobsOfQueue(queue: QueueName): JobName[] {
  return (Object.keys(JOBS) as JobName[]).filter((n) => JOBS[n].queue === queue);
}

/** A job's handler: it gets the payload the worker parsed once against the catalog (and the job, for its id). */
export type JobHandler<N extends JobName> = (payload: JobPayload<N>, job: Job) => Promise<unknown>;
export type JobHandlers = { [N in JobName]?: JobHandler<N> };
