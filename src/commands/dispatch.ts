// Commands: command → domain service → Prisma → outbox, in one transaction per delivery.
// The inbound receipt row makes a redelivered event a no-op at the database, behind the Redis check.
import { Prisma } from '../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../platform/prisma.ts';
import type { Clock } from '../platform/clock.ts';
import { beijingDateTime } from '../platform/business-time.ts';
import type { Logger } from '../platform/logger.ts';
import { addOutbound, listFailed } from '../outbox/outbox.service.ts';
import { findActor, describeActor } from '../modules/people/people.service.ts';
import { registerProblem, NoUnitError } from '../modules/problems/problems.service.ts';
import { helpCard } from '../../cards/help.ts';
import { problemFormCard, problemReceiptCard } from '../../cards/problem-form.ts';
import { card, markdown } from '../../cards/card.ts';
import { deliveryFailuresCard } from '../../cards/delivery-failures.ts';
import type { CardCommand, CardOutcome, MessageCommand, Origin } from './command.ts';

export interface DispatchDeps {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  /** Enqueues delivery of outbox rows once their transaction has committed. */
  deliver: (outboundIds: string[]) => Promise<void>;
}

const NOT_IN_DIRECTORY = '未在经济运行调度名录中找到您的信息，请联系经济运行例会办公室登记后再试。';

/** Inserts the receipt; false when this delivery was already handled (a unique violation). */
async function firstReceipt(tx: Tx, key: string, kind: string, clock: Clock): Promise<boolean> {
  const res = await tx.$executeRaw`
    INSERT INTO "InboundReceipt" (key, kind, "receivedAt") VALUES (${key}, ${kind}, ${clock.now()})
    ON CONFLICT (key) DO NOTHING`;
  return res === 1;
}

/** Handles a chat command; the answer is a reply in the chat, sent through the outbox. */
export async function dispatchMessage(deps: DispatchDeps, origin: Origin, cmd: MessageCommand): Promise<void> {
  const ids = await deps.prisma.$transaction(async (tx) => {
    if (!(await firstReceipt(tx, origin.key, 'message', deps.clock))) return [];
    const actor = await findActor(tx, origin.openId);
    const content = (() => {
      if (!actor) return card({ title: '经济运行调度助手', template: 'orange', elements: [markdown(NOT_IN_DIRECTORY)] });
      switch (cmd.kind) {
        case 'help':
          return helpCard({ name: actor.name, unknownText: cmd.unknownText });
        case 'whoami': {
          const lines = describeActor(actor);
          return card({
            title: actor.name,
            subtitle: actor.title ?? '我的信息',
            template: 'blue',
            elements: [markdown(lines.length ? lines.map((l) => `- ${l}`).join('\n') : '暂未分配单位或角色。')],
          });
        }
        case 'problem.open': {
          const unit = actor.roles[0];
          return unit
            ? problemFormCard({ unitName: unit.unitName })
            : card({ title: '无法登记问题', template: 'orange', elements: [markdown('您尚未归属任何责任单位，请联系经济运行例会办公室。')] });
        }
        case 'outbound.failed':
          return null;
      }
    })() ?? (await failuresCard(tx, actor!));
    const row = await addOutbound(tx, {
      kind: 'REPLY',
      dedupeKey: `reply-${origin.messageId}`,
      targetMessageId: origin.messageId,
      // The chat, so replies there are paced by Feishu's 5 per second per chat.
      ...(origin.chatId ? { receiveIdType: 'chat_id' as const, receiveId: origin.chatId } : {}),
      msgType: 'interactive',
      content: content as unknown as Prisma.InputJsonValue,
    });
    return [row.id];
  });
  if (ids.length) await deps.deliver(ids);
}

const KIND_NAMES = { SEND: '消息', REPLY: '回复', UPDATE_CARD: '卡片更新', DELAYED_UPDATE: '卡片更新', URGENT: '加急', FILE_UPLOAD: '文件' } as const;

/** The organisers' view of permanent delivery failures; others are told it is not for them. */
async function failuresCard(tx: Tx, actor: NonNullable<Awaited<ReturnType<typeof findActor>>>) {
  if (!actor.roles.some((r) => r.role === 'ORGANISER')) {
    return card({ title: '无权查看', template: 'grey', elements: [markdown('「发送失败」仅供经济运行例会办公室使用。')] });
  }
  const [rows, total] = await Promise.all([
    listFailed(tx, 10),
    tx.outboundMessage.count({ where: { status: 'FAILED' } }),
  ]);
  const people = await tx.person.findMany({ where: { openId: { in: rows.flatMap((r) => (r.receiveId ? [r.receiveId] : [])) } } });
  const nameOf = new Map(people.map((p) => [p.openId, p.name]));
  return deliveryFailuresCard(
    rows.map((r) => ({
      receiver: (r.receiveId && nameOf.get(r.receiveId)) ?? r.receiveId ?? r.targetMessageId ?? '未知接收人',
      what: KIND_NAMES[r.kind],
      reason: r.lastError ?? '未知原因',
      at: beijingDateTime(r.updatedAt),
    })),
    total,
  );
}

/** Handles a card action within Feishu's 3 s: a toast and, where useful, the updated card. */
export async function dispatchCardAction(deps: DispatchDeps, origin: Origin, cmd: CardCommand): Promise<CardOutcome> {
  if (cmd.kind === 'invalid') return { toast: { type: 'warning', content: cmd.message } };
  const actor = await findActor(deps.prisma, origin.openId);
  if (!actor) return { toast: { type: 'error', content: NOT_IN_DIRECTORY } };
  try {
    // The request key makes a double click (or a replayed callback) register the problem once.
    const p = await registerProblem(deps.prisma, deps.clock, actor, cmd.form, `card-${origin.key}`, { key: origin.key, kind: 'card' });
    return {
      toast: { type: 'success', content: p.created ? `已登记，台账编号 ${p.number}` : `该问题已登记，台账编号 ${p.number}` },
      card: problemReceiptCard({
        number: p.number,
        title: p.title,
        enterprise: p.enterprise,
        unitName: p.unitName,
        reporterName: actor.name,
        reportedAt: beijingDateTime(p.reportedAt),
      }),
    };
  } catch (err) {
    if (err instanceof NoUnitError) return { toast: { type: 'warning', content: '您尚未归属任何责任单位，请联系经济运行例会办公室。' } };
    if (err instanceof Prisma.PrismaClientKnownRequestError) deps.logger.error({ err, code: err.code }, '[commands] card action failed');
    throw err;
  }
}

