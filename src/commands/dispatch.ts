// Commands: command → domain service → Prisma → outbox, in one transaction per delivery.
// The inbound receipt row makes a redelivered event a no-op at the database, behind the Redis check.
import { Prisma } from '../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../platform/prisma.ts';
import type { Clock } from '../platform/clock.ts';
import { beijingDate, beijingDateTime } from '../platform/business-time.ts';
import { claimReceipt } from '../platform/receipt.ts';
import type { Logger } from '../platform/logger.ts';
import { addOutbound, listFailed } from '../outbox/outbox.service.ts';
import { findActor, describeActor } from '../modules/people/people.service.ts';
import { registerProblem, NoUnitError } from '../modules/problems/problems.service.ts';
import { helpCard } from '../../cards/help.ts';
import { problemFormCard, problemReceiptCard } from '../../cards/problem-form.ts';
import { card, markdown } from '../../cards/card.ts';
import { deliveryFailuresCard } from '../../cards/delivery-failures.ts';
import type { CardCommand, CardOutcome, DayRef, MessageCommand, Origin } from './command.ts';
import type { Actor } from '../modules/people/people.service.ts';
import { noticeCard } from '../../cards/collection-admin.ts';
import { warningAction, whyLight, decideMeeting } from '../modules/lights/warnings.service.ts';
import { taskAction } from '../modules/tasks/tasks.service.ts';
import { addDays } from '../modules/calendar/work-calendar.ts';
import { decideEdit, editForm, formCards, submitPage, type CardAnswer } from '../modules/collection/collection.service.ts';
import {
  closePeriod,
  exportPeriod,
  extend,
  myCards,
  myStatus,
  nudge,
  nudgeReport,
  preview,
  progress,
  requestLeave,
  type DeskReply,
} from '../modules/collection/desk.service.ts';

export interface DispatchDeps {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  /** Enqueues delivery of outbox rows once their transaction has committed. */
  deliver: (outboundIds: string[]) => Promise<void>;
  /** Background work a command starts: re-planning a cycle's reminders, importing an uploaded file. */
  jobs?: {
    replan(cycleCodes: string[]): Promise<void>;
    importOfficial(p: { messageId: string; fileKey: string; fileName: string; openId: string; chatId?: string }): Promise<void>;
    evaluateLights(p: { periodId: string; indicatorIds?: string[]; unitIds?: string[]; batch: string }): Promise<void>;
  };
}

const DESK_COMMANDS = new Set<MessageCommand['kind']>([
  'light.why',
  'report.cards', 'report.status', 'leave', 'report.progress', 'report.nudge', 'report.extend', 'report.export', 'schedule.preview', 'period.close', 'usage', 'official.import',
]);

/**
 * A typed day made concrete: the year is this year unless that date is long past (December → January).
 * null for a day the year does not have (2月29日 in 2027).
 */
export function resolveDay(ref: DayRef, now: Date): string | null {
  const today = beijingDate(now);
  if ('offset' in ref) return addDays(today, ref.offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  let year = ref.year ?? Number(today.slice(0, 4));
  if (ref.year === undefined && `${year}-${pad(ref.month)}-${pad(ref.day)}` < addDays(today, -60)) year++;
  const probe = new Date(Date.UTC(year, ref.month - 1, ref.day));
  if (probe.getUTCMonth() !== ref.month - 1) return null;
  return `${year}-${pad(ref.month)}-${pad(ref.day)}`;
}

const noSuchDay = (ref: DayRef): DeskReply => ({
  cards: [noticeCard('日期有误', [`${'month' in ref ? `${ref.month}月${ref.day}日` : '该日期'}不存在，请检查后重新发送。`], 'orange')],
});

/** Runs a collection command; the reply's cards, notifications and file are written by the caller. */
async function runDesk(deps: DispatchDeps, actor: Actor, origin: Origin, cmd: MessageCommand): Promise<DeskReply> {
  const d = { prisma: deps.prisma, clock: deps.clock };
  const now = deps.clock.now();
  switch (cmd.kind) {
    case 'report.cards':
      return myCards(d, actor);
    case 'report.status':
      return myStatus(d, actor);
    case 'leave': {
      const from = resolveDay(cmd.from, now);
      const to = resolveDay(cmd.to, now);
      if (!from) return noSuchDay(cmd.from);
      if (!to) return noSuchDay(cmd.to);
      return requestLeave(d, actor, { from, to, key: origin.key });
    }
    case 'report.progress':
      return progress(d, actor, cmd.period);
    case 'report.nudge':
      return nudge(d, actor, cmd.unit, origin.key);
    case 'report.extend': {
      const date = resolveDay(cmd.date, now);
      return date ? extend(d, actor, cmd.unit, date) : noSuchDay(cmd.date);
    }
    case 'report.export':
      return exportPeriod(d, actor, cmd.period);
    case 'schedule.preview':
      if (!actor.roles.some((r) => r.role === 'ORGANISER')) return { cards: [noticeCard('无权操作', ['「预览」仅供经济运行例会办公室使用。'], 'grey')] };
      return preview(d, cmd.cycle, cmd.period);
    case 'period.close':
      return closePeriod(d, actor, cmd.period);
    case 'usage':
      return { cards: [noticeCard(cmd.title, [cmd.message], 'orange')] };
    case 'light.why':
      return { cards: [await whyLight(deps.prisma, cmd.indicator, cmd.unit)] };
    case 'official.import':
      if (!actor.roles.some((r) => r.role === 'ORGANISER')) {
        return { cards: [noticeCard('无法接收文件', ['只有经济运行例会办公室可以上传正式数据。如需反映问题，请发送「登记问题」。'], 'grey')] };
      }
      await deps.jobs?.importOfficial({ messageId: origin.messageId, fileKey: cmd.fileKey, fileName: cmd.fileName, openId: origin.openId, ...(origin.chatId ? { chatId: origin.chatId } : {}) });
      return { cards: [noticeCard('正在导入正式数据', [`已收到「${cmd.fileName}」，正在核对和导入，完成后会在这里回复结果。`], 'blue')] };
    default:
      throw new Error(`not a desk command: ${cmd.kind}`);
  }
}

/** Writes a desk reply: cards as replies (in order), notifications to others, the file to the chat. */
async function writeDeskReply(tx: Tx, origin: Origin, reply: DeskReply): Promise<string[]> {
  const ids: string[] = [];
  const chat = origin.chatId ? { receiveIdType: 'chat_id' as const, receiveId: origin.chatId } : {};
  for (const [i, c] of reply.cards.entries()) {
    const row = await addOutbound(tx, {
      kind: 'REPLY',
      dedupeKey: i === 0 ? `reply-${origin.messageId}` : `reply-${origin.messageId}-${i}`,
      targetMessageId: origin.messageId,
      ...chat,
      msgType: 'interactive',
      content: c as unknown as Prisma.InputJsonValue,
    });
    ids.push(row.id);
  }
  for (const n of reply.notify ?? []) {
    const row = await addOutbound(tx, {
      kind: 'SEND',
      dedupeKey: n.dedupeKey,
      receiveIdType: 'open_id',
      receiveId: n.openId,
      msgType: 'interactive',
      content: n.card as unknown as Prisma.InputJsonValue,
      ...(n.notBefore ? { notBefore: n.notBefore } : {}),
    });
    ids.push(row.id);
  }
  if (reply.file) {
    const row = await addOutbound(tx, {
      kind: 'FILE_UPLOAD',
      dedupeKey: `file-${origin.messageId}`,
      ...(origin.chatId ? chat : { receiveIdType: 'open_id' as const, receiveId: origin.openId }),
      content: { fileName: reply.file.fileName, fileType: 'xls', base64: reply.file.bytes.toString('base64') },
    });
    ids.push(row.id);
  }
  return ids;
}

const NOT_IN_DIRECTORY = '未在经济运行调度名录中找到您的信息，请联系经济运行例会办公室登记后再试。';

/** Handles a chat command; the answer is a reply in the chat, sent through the outbox. */
export async function dispatchMessage(deps: DispatchDeps, origin: Origin, cmd: MessageCommand): Promise<void> {
  if (DESK_COMMANDS.has(cmd.kind)) {
    // A redelivery of a handled message does nothing (the Redis check at the door usually stops it sooner).
    if (await deps.prisma.inboundReceipt.findUnique({ where: { key: origin.key } })) return;
    const actor = await findActor(deps.prisma, origin.openId);
    const reply: DeskReply = actor
      ? await runDesk(deps, actor, origin, cmd)
      : { cards: [card({ title: '经济运行调度助手', template: 'orange', elements: [markdown(NOT_IN_DIRECTORY)] })] };
    const deskIds = await deps.prisma.$transaction(async (tx) => {
      if (!(await claimReceipt(tx, origin.key, 'message', deps.clock.now()))) return [];
      return writeDeskReply(tx, origin, reply);
    });
    if (deskIds.length) await deps.deliver(deskIds);
    if (reply.replan?.length) await deps.jobs?.replan(reply.replan);
    for (const e of reply.evaluate ?? []) await deps.jobs?.evaluateLights({ ...e, batch: `close-${e.periodId}-${origin.key}` });
    return;
  }
  const ids = await deps.prisma.$transaction(async (tx) => {
    if (!(await claimReceipt(tx, origin.key, 'message', deps.clock.now()))) return [];
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
        default:
          throw new Error(`unhandled command ${cmd.kind}`);
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
  if (cmd.kind !== 'problem.submit') return collectionAction(deps, actor, origin, cmd);
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


/** Collection card actions: submit a page, open the form again, nudge a unit, decide a late edit. */
async function collectionAction(deps: DispatchDeps, actor: Actor, origin: Origin, cmd: Exclude<CardCommand, { kind: 'problem.submit' | 'invalid' }>): Promise<CardOutcome> {
  const d = { prisma: deps.prisma, clock: deps.clock };
  let answer: CardAnswer;
  switch (cmd.kind) {
    case 'report.submit':
      answer = await submitPage(d, actor, { reportId: cmd.reportId, page: cmd.page, confirm: cmd.confirm, formValue: cmd.formValue, key: origin.key });
      break;
    case 'report.edit':
      answer = await editForm(d, actor, cmd.reportId, cmd.page);
      break;
    case 'report.open': {
      // The first page replaces the reminder; further pages follow as messages.
      const cards = await formCards(deps.prisma, cmd.reportId);
      if (!cards.length) return { toast: { type: 'warning', content: '这张卡片已失效，请发送「报送」获取最新卡片。' } };
      const ids = await deps.prisma.$transaction(async (tx) => {
        const out: string[] = [];
        for (const [i, c] of cards.slice(1).entries()) {
          const row = await addOutbound(tx, { kind: 'SEND', dedupeKey: `open-${origin.key}-${i + 2}`, receiveIdType: 'open_id', receiveId: origin.openId, msgType: 'interactive', content: c as unknown as Prisma.InputJsonValue });
          out.push(row.id);
        }
        return out;
      });
      answer = { toast: { type: 'info', content: cards.length > 1 ? `共 ${cards.length} 页，其余页面已发送` : '请填写后提交' }, card: cards[0]!, outbound: ids };
      break;
    }
    case 'report.nudge': {
      if (!actor.roles.some((r) => r.role === 'ORGANISER')) return { toast: { type: 'error', content: '只有经济运行例会办公室可以催报。' } };
      const reply = await nudgeReport(d, cmd.reportId, origin.key, true);
      const ids = await deps.prisma.$transaction(async (tx) => {
        const out: string[] = [];
        for (const n of reply.notify ?? []) {
          out.push((await addOutbound(tx, { kind: 'SEND', dedupeKey: n.dedupeKey, receiveIdType: 'open_id', receiveId: n.openId, msgType: 'interactive', content: n.card as unknown as Prisma.InputJsonValue, ...(n.notBefore ? { notBefore: n.notBefore } : {}) })).id);
        }
        return out;
      });
      answer = { toast: { type: ids.length ? 'success' : 'info', content: ids.length ? '已催报' : '无需催报' }, outbound: ids };
      break;
    }
    case 'edit.decide':
      answer = await decideEdit(d, actor, cmd.editRequestId, cmd.approve);
      break;
    case 'warning.action': {
      answer = await warningAction(d, actor, { kind: cmd.action, warningId: cmd.warningId, ...(cmd.formValue ? { formValue: cmd.formValue } : {}), key: origin.key });
      if (cmd.fromDigest && answer.card) {
        // A digest lists several lights: it stays; 查看 brings the detail as a message of its own.
        if (cmd.action === 'open') {
          const card = answer.card;
          const id = await deps.prisma.$transaction(async (tx) =>
            (await addOutbound(tx, { kind: 'SEND', dedupeKey: `detail-${origin.key}`, receiveIdType: 'open_id', receiveId: origin.openId, msgType: 'interactive', content: card as unknown as Prisma.InputJsonValue })).id,
          );
          answer = { ...answer, outbound: [...(answer.outbound ?? []), id] };
        }
        const { card: _card, ...rest } = answer;
        answer = rest;
      }
      break;
    }
    case 'task.action':
      answer = await taskAction(d, actor, { kind: cmd.action, taskId: cmd.taskId, ...(cmd.formValue ? { formValue: cmd.formValue } : {}), key: origin.key });
      break;
    case 'meeting.decide':
      answer = await decideMeeting(d, actor, cmd.meetingId, cmd.confirm);
      break;
  }
  if (answer.outbound?.length) await deps.deliver(answer.outbound);
  // Slow work after the answer is decided: the lights are a job (the callback must answer within 3 s).
  if (answer.evaluate) await deps.jobs?.evaluateLights({ ...answer.evaluate, batch: origin.key });
  return { toast: answer.toast, ...(answer.card ? { card: answer.card } : {}) };
}
