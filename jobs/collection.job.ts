// Jobs of collection: thin processors around the domain — planning applies the wanted open, reminder and
// escalation jobs to BullMQ (a moved time changes the delay; a removed step is dropped), the others fire
// one step and hand the outbox rows to delivery.
import type { Prisma } from '../src/generated/prisma/client.ts';
import type { PrismaClient } from '../src/platform/prisma.ts';
import type { Clock } from '../src/platform/clock.ts';
import type { Logger } from '../src/platform/logger.ts';
import type { Queues } from '../src/platform/queues.ts';
import { enqueue } from '../src/platform/enqueue.ts';
import { enqueueOutbound } from '../src/outbox/outbox.enqueue.ts';
import { addOutbound } from '../src/outbox/outbox.service.ts';
import { findActor, organisers } from '../src/modules/people/people.service.ts';
import { activeCycleCodes, planCycle } from '../src/modules/collection/plan.ts';
import { openPeriod } from '../src/modules/collection/periods.ts';
import { fireReminder } from '../src/modules/collection/reminders.ts';
import { fireEscalation } from '../src/modules/collection/escalations.ts';
import { announcePeriodState } from '../src/modules/collection/period-state.ts';
import { leaveStarted } from '../src/modules/collection/leave.ts';
import type { JobHandlers, JobName } from './catalog.ts';
import { importOfficial } from '../src/modules/collection/official-import.ts';
import { rankAgain } from './ranking.job.ts';
import { noticeCard } from '../cards/collection-admin.ts';
import type { FeishuClient } from '../src/feishu/client.ts';

export interface CollectionJobDeps {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  queues: Queues;
  feishu?: FeishuClient;
}

/** How often the plan runs by itself: a configuration change is picked up within this time. */
export const PLAN_EVERY_MS = 10 * 60_000;

/** Adds each wanted job, moves one whose time changed, drops the ones no longer wanted. */
export interface WantedJob {
  name: JobName;
  jobId: string;
  at: Date;
  payload: unknown;
}

export async function applyPlan(queues: Queues, clock: Clock, jobs: readonly WantedJob[], unwanted: string[] = []): Promise<{ added: number; moved: number; removed: number }> {
  const q = queues.domain;
  const now = clock.now().getTime();
  const out = { added: 0, moved: 0, removed: 0 };
  for (const j of jobs) {
    const delay = Math.max(0, j.at.getTime() - now);
    const existing = await q.getJob(j.jobId);
    if (existing) {
      // BullMQ counts delays in wall-clock time, the plan in business time: compare what is left to wait.
      const left = existing.timestamp + (existing.delay ?? 0) - Date.now();
      // Only a future time moves: a step already due stays as it is (or has run).
      if (j.at.getTime() <= now || Math.abs(left - delay) < 5_000 || (await existing.getState()) !== 'delayed') continue;
      await existing.remove();
      out.moved++;
    }
    await enqueue(queues, j.name, j.payload as never, { jobId: j.jobId, delay });
    if (!existing) out.added++;
  }
  for (const id of unwanted) {
    const job = await q.getJob(id);
    if (job && (await job.getState()) === 'delayed') {
      await job.remove();
      out.removed++;
    }
  }
  return out;
}

export async function runPlan(deps: CollectionJobDeps, cycle?: string) {
  const codes = cycle ? [cycle] : await activeCycleCodes(deps.prisma);
  for (const code of codes) {
    const plan = await planCycle(deps, code);
    const applied = await applyPlan(deps.queues, deps.clock, plan.jobs, plan.unwanted);
    if (applied.added || applied.moved || applied.removed) deps.logger.info({ cycle: code, ...applied }, '[collection] schedule updated');
    if (plan.problems.length) {
      // A warning, not an error: the bot runs on; the organisers are told once what to add.
      deps.logger.warn({ cycle: code, problems: plan.problems }, '[collection] cannot plan a period');
      await tellOrganisers(deps, `calendar-${code}-${plan.problems.join('|').length}`, '报送日程无法安排', plan.problems);
    }
  }
}

/** A problem only an organiser can fix (a missing calendar year): told once, not every ten minutes. */
async function tellOrganisers(deps: CollectionJobDeps, key: string, title: string, lines: string[]) {
  const ids: string[] = [];
  for (const o of await organisers(deps.prisma)) {
    const row = await addOutbound(deps.prisma, {
      kind: 'SEND',
      dedupeKey: `notice-${key}-${o.id}`,
      receiveIdType: 'open_id',
      receiveId: o.openId!,
      msgType: 'interactive',
      content: noticeCard(title, lines, 'orange') as unknown as Prisma.InputJsonValue,
    });
    if (row.created) ids.push(row.id);
  }
  await enqueueOutbound(deps.queues, ids);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

export function collectionHandlers(deps: CollectionJobDeps) {
  return {
    'collection.plan.v1': (p) => runPlan(deps, p.cycle),
    'collection.open.v1': async (p) => {
      const ids = await openPeriod(deps, p.periodId);
      await enqueueOutbound(deps.queues, ids);
      // The period's reminders are planned once it is open.
      await enqueue(deps.queues, 'collection.plan.v1', {});
      return { sent: ids.length };
    },
    'collection.remind.v1': async (p) => {
      const ids = await fireReminder(deps, p);
      await enqueueOutbound(deps.queues, ids);
      return { sent: ids.length };
    },
    'collection.escalate.v1': async (p) => {
      const ids = await fireEscalation(deps, p);
      await enqueueOutbound(deps.queues, ids);
      return { sent: ids.length };
    },
    'collection.period-state.v1': async (p) => {
      const ids = await announcePeriodState(deps, p);
      await enqueueOutbound(deps.queues, ids);
      return { sent: ids.length };
    },
    'collection.leave-start.v1': async (p) => {
      const ids = await leaveStarted(deps.prisma, p.leaveId);
      await enqueueOutbound(deps.queues, ids);
      return { sent: ids.length };
    },
    'collection.import.v1': async (p) => {
      if (!deps.feishu) throw new Error('no Feishu client for the import');
      const actor = await findActor(deps.prisma, p.openId);
      if (!actor) return { imported: 0 };
      const res = await deps.feishu.sdk.im.v1.messageResource.get({ path: { message_id: p.messageId, file_key: p.fileKey }, params: { type: 'file' } });
      const bytes = await readAll(res.getReadableStream());
      const { summary, card } = await importOfficial(deps, actor, { bytes, fileName: p.fileName, requestKey: `official-${p.messageId}` });
      const row = await addOutbound(deps.prisma, {
        kind: 'REPLY',
        dedupeKey: `import-${p.messageId}`,
        targetMessageId: p.messageId,
        ...(p.chatId ? { receiveIdType: 'chat_id' as const, receiveId: p.chatId } : {}),
        msgType: 'interactive',
        content: card as unknown as Prisma.InputJsonValue,
      });
      await enqueueOutbound(deps.queues, [row.id]);
      // Lights once the whole file is in (the official vintage may change them), each period in full;
      // the digest says when rows of the file could not be imported.
      const incomplete = summary?.failedRows ? { incompleteRows: summary.failedRows } : {};
      for (const periodId of summary?.periodIds ?? []) await enqueue(deps.queues, 'lights.evaluate.v1', { periodId, batch: `official-${p.messageId}-${periodId}`, ...incomplete });
      for (const periodId of summary?.periodIds ?? []) await rankAgain(deps, periodId, `official-${p.messageId}`);
      return { imported: summary?.imported ?? 0 };
    },
  } satisfies JobHandlers;
}
