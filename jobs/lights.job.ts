// Jobs of lights: evaluate a period (after a submission, or at close) and push the digests; escalate an
// unacknowledged red one step at a time. Thin: the domain decides, these enqueue.
// Coalescing: a submission's 'lights.evaluate.v1' only notes its units × indicators in a Redis set of its
// sibling group and adds 'lights.group.v1' with a deduplication id per period × group, delayed
// COALESCE_MS; every submission until that job starts lands in the same run, and one that arrives while
// it runs gets exactly one run after it (keepLastIfActive). The run evaluates the group once from the
// figures then in force, incrementally (evaluateLights with the peers' memory, kept in Redis).
import type { Redis } from 'ioredis';
import type { PrismaClient } from '../src/platform/prisma.ts';
import type { Clock } from '../src/platform/clock.ts';
import type { Logger } from '../src/platform/logger.ts';
import type { Queues } from '../src/platform/queues.ts';
import { enqueue } from '../src/platform/enqueue.ts';
import { enqueueOutbound } from '../src/outbox/outbox.enqueue.ts';
import type { JobHandlers } from './catalog.ts';
import { evaluateLights, pushDigests, type LightChangeInfo, type MemoryStore, type PeerMemory } from '../src/modules/lights/lights.service.ts';
import { escalateWarning } from '../src/modules/lights/escalations.ts';

export interface LightsJobDeps {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  queues: Queues;
}

/** How long submissions to one sibling group are gathered before it is evaluated. */
export const COALESCE_MS = 2_500;
const DAY_S = 24 * 3600;
/** The peers' memory of a period outlives its collection (a late edit still finds it). */
const MEMORY_TTL_S = 62 * DAY_S;

interface GroupRef {
  periodId: string;
  parentId: string | null;
  kind: string;
}

function keysOf(deps: LightsJobDeps) {
  const q = deps.queues.domain;
  const prefix = `${q.opts.prefix ?? 'bull'}:lights`;
  return {
    // The ioredis connection the queues were made with (the context's producer connection).
    redis: q.opts.connection as Redis,
    memory: (periodId: string) => `${prefix}:peers:${periodId}`,
    pending: (g: GroupRef) => `${prefix}:pending:${g.periodId}:${g.parentId ?? 'none'}:${g.kind}`,
  };
}

export function groupDedupId(g: GroupRef): string {
  return `lgrp-${g.periodId}-${g.parentId ?? 'none'}-${g.kind}`;
}

async function pushAndPlan(deps: LightsJobDeps, changes: LightChangeInfo[], batch: string, opts: { incompleteRows?: number } = {}) {
  const pushed = await pushDigests(deps, changes, batch, opts);
  await enqueueOutbound(deps.queues, pushed.outbound);
  const now = deps.clock.now();
  await planEscalations(deps.queues, pushed.escalations, now);
  return pushed;
}

/** Delayed escalation jobs; the id names the push, so planning the same push again adds nothing. */
export async function planEscalations(queues: Queues, steps: { warningId: string; step: number; at: Date; pushedAt: Date }[], now: Date): Promise<void> {
  for (const e of steps) {
    await enqueue(queues, 'warning.escalate.v1', { warningId: e.warningId, step: e.step }, {
      jobId: `wesc-${e.warningId}-${e.step}-${Math.floor(e.pushedAt.getTime() / 1000)}`,
      delay: Math.max(0, e.at.getTime() - now.getTime()),
    });
  }
}

/** A whole period (close, official import, first start), at once; its peers become the memory of the period. */
export async function runEvaluation(deps: LightsJobDeps, p: { periodId: string; indicatorIds?: string[]; unitIds?: string[]; batch: string; incompleteRows?: number }) {
  const { changes, memory } = await evaluateLights(deps, p);
  const pushed = await pushAndPlan(deps, changes, p.batch, p.incompleteRows ? { incompleteRows: p.incompleteRows } : {});
  const k = keysOf(deps);
  const fields = Object.entries(memory).flatMap(([f, m]) => [f, JSON.stringify(m)]);
  if (fields.length) await k.redis.multi().hset(k.memory(p.periodId), ...fields).expire(k.memory(p.periodId), MEMORY_TTL_S).exec();
  if (changes.length) deps.logger.info({ period: p.periodId, changes: changes.length, digests: pushed.outbound.length }, '[lights] evaluated');
  return { changes: changes.length, digests: pushed.outbound.length };
}

/** After a submission: note what changed in its sibling groups and ask for their coalesced evaluation. */
export async function noteSubmission(deps: LightsJobDeps, p: { periodId: string; indicatorIds?: string[]; unitIds: string[] }) {
  const units = await deps.prisma.unit.findMany({ where: { id: { in: p.unitIds } }, select: { id: true, parentId: true, kind: true } });
  const k = keysOf(deps);
  const groups = new Map<string, { ref: GroupRef; entries: string[] }>();
  for (const u of units) {
    const ref = { periodId: p.periodId, parentId: u.parentId, kind: u.kind };
    const g = groups.get(groupDedupId(ref)) ?? { ref, entries: [] };
    // '*': every indicator of the unit.
    for (const i of p.indicatorIds ?? ['*']) g.entries.push(`${i}|${u.id}`);
    groups.set(groupDedupId(ref), g);
  }
  for (const [id, g] of groups) {
    // Noted before the job is added: the run that takes the set always finds these entries.
    await k.redis.multi().sadd(k.pending(g.ref), ...g.entries).expire(k.pending(g.ref), MEMORY_TTL_S).exec();
    await enqueue(deps.queues, 'lights.group.v1', g.ref, { delay: COALESCE_MS, deduplication: { id, keepLastIfActive: true } });
  }
  return { groups: groups.size };
}

/** One sibling group, for everything noted since its last run. Idempotent: a retry takes the same entries again. */
export async function runGroup(deps: LightsJobDeps, g: GroupRef, batch: string) {
  const k = keysOf(deps);
  const pending = k.pending(g);
  const taken = `${pending}:taken`;
  // Runs of one group never overlap (deduplication), so one 'taken' set per group is enough.
  await k.redis.multi().sunionstore(taken, taken, pending).del(pending).expire(taken, MEMORY_TTL_S).exec();
  const entries = await k.redis.smembers(taken);
  if (!entries.length) return { changes: 0, digests: 0 };
  const pairs = entries.map((e) => e.split('|') as [string, string]);
  const indicatorIds = pairs.some(([i]) => i === '*') ? undefined : [...new Set(pairs.map(([i]) => i))];
  const unitIds = [...new Set(pairs.map(([, u]) => u))];
  // Only the groups asked for are read: a province's period holds thousands.
  const store: MemoryStore = {
    load: async (fields) => {
      const values = fields.length ? await k.redis.hmget(k.memory(g.periodId), ...fields) : [];
      const out: PeerMemory = {};
      fields.forEach((f, i) => {
        if (values[i]) out[f] = JSON.parse(values[i]!) as PeerMemory[string];
      });
      return out;
    },
  };
  const res = await evaluateLights(deps, { periodId: g.periodId, ...(indicatorIds ? { indicatorIds } : {}), unitIds }, store);
  const pushed = await pushAndPlan(deps, res.changes, batch);
  const fields = Object.entries(res.memory).flatMap(([f, m]) => [f, JSON.stringify(m)]);
  const tx = k.redis.multi();
  if (fields.length) tx.hset(k.memory(g.periodId), ...fields).expire(k.memory(g.periodId), MEMORY_TTL_S);
  await tx.del(taken).exec();
  if (res.changes.length) deps.logger.info({ period: g.periodId, units: unitIds.length, changes: res.changes.length, digests: pushed.outbound.length }, '[lights] group evaluated');
  return { changes: res.changes.length, digests: pushed.outbound.length };
}

export function lightsHandlers(deps: LightsJobDeps) {
  return {
    'lights.evaluate.v1': (p) => (p.unitIds ? noteSubmission(deps, { ...p, unitIds: p.unitIds }) : runEvaluation(deps, p)),
    // The batch (digest dedupe key) of a run: its group and the job's creation, the same on a retry.
    'lights.group.v1': (g, job) => runGroup(deps, g, `${groupDedupId(g)}-${job.timestamp}`),
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
