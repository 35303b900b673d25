// Lights: a unit answers a 批示 from its card — 收到, or 反馈措施 with the measures taken. Only the unit's
// liaison, backup or head may answer for it. Answers are append-only rows (the click's key makes a
// redelivery one row); the leader who wrote the 批示 hears each answer, the leader's warning card and
// the unit's other copies of the 批示 card show it, all written in the command's transaction.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { LightsCard } from '../../commands/command.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { instructionReplyNoticeCard } from '../../../cards/warning.ts';
import type { Card } from '../../../cards/card.ts';
import { periodLabel } from '../collection/schedule.ts';
import { findActor } from '../people/people.service.ts';
import { toast, type Outcome, type UseCaseContext } from '../shared/outcome.ts';
import { mayAnswerForUnit } from './warning-access.ts';
import { instructionCardFor, loadInstruction, replyView, type LoadedInstruction } from './instruction-view.ts';
import { warningCardOf } from './warning-view.ts';

type Cmd = Extract<LightsCard, { kind: 'instruction.reply' }>;
const json = (c: Card) => c as unknown as Prisma.InputJsonValue;

export const INSTRUCTION_NOT_FOUND = '找不到这条批示，请刷新后重试。';

/** The leader's cards this instruction was written on (the message of the 批示 click), if known. */
async function leaderCardMessage(ctx: UseCaseContext, instructionId: string): Promise<string | null> {
  const a = await ctx.tx.auditLog.findFirst({ where: { action: 'warning.instruct', entity: 'Instruction', entityId: instructionId }, select: { data: true } });
  const m = (a?.data as { message?: unknown } | null)?.message;
  return typeof m === 'string' && m ? m : null;
}

export async function replyToInstruction(cmd: Cmd, ctx: UseCaseContext): Promise<Outcome> {
  // The row lock orders two people of a unit answering at once (one 收到 per unit).
  await ctx.tx.$queryRaw`SELECT id FROM "Instruction" WHERE id = ${cmd.instructionId}::uuid FOR UPDATE`;
  const ins = await loadInstruction(ctx.tx, cmd.instructionId);
  if (!ins || !ins.unitIds.includes(cmd.unitId)) return toast('warning', INSTRUCTION_NOT_FOUND);
  const unit = await ctx.tx.unit.findUniqueOrThrow({ where: { id: cmd.unitId } });
  const cardNow = (i: LoadedInstruction) => instructionCardFor(i, unit);
  if (!mayAnswerForUnit(ctx.actor, unit.id)) {
    return toast('error', `只有${unit.name}的联络员、备用联络员或主要负责人可以反馈这条批示。如有疑问，请联系经济运行例会办公室。`);
  }
  const mine = ins.replies.filter((r) => r.unitId === unit.id);
  if (cmd.reply === 'RECEIVED' && mine.length) {
    const first = mine[0]!;
    return { toast: { type: 'info', content: `本单位已确认收到（${first.author.name}）` }, card: cardNow(ins) };
  }
  const text = cmd.reply === 'MEASURES' ? (cmd.text ?? '').trim() : null;
  if (cmd.reply === 'MEASURES' && !text) return toast('warning', '请填写落实措施后再提交反馈');

  // ON CONFLICT DO NOTHING on the click's key: a redelivered click stores nothing more.
  const { count } = await ctx.tx.instructionReply.createMany({
    data: [{ instructionId: ins.id, unitId: unit.id, authorId: ctx.actor.personId, kind: cmd.reply, text, at: ctx.now, requestKey: ctx.origin.key }],
    skipDuplicates: true,
  });
  const after = (await loadInstruction(ctx.tx, ins.id))!;
  if (count === 0) return { toast: { type: 'info', content: '已提交，无需重复操作' }, card: cardNow(after) };
  const reply = after.replies.find((r) => r.requestKey === ctx.origin.key)!;
  await ctx.tx.auditLog.create({
    data: { at: ctx.now, actorId: ctx.actor.personId, action: 'instruction.reply', entity: 'InstructionReply', entityId: reply.id, data: { instruction: ins.id, unit: unit.code, kind: cmd.reply } },
  });

  // The leader hears it: a short card, and the warning card it was written on shows the answer.
  const leader = ins.author;
  if (leader.active && leader.openId && leader.id !== ctx.actor.personId) {
    const w = ins.warning;
    const notice = instructionReplyNoticeCard({
      warningId: w.id,
      indicatorName: w.indicator.name,
      subject: `${w.unit.shortName ?? w.unit.name} · ${periodLabel(w.period.cycle.frequency, w.period.periodKey)}`,
      instruction: ins.text,
      reply: replyView(reply),
    });
    await addOutbound(ctx.tx, { kind: 'SEND', dedupeKey: `instruction-reply-${reply.id}`, receiveIdType: 'open_id', receiveId: leader.openId, msgType: 'interactive', content: json(notice) });
    const message = await leaderCardMessage(ctx, ins.id);
    const viewer = message ? await findActor(ctx.tx, leader.openId) : null;
    const card = viewer ? await warningCardOf(ctx.tx, w.id, viewer) : undefined;
    if (message && card) await addOutbound(ctx.tx, { kind: 'UPDATE_CARD', dedupeKey: `instruction-reply-${reply.id}-leader`, targetMessageId: message, content: json(card) });
  }

  // The unit's other copies (liaison and head each got one) show the answer too, once delivered.
  const unitPeople = await ctx.tx.person.findMany({ where: { openId: { not: null }, roles: { some: { unitId: unit.id, active: true, role: { not: 'ORGANISER' } } } }, select: { openId: true } });
  const copies = await ctx.tx.outboundMessage.findMany({
    where: { dedupeKey: { startsWith: `instruction-${ins.id}-` }, receiveId: { in: unitPeople.map((p) => p.openId!) }, status: 'SENT', feishuMessageId: { not: null } },
    select: { dedupeKey: true, feishuMessageId: true },
  });
  const updated = json(cardNow(after));
  for (const c of copies) {
    if (c.feishuMessageId === ctx.origin.messageId) continue;
    await addOutbound(ctx.tx, { kind: 'UPDATE_CARD', dedupeKey: `${c.dedupeKey}-reply-${reply.id}`, targetMessageId: c.feishuMessageId!, content: updated });
  }
  const content = cmd.reply === 'RECEIVED' ? `已确认收到，已告知${leader.name}` : `落实措施已反馈给${leader.name}`;
  return { toast: { type: 'success', content }, card: cardNow(after) };
}
