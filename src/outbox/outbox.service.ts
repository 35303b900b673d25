// Outbox: every message to Feishu starts as a row written in the same transaction as the domain change
// that caused it. Domain code calls addOutbound, then enqueueOutbound (outbox.enqueue.ts) after commit;
// the delivery job records what happened (outbox.repo.ts). No SDK, no BullMQ here.
import type { Prisma } from '../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../platform/prisma.ts';
import { OutboundSpec, type OutboundKind } from './outbox.schema.ts';
import { noteOutbound } from './written.ts';

export type { OutboundKind };

export interface OutboundInput {
  kind: OutboundKind;
  /** What caused it (e.g. `reminder-<period>-<unit>-<n>`): the same cause is never queued twice. */
  dedupeKey: string;
  /** SEND: who gets it; REPLY and FILE_UPLOAD: the chat, when known (for the per-receiver rate limit). */
  receiveIdType?: 'open_id' | 'chat_id' | 'user_id' | 'union_id' | 'email';
  receiveId?: string;
  /** REPLY, UPDATE_CARD, URGENT: the Feishu message acted on. */
  targetMessageId?: string;
  /** SEND and REPLY: text | post | interactive | file …; the other kinds ignore it. */
  msgType?: string;
  /**
   * SEND, REPLY: the message content as an object (stringified on the wire); UPDATE_CARD: the new card;
   * DELAYED_UPDATE: `{ token, card }`; URGENT: `{ userIds }`; FILE_UPLOAD: `{ fileName, fileType, base64 }`.
   */
  content: Prisma.InputJsonValue;
  /** Not before this time (the job waits for it). */
  notBefore?: Date;
}

export interface OutboundRow {
  id: string;
  /** False when a row with this dedupe key existed already: the caller gets that row. */
  created: boolean;
}

/**
 * Inserts the row in the caller's transaction; when the dedupe key exists already, returns that row.
 * Throws (failing the caller's transaction) when the row does not fit its kind.
 */
export async function addOutbound(tx: Tx | PrismaClient, input: OutboundInput): Promise<OutboundRow> {
  const check = OutboundSpec.safeParse(input);
  if (!check.success) {
    throw new Error(`addOutbound(${input.kind}, ${input.dedupeKey}): ${check.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  // ON CONFLICT DO NOTHING: two concurrent causes with one key cannot both insert, nor fail the transaction.
  const { count } = await tx.outboundMessage.createMany({ data: [input], skipDuplicates: true });
  const row = await tx.outboundMessage.findUniqueOrThrow({ where: { dedupeKey: input.dedupeKey }, select: { id: true } });
  noteOutbound(row.id);
  return { id: row.id, created: count === 1 };
}

/** Messages Feishu refused for good, newest first (updatedAt = when they failed): for the organisers. */
export function listFailed(db: Tx | PrismaClient, limit = 50) {
  return db.outboundMessage.findMany({
    where: { status: 'FAILED' },
    orderBy: { updatedAt: 'desc' },
    take: limit,
    select: {
      id: true,
      kind: true,
      dedupeKey: true,
      receiveIdType: true,
      receiveId: true,
      targetMessageId: true,
      lastError: true,
      attemptCount: true,
      createdAt: true,
      updatedAt: true,
    },
  });
}
