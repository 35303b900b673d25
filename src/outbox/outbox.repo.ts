// Outbox: the delivery side of the rows — what the outbound job reads and writes. Every call to Feishu
// leaves a DeliveryAttempt; status changes are guarded by `status = PENDING`, so a row a retry finds
// SENT, FAILED or CANCELLED is never written again.
import type { PrismaClient, Tx } from '../platform/prisma.ts';

export type AttemptOutcome = 'SENT' | 'RETRY' | 'RATE_LIMITED' | 'PERMANENT';

export interface AttemptRecord {
  /** 1 for the first call to Feishu for this row, and so on (across jobs). */
  attemptNo: number;
  at: Date;
  outcome: AttemptOutcome;
  httpStatus?: number | null;
  code?: number | null;
  detail?: string | null;
  logId?: string | null;
}

type Db = Tx | PrismaClient;

function attemptData(messageId: string, a: AttemptRecord) {
  return {
    messageId,
    attemptNo: a.attemptNo,
    at: a.at,
    outcome: a.outcome,
    httpStatus: a.httpStatus ?? null,
    code: a.code ?? null,
    detail: a.detail ?? null,
    logId: a.logId ?? null,
  };
}

export function findOutbound(db: Db, id: string) {
  return db.outboundMessage.findUnique({ where: { id } });
}

/** Records a call that did not deliver (retry or rate limit); the row stays PENDING. */
export async function recordAttempt(db: PrismaClient, messageId: string, a: AttemptRecord): Promise<void> {
  await db.$transaction([
    db.deliveryAttempt.create({ data: attemptData(messageId, a) }),
    db.outboundMessage.updateMany({
      where: { id: messageId, status: 'PENDING' },
      data: { attemptCount: a.attemptNo, lastError: a.detail ?? null },
    }),
  ]);
}

/** Delivered: status, Feishu's id and the attempt in one transaction. False if the row was no longer PENDING. */
export async function markSent(db: PrismaClient, messageId: string, a: Omit<AttemptRecord, 'outcome'>, feishuMessageId: string | undefined): Promise<boolean> {
  const [, updated] = await db.$transaction([
    db.deliveryAttempt.create({ data: attemptData(messageId, { ...a, outcome: 'SENT' }) }),
    db.outboundMessage.updateMany({
      where: { id: messageId, status: 'PENDING' },
      data: { status: 'SENT', sentAt: a.at, attemptCount: a.attemptNo, feishuMessageId: feishuMessageId ?? null, lastError: null },
    }),
  ]);
  return updated.count === 1;
}

/**
 * Given up: Feishu refused for good, or retries ran out. `attempt` is the last call, when there was one
 * (a row whose content no longer parses fails without a call).
 */
export async function markFailed(db: PrismaClient, messageId: string, reason: string, attempt?: Omit<AttemptRecord, 'outcome'>): Promise<void> {
  await db.$transaction([
    ...(attempt ? [db.deliveryAttempt.create({ data: attemptData(messageId, { ...attempt, outcome: 'PERMANENT', detail: reason }) })] : []),
    db.outboundMessage.updateMany({
      where: { id: messageId, status: 'PENDING' },
      data: { status: 'FAILED', lastError: reason, ...(attempt ? { attemptCount: attempt.attemptNo } : {}) },
    }),
  ]);
}

/**
 * Gives up on PENDING rows written before `cutoff`: FAILED with `reason`, so organisers see them. A row
 * deferred on purpose (notBefore, business time) counts from its notBefore: `dueCutoff`.
 */
export async function expirePending(db: Db, cutoff: Date, reason: string, dueCutoff: Date = cutoff): Promise<number> {
  const res = await db.outboundMessage.updateMany({
    where: { status: 'PENDING', createdAt: { lt: cutoff }, OR: [{ notBefore: null }, { notBefore: { lt: dueCutoff } }] },
    data: { status: 'FAILED', lastError: reason },
  });
  return res.count;
}

/**
 * PENDING rows written more than `olderThanMs` before `now`: candidates for a lost job. Paged by id
 * (`after` = the last id of the previous page), so a sweep can walk all of them.
 */
export async function findStuck(db: Db, now: Date, olderThanMs: number, opts: { after?: string; limit?: number } = {}) {
  return db.outboundMessage.findMany({
    where: { status: 'PENDING', createdAt: { lt: new Date(now.getTime() - olderThanMs) }, ...(opts.after ? { id: { gt: opts.after } } : {}) },
    select: { id: true, notBefore: true },
    orderBy: { id: 'asc' },
    take: opts.limit ?? 1_000,
  });
}
