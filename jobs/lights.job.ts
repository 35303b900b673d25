// Jobs of lights: evaluate a period (after a submission, or at close) and push the digests; escalate an
// unacknowledged red one step at a time. Thin: the domain decides, these enqueue.
import type { PrismaClient } from '../src/platform/prisma.ts';
import type { Clock } from '../src/platform/clock.ts';
import type { Logger } from '../src/platform/logger.ts';
import type { Queues } from '../src/platform/queues.ts';
import { enqueue } from '../src/platform/enqueue.ts';
import { enqueueOutbound } from '../src/outbox/outbox.enqueue.ts';
import type { JobHandlers } from './catalog.ts';
import { evaluatePeriod, pushDigests } from '../src/modules/lights/lights.service.ts';
import { escalateWarning } from '../src/modules/lights/warnings.service.ts';

export interface LightsJobDeps {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  queues: Queues;
}

export async function runEvaluation(deps: LightsJobDeps, p: { periodId: string; indicatorIds?: string[]; unitIds?: string[]; batch: string }) {
  const changes = await evaluatePeriod(deps, p);
  const pushed = await pushDigests(deps, changes, p.batch);
  await enqueueOutbound(deps.queues, pushed.outbound);
  const now = deps.clock.now().getTime();
  for (const e of pushed.escalations) {
    await enqueue(deps.queues, 'warning.escalate.v1', { warningId: e.warningId, step: e.step }, {
      jobId: `wesc-${e.warningId}-${e.step}-${Math.floor(now / 1000)}`,
      delay: Math.max(0, e.at.getTime() - now),
    });
  }
  if (changes.length) deps.logger.info({ period: p.periodId, changes: changes.length, digests: pushed.outbound.length }, '[lights] evaluated');
  return { changes: changes.length, digests: pushed.outbound.length };
}

export function lightsHandlers(deps: LightsJobDeps) {
  return {
    'lights.evaluate.v1': (p) => runEvaluation(deps, p),
    'warning.escalate.v1': async (p, job) => {
      const res = await escalateWarning(deps, p);
      await enqueueOutbound(deps.queues, res.outbound);
      if (res.repeat) {
        const again = await pushDigests(deps, [], `repeat-${p.warningId}-${job.id ?? ''}`, { repeat: [p.warningId] });
        await enqueueOutbound(deps.queues, again.outbound);
      }
      return { sent: res.outbound.length };
    },
  } satisfies JobHandlers;
}
