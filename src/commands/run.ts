// Commands: the runner of every use case. One PostgreSQL transaction per delivery claims the delivery's
// idempotency key, runs the handler (domain rows, outbound messages, follow-up jobs), writes the chat
// replies and stores the answer. Only after the commit are deliveries and jobs enqueued — if that fails
// (Redis down), the rows are there and the sweeper enqueues them; the person is still told the truth.
import { type Prisma } from '../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../platform/prisma.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import { claimReceipt } from '../platform/receipt.ts';
import { addOutbound } from '../outbox/outbox.service.ts';
import { collectWritten, currentWritten, type Written } from '../outbox/written.ts';
import { findActor } from '../modules/people/people.service.ts';
import type { Origin, Outcome, UseCase } from '../modules/shared/outcome.ts';
import { card, markdown } from '../../cards/card.ts';

export interface RunDeps {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  /** Enqueues what a committed transaction wrote: deliveries and follow-up jobs. */
  afterCommit: (written: Written) => Promise<void>;
}

export type Surface = 'card' | 'message';

export interface Ran {
  outcome: Outcome;
  /** A redelivery (or a double click on one render) of a delivery already handled: its stored answer. */
  replayed: boolean;
}

export const NOT_IN_DIRECTORY = '未在经济运行调度名录中找到您的信息，请联系经济运行例会办公室登记后再试。';

const notInDirectory = (surface: Surface): Outcome =>
  surface === 'card'
    ? { toast: { type: 'error', content: NOT_IN_DIRECTORY } }
    : { replies: [card({ title: '经济运行调度助手', template: 'orange', elements: [markdown(NOT_IN_DIRECTORY)] })] };

/** Chat replies and a file become outbox rows keyed by the message they answer. */
async function writeReplies(tx: Tx, origin: Origin, outcome: Outcome): Promise<void> {
  const chat = origin.chatId ? { receiveIdType: 'chat_id' as const, receiveId: origin.chatId } : {};
  for (const [i, c] of (outcome.replies ?? []).entries()) {
    await addOutbound(tx, {
      kind: 'REPLY',
      dedupeKey: i === 0 ? `reply-${origin.messageId}` : `reply-${origin.messageId}-${i}`,
      targetMessageId: origin.messageId,
      // The chat, so replies there are paced by Feishu's 5 per second per chat.
      ...chat,
      msgType: 'interactive',
      content: c as unknown as Prisma.InputJsonValue,
    });
  }
  if (outcome.file) {
    await addOutbound(tx, {
      kind: 'FILE_UPLOAD',
      dedupeKey: `file-${origin.messageId}`,
      ...(origin.chatId ? chat : { receiveIdType: 'open_id' as const, receiveId: origin.openId }),
      content: { fileName: outcome.file.fileName, fileType: 'xls', base64: outcome.file.bytes.toString('base64') },
    });
  }
}

/**
 * Feishu locks a card while its callback is being answered (a PATCH then fails with "card action is
 * lock"): an update of the acted-on card written by the handler becomes the answer's card instead.
 */
async function answerInsteadOfPatch(tx: Tx, origin: Origin, written: Written, outcome: Outcome): Promise<Outcome> {
  if (!written.outbound.length) return outcome;
  const patches = await tx.outboundMessage.findMany({
    where: { id: { in: written.outbound }, kind: 'UPDATE_CARD', targetMessageId: origin.messageId, status: 'PENDING' },
    select: { id: true, content: true },
  });
  if (!patches.length) return outcome;
  await tx.outboundMessage.deleteMany({ where: { id: { in: patches.map((p) => p.id) } } });
  const gone = new Set(patches.map((p) => p.id));
  written.outbound.splice(0, written.outbound.length, ...written.outbound.filter((id) => !gone.has(id)));
  return outcome.card ? outcome : { ...outcome, card: patches[patches.length - 1]!.content as unknown as NonNullable<Outcome['card']> };
}

/** What is kept of an answer for a replay: a card action's toast and card; a chat command's replies are rows already. */
const storedOf = (surface: Surface, o: Outcome): Prisma.InputJsonValue =>
  (surface === 'card' ? { ...(o.toast ? { toast: o.toast } : {}), ...(o.card ? { card: o.card } : {}) } : {}) as unknown as Prisma.InputJsonValue;

export async function runUseCase<C>(deps: RunDeps, surface: Surface, origin: Origin, cmd: C, handler: UseCase<C>): Promise<Ran> {
  const now = deps.clock.now();
  const { result, written } = await collectWritten(() =>
    deps.prisma.$transaction(
      async (tx) => {
        // A concurrent duplicate waits here for the first one's commit, then finds its receipt.
        if (!(await claimReceipt(tx, origin.key, surface, now))) return null;
        const actor = await findActor(tx, origin.openId);
        let outcome = actor ? await handler(cmd, { tx, clock: deps.clock, now, actor, origin }) : notInDirectory(surface);
        if (surface === 'message') await writeReplies(tx, origin, outcome);
        else outcome = await answerInsteadOfPatch(tx, origin, currentWritten()!, outcome);
        // Raw: cheaper than a model query, on every click of a burst.
        await tx.$executeRaw`UPDATE "InboundReceipt" SET outcome = ${JSON.stringify(storedOf(surface, outcome))}::jsonb WHERE key = ${origin.key}`;
        return outcome;
      },
      // A burst of submissions queues for connections; a click still answers (or times out into 「正在处理」).
      { maxWait: 10_000, timeout: 20_000 },
    ),
  );
  if (result === null) {
    const r = await deps.prisma.inboundReceipt.findUnique({ where: { key: origin.key }, select: { outcome: true } });
    return { outcome: (r?.outcome as Outcome | null) ?? {}, replayed: true };
  }
  // Not awaited: the answer does not wait for Redis. If the enqueue fails (Redis down), the rows are
  // committed and the sweeper enqueues them; the person is still told the truth ("saved").
  deps.afterCommit(written).catch((err: unknown) =>
    deps.logger.warn({ err: (err as Error).message, key: origin.key }, '[commands] enqueue after commit failed; the sweeper will retry'),
  );
  return { outcome: result, replayed: false };
}
