// Tasks: the task card's actions. 'open' shows the card again; progress and 申请销号 are for the owner
// unit's liaison, backup or head; 销号 and 退回 for the organisers. Anyone else is refused and nothing
// changes. Forms arrive parsed and within their limits (src/commands/parse.ts); the runner makes a
// redelivered click one action.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { TasksCard } from '../../commands/command.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { organisers, type Actor } from '../people/people.service.ts';
import type { Card } from '../../../cards/card.ts';
import { CLOSE_NEEDS_NOTE, taskCard } from '../../../cards/task.ts';
import { beijingDateOf } from '../calendar/work-calendar.ts';
import { toast, type Outcome, type Toast, type UseCaseContext } from '../shared/outcome.ts';
import { isOrganiser } from '../shared/results.ts';
import { loadTask, lockTask, ownerRecipient, type LoadedTask } from './tasks.repo.ts';
import { json, reviewCardOf, snapshot, type TaskSnapshot } from './task-view.ts';
import { tellAssigner } from './assigner.ts';

type Cmd<K extends TasksCard['kind']> = Extract<TasksCard, { kind: K }>;

const NOT_FOUND = '找不到这项交办事项，可能已被撤销。';
export const NO_TASK_ACCESS = '您无权查看该交办事项。';

/** The unit's liaison, backup or head: they report progress and ask for close-out. */
const isUnitMember = (actor: Actor, unitId: string) => actor.roles.some((r) => r.unitId === unitId && r.role !== 'ORGANISER');

/** Who may see a task: the owner unit's people, the leader who assigned it, the organisers. */
export const maySeeTask = (actor: Actor, t: { unitId: string; assignedById: string | null }) =>
  isUnitMember(actor, t.unitId) || isOrganiser(actor) || actor.personId === t.assignedById;

const t2 = (type: Toast['type'], content: string): Toast => ({ type, content });

/** The time of a new update: now, but strictly after the task's last update (the order of updates carries meaning). */
function nextAt(t: LoadedTask, now: Date): Date {
  const last = t.updates[t.updates.length - 1];
  return last && last.at.getTime() >= now.getTime() ? new Date(last.at.getTime() + 1) : now;
}

export async function openTask(cmd: Cmd<'task.open'>, ctx: UseCaseContext): Promise<Outcome> {
  const t = await loadTask(ctx.tx, cmd.taskId);
  if (!t) return toast('warning', NOT_FOUND);
  if (t.status === 'CANCELLED') return toast('info', `「${t.title}」已撤销，无需办理。`);
  if (!maySeeTask(ctx.actor, t)) return toast('error', NO_TASK_ACCESS);
  const s = snapshot(t, beijingDateOf(ctx.now));
  if (isUnitMember(ctx.actor, t.unitId)) return { toast: t2('info', `${t.title} · ${s.view.due}到期`), card: taskCard(s.view) };
  // Others see no button they may not use: an organiser the review card once close-out was asked for,
  // the assigning leader (and an organiser before that) the task without its form.
  const reviewed = isOrganiser(ctx.actor) && s.lastRequest !== null && s.view.state !== 'IN_PROGRESS' && s.view.state !== 'OPEN';
  return { toast: t2('info', `${t.unit.name} · ${t.title}`), card: reviewed ? reviewCardOf(s) : taskCard(s.view, { mayUpdate: false }) };
}

type Side = 'owner' | 'organiser';
/** A change to a locked task: its toast, or a refusal (nothing written) with the card as it stands. */
type Change = (cur: LoadedTask, s: TaskSnapshot, at: Date) => Promise<{ done: Toast } | { refused: Toast }>;

/** The common frame of a change: lock, who, the change, and the card as it is after. */
async function change(ctx: UseCaseContext, taskId: string, side: Side, fn: Change): Promise<Outcome> {
  const today = beijingDateOf(ctx.now);
  // The lock orders two people deciding at once (two organisers, or the unit and an organiser).
  const cur = await lockTask(ctx.tx, taskId);
  if (!cur) return toast('warning', NOT_FOUND);
  if (cur.status === 'CANCELLED') return toast('info', `「${cur.title}」已撤销，无需办理。`);
  if (side === 'owner' && !isUnitMember(ctx.actor, cur.unitId)) {
    return toast('error', `您不是${cur.unit.name}的联络员、备用联络员或主要负责人，不能办理该交办事项。如有疑问，请联系经济运行例会办公室。`);
  }
  if (side === 'organiser' && !isOrganiser(ctx.actor)) return toast('error', '只有经济运行例会办公室可以销号或退回交办事项。');
  const result = await fn(cur, snapshot(cur, today), nextAt(cur, ctx.now));
  const after = snapshot((await loadTask(ctx.tx, cur.id))!, today);
  // The organiser's card is the review card, which only exists once close-out was asked for.
  const card: Card | undefined = side === 'owner' ? taskCard(after.view) : after.lastRequest ? reviewCardOf(after) : undefined;
  return { toast: 'done' in result ? result.done : result.refused, ...(card ? { card } : {}) };
}

/** The unit may still work on it: not waiting for close-out, not closed. */
function ownerMayChange(cur: LoadedTask): Toast | null {
  if (cur.status === 'AWAITING_CLOSE') return t2('info', '已申请销号，等待例会办公室审核，暂不能更新进度。');
  if (cur.status === 'DONE') return t2('info', '该事项已销号，无需再更新。');
  return null;
}

const audit = (ctx: UseCaseContext, taskId: string, action: string, data: Prisma.InputJsonValue) =>
  ctx.tx.auditLog.create({ data: { at: ctx.now, actorId: ctx.actor.personId, action, entity: 'Task', entityId: taskId, data } });

export async function reportProgress(cmd: Cmd<'task.progress'>, ctx: UseCaseContext): Promise<Outcome> {
  // 100 % is the unit saying it is done: that is a close-out request.
  if (cmd.progress === 100) return requestClose({ kind: 'task.request-close', taskId: cmd.taskId, note: cmd.note }, ctx);
  return change(ctx, cmd.taskId, 'owner', async (cur, _s, at) => {
    const refused = ownerMayChange(cur);
    if (refused) return { refused };
    const note = cmd.note || null;
    await ctx.tx.task.update({ where: { id: cur.id }, data: { status: 'IN_PROGRESS', progress: cmd.progress } });
    const u = await ctx.tx.taskUpdate.create({ data: { taskId: cur.id, authorId: ctx.actor.personId, status: 'IN_PROGRESS', progress: cmd.progress, note, at } });
    await audit(ctx, cur.id, 'task.progress', { progress: cmd.progress, ...(note ? { note } : {}) });
    await tellAssigner(ctx.tx, ctx.now, (await loadTask(ctx.tx, cur.id))!, { event: 'progress', updateId: u.id, by: ctx.actor, note });
    return { done: t2('success', `进度已更新：${cmd.progress}%`) };
  });
}

export async function requestClose(cmd: Cmd<'task.request-close'>, ctx: UseCaseContext): Promise<Outcome> {
  return change(ctx, cmd.taskId, 'owner', async (cur, _s, at) => {
    const refused = ownerMayChange(cur);
    if (refused) return { refused };
    // 申请销号 says what was done: without a note nothing is stored (100 % is checked on the form, parse.ts).
    const note = cmd.note.trim() || null;
    if (!note) return { refused: t2('warning', CLOSE_NEEDS_NOTE) };
    await ctx.tx.task.update({ where: { id: cur.id }, data: { status: 'AWAITING_CLOSE', progress: 100 } });
    const u = await ctx.tx.taskUpdate.create({ data: { taskId: cur.id, authorId: ctx.actor.personId, status: 'AWAITING_CLOSE', progress: 100, note, at } });
    await audit(ctx, cur.id, 'task.request_close', { note });
    const loaded = (await loadTask(ctx.tx, cur.id))!;
    const review = json(reviewCardOf(snapshot(loaded, beijingDateOf(ctx.now))));
    await tellAssigner(ctx.tx, ctx.now, loaded, { event: 'request-close', updateId: u.id, by: ctx.actor, note });
    for (const o of await organisers(ctx.tx)) {
      await addOutbound(ctx.tx, { kind: 'SEND', dedupeKey: `task-${cur.id}-review-${u.id}-${o.id}`, receiveIdType: 'open_id', receiveId: o.openId!, msgType: 'interactive', content: review });
    }
    return { done: t2('success', '已申请销号，等待例会办公室审核') };
  });
}

/** 销号 or 退回 by an organiser: only while close-out is asked for; the owner is told, the other review cards updated. */
async function decide(ctx: UseCaseContext, taskId: string, decision: { close: true } | { close: false; reason: string }): Promise<Outcome> {
  return change(ctx, taskId, 'organiser', async (cur, s, at) => {
    if (cur.status !== 'AWAITING_CLOSE') {
      if (cur.status === 'DONE') {
        const by = cur.closedById ? (await ctx.tx.person.findUnique({ where: { id: cur.closedById } }))?.name : null;
        return { refused: t2('info', `该事项已由${by ?? '他人'}销号。`) };
      }
      return { refused: t2('info', s.kinds[s.kinds.length - 1] === 'return' ? '该事项已退回责任单位。' : '该事项尚未申请销号，暂无需审核。') };
    }
    const closing = decision.close;
    const reason = decision.close ? null : decision.reason;
    const today = beijingDateOf(ctx.now);
    await ctx.tx.task.update({
      where: { id: cur.id },
      data: closing ? { status: 'DONE', progress: 100, closedAt: ctx.now, closedById: ctx.actor.personId } : { status: 'IN_PROGRESS' },
    });
    const u = await ctx.tx.taskUpdate.create({
      data: { taskId: cur.id, authorId: ctx.actor.personId, status: closing ? 'DONE' : 'IN_PROGRESS', progress: closing ? 100 : cur.progress, note: reason, at },
    });
    await audit(ctx, cur.id, closing ? 'task.close' : 'task.return', closing ? { unit: cur.unit.code } : { unit: cur.unit.code, reason });
    const after = snapshot((await loadTask(ctx.tx, cur.id))!, today);
    await tellAssigner(ctx.tx, ctx.now, after.task, { event: closing ? 'close' : 'return', updateId: u.id, by: ctx.actor, note: closing ? s.lastRequest?.note ?? null : reason });
    const owner = await ownerRecipient(ctx.tx, cur, today);
    if (owner) {
      await addOutbound(ctx.tx, {
        kind: 'SEND',
        dedupeKey: closing ? `task-${cur.id}-closed` : `task-${cur.id}-returned-${u.id}`,
        receiveIdType: 'open_id',
        receiveId: owner.openId,
        msgType: 'interactive',
        content: json(taskCard(after.view)),
      });
    }
    // The other organisers' review cards of this request show the decision (those already delivered).
    if (s.lastRequest) {
      const sent = await ctx.tx.outboundMessage.findMany({
        where: { dedupeKey: { startsWith: `task-${cur.id}-review-${s.lastRequest.id}-` }, status: 'SENT', feishuMessageId: { not: null } },
        select: { dedupeKey: true, feishuMessageId: true },
      });
      const review = json(reviewCardOf(after));
      for (const m of sent) await addOutbound(ctx.tx, { kind: 'UPDATE_CARD', dedupeKey: `${m.dedupeKey}-${u.id}`, targetMessageId: m.feishuMessageId!, content: review });
    }
    return { done: t2('success', closing ? '已销号，已通知责任单位' : '已退回，已通知责任单位') };
  });
}

export const closeTask = (cmd: Cmd<'task.close'>, ctx: UseCaseContext) => decide(ctx, cmd.taskId, { close: true });
export const returnTask = (cmd: Cmd<'task.return'>, ctx: UseCaseContext) => decide(ctx, cmd.taskId, { close: false, reason: cmd.reason });
