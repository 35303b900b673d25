// Collection: the use cases behind liaisons' and organisers' chat commands and collection card actions.
import type { Prisma } from '../../generated/prisma/client.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { addFollowUp } from '../../outbox/follow-ups.ts';
import type { CollectionCard, CollectionMessage } from '../../commands/command.ts';
import { noticeCard } from '../../../cards/collection-admin.ts';
import { resolveDay, type DayRef } from '../shared/dates.ts';
import type { HandlerTable, Outcome, UseCaseContext } from '../shared/outcome.ts';
import { svc } from '../shared/legacy-tx.ts';
import { evaluateLater, fromAnswer, isOrganiser, reply } from '../shared/results.ts';
import { decideEdit, editForm, formCards, submitPage } from './collection.service.ts';
import { closePeriod, exportPeriod, extend, myCards, myStatus, nudge, nudgeReport, preview, progress, requestLeave, type DeskReply } from './desk.service.ts';

const noSuchDay = (ref: DayRef): Outcome =>
  reply(noticeCard('日期有误', [`${'month' in ref ? `${ref.month}月${ref.day}日` : '该日期'}不存在，请检查后重新发送。`], 'orange'));

/** A collection reply: its cards answer, its notices and jobs are written in the transaction. */
async function fromDesk(ctx: UseCaseContext, r: DeskReply): Promise<Outcome> {
  for (const n of r.notify ?? []) {
    await addOutbound(ctx.tx, { kind: 'SEND', dedupeKey: n.dedupeKey, receiveIdType: 'open_id', receiveId: n.openId, msgType: 'interactive', content: n.card as unknown as Prisma.InputJsonValue, ...(n.notBefore ? { notBefore: n.notBefore } : {}) });
  }
  for (const cycle of r.replan ?? []) await addFollowUp(ctx.tx, { name: 'collection.plan.v1', payload: { cycle }, jobId: `plan-${cycle}-${ctx.origin.key}` });
  for (const e of r.evaluate ?? []) await evaluateLater(ctx, e, `close-${e.periodId}-${ctx.origin.key}`);
  return { replies: r.cards, ...(r.file ? { file: r.file } : {}) };
}

export const collectionMessages: HandlerTable<CollectionMessage> = {
  'report.cards': async (_cmd, ctx) => fromDesk(ctx, await myCards(svc(ctx), ctx.actor)),
  'report.status': async (_cmd, ctx) => fromDesk(ctx, await myStatus(svc(ctx), ctx.actor)),
  leave: async (cmd, ctx) => {
    const from = resolveDay(cmd.from, ctx.now);
    const to = resolveDay(cmd.to, ctx.now);
    if (!from) return noSuchDay(cmd.from);
    if (!to) return noSuchDay(cmd.to);
    return fromDesk(ctx, await requestLeave(svc(ctx), ctx.actor, { from, to, key: ctx.origin.key }));
  },
  'report.progress': async (cmd, ctx) => fromDesk(ctx, await progress(svc(ctx), ctx.actor, cmd.period)),
  'report.nudge': async (cmd, ctx) => fromDesk(ctx, await nudge(svc(ctx), ctx.actor, cmd.unit, ctx.origin.key)),
  'report.extend': async (cmd, ctx) => {
    const date = resolveDay(cmd.date, ctx.now);
    return date ? fromDesk(ctx, await extend(svc(ctx), ctx.actor, cmd.unit, date)) : noSuchDay(cmd.date);
  },
  'report.export': async (cmd, ctx) => fromDesk(ctx, await exportPeriod(svc(ctx), ctx.actor, cmd.period)),
  'schedule.preview': async (cmd, ctx) =>
    isOrganiser(ctx.actor) ? fromDesk(ctx, await preview(svc(ctx), cmd.cycle, cmd.period)) : reply(noticeCard('无权操作', ['「预览」仅供经济运行例会办公室使用。'], 'grey')),
  'period.close': async (cmd, ctx) => fromDesk(ctx, await closePeriod(svc(ctx), ctx.actor, cmd.period)),
  'official.import': async (cmd, ctx) => {
    if (!isOrganiser(ctx.actor)) return reply(noticeCard('无法接收文件', ['只有经济运行例会办公室可以上传正式数据。如需反映问题，请发送「登记问题」。'], 'grey'));
    const { origin } = ctx;
    await addFollowUp(ctx.tx, {
      name: 'collection.import.v1',
      payload: { messageId: origin.messageId, fileKey: cmd.fileKey, fileName: cmd.fileName, openId: origin.openId, ...(origin.chatId ? { chatId: origin.chatId } : {}) },
      jobId: `import-${origin.messageId}`,
    });
    return reply(noticeCard('正在导入正式数据', [`已收到「${cmd.fileName}」，正在核对和导入，完成后会在这里回复结果。`], 'blue'));
  },
};

export const collectionCards: HandlerTable<CollectionCard> = {
  'report.submit': async (cmd, ctx) =>
    fromAnswer(ctx, await submitPage(svc(ctx), ctx.actor, { reportId: cmd.reportId, page: cmd.page, confirm: cmd.confirm, formValue: cmd.formValue, key: ctx.origin.key })),
  'report.edit': async (cmd, ctx) => fromAnswer(ctx, await editForm(svc(ctx), ctx.actor, cmd.reportId, cmd.page)),
  'report.open': async (cmd, ctx) => {
    // The first page replaces the reminder; further pages follow as messages.
    const cards = await formCards(ctx.tx, cmd.reportId);
    if (!cards.length) return { toast: { type: 'warning', content: '这张卡片已失效，请发送「报送」获取最新卡片。' } };
    for (const [i, c] of cards.slice(1).entries()) {
      await addOutbound(ctx.tx, { kind: 'SEND', dedupeKey: `open-${ctx.origin.key}-${i + 2}`, receiveIdType: 'open_id', receiveId: ctx.origin.openId, msgType: 'interactive', content: c as unknown as Prisma.InputJsonValue });
    }
    return { toast: { type: 'info', content: cards.length > 1 ? `共 ${cards.length} 页，其余页面已发送` : '请填写后提交' }, card: cards[0]! };
  },
  'report.nudge': async (cmd, ctx) => {
    if (!isOrganiser(ctx.actor)) return { toast: { type: 'error', content: '只有经济运行例会办公室可以催报。' } };
    const r = await nudgeReport(svc(ctx), cmd.reportId, ctx.origin.key, true);
    await fromDesk(ctx, { cards: [], ...(r.notify ? { notify: r.notify } : {}) });
    return { toast: r.notify?.length ? { type: 'success', content: '已催报' } : { type: 'info', content: '无需催报' } };
  },
  'edit.decide': async (cmd, ctx) => fromAnswer(ctx, await decideEdit(svc(ctx), ctx.actor, cmd.editRequestId, cmd.approve)),
};
