// Lights: what leaders do with a warning card — 查看, 已阅, 批示 (to the units), 交办 (a task). Forms arrive
// parsed and within their limits (src/commands/parse.ts). Everything is written in the command's
// transaction: the change, its audit entry, the messages to the units. Meetings are in meetings/.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { LightsCard } from '../../commands/command.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import type { Card } from '../../../cards/card.ts';
import { responsiblePeople } from '../collection/collection.repo.ts';
import { periodLabel } from '../collection/schedule.ts';
import { beijingDateOf } from '../calendar/work-calendar.ts';
import { createTask } from '../tasks/create-task.ts';
import { toast, type Outcome, type Toast, type UseCaseContext } from '../shared/outcome.ts';
import { mayActOnWarning, maySeeWarning, NO_WARNING_ACCESS } from './warning-access.ts';
import { warningCardOf } from './warning-view.ts';
import { instructionCardFor, loadInstruction } from './instruction-view.ts';

type Cmd<K extends LightsCard['kind']> = Extract<LightsCard, { kind: K }>;
const json = (c: Card) => c as unknown as Prisma.InputJsonValue;

export const WARNING_NOT_FOUND = '找不到这条预警，请刷新后重试。';
const NOT_IN_CHARGE = '只有分管该指标的领导或经济运行例会办公室可以处理这条预警。';

const loadWarning = (ctx: UseCaseContext, warningId: string) =>
  ctx.tx.warning.findUnique({ where: { id: warningId }, include: { indicator: true, unit: true, period: { include: { cycle: true } } } });
type LoadedWarning = NonNullable<Awaited<ReturnType<typeof loadWarning>>>;

/**
 * The toast with the warning's card as it now stands. A digest lists several lights and stays as it is:
 * the answer is the toast alone.
 */
export async function answerWithWarning(ctx: UseCaseContext, warningId: string, t: Toast, fromDigest = false): Promise<Outcome> {
  const card = fromDigest ? undefined : await warningCardOf(ctx.tx, warningId, ctx.actor);
  return { toast: t, ...(card ? { card } : {}) };
}

/** The warning, if this person may act on it; else the refusal to answer with. */
async function actionable(ctx: UseCaseContext, warningId: string): Promise<LoadedWarning | Outcome> {
  const w = await loadWarning(ctx, warningId);
  if (!w) return toast('warning', WARNING_NOT_FOUND);
  if (!(await mayActOnWarning(ctx.tx, ctx.actor, w))) return toast('error', NOT_IN_CHARGE);
  return w;
}
const refused = (x: LoadedWarning | Outcome): x is Outcome => !('indicatorId' in x);

/** Acting on a warning reads it: it leaves OPEN and counts as acknowledged by the first who acts. */
async function markActedOn(ctx: UseCaseContext, w: LoadedWarning, note?: string): Promise<void> {
  await ctx.tx.warning.update({ where: { id: w.id }, data: { status: 'IN_PROGRESS', ...(w.acknowledgedAt ? {} : { acknowledgedAt: ctx.now, acknowledgedById: ctx.actor.personId }) } });
  if (note) await ctx.tx.warningEvent.create({ data: { warningId: w.id, fromStatus: w.status, toStatus: 'IN_PROGRESS', level: w.level, actorId: ctx.actor.personId, at: ctx.now, note } });
}

/** 查看: only for those who may see the warning. From a digest the detail comes as a message of its own. */
export async function openWarning(cmd: Cmd<'warning.open'>, ctx: UseCaseContext): Promise<Outcome> {
  const w = await loadWarning(ctx, cmd.warningId);
  if (!w) return toast('warning', WARNING_NOT_FOUND);
  if (!(await maySeeWarning(ctx.tx, ctx.actor, w))) return toast('error', NO_WARNING_ACCESS);
  const t: Toast = { type: 'info', content: `${w.indicator.name} · ${w.unit.name}` };
  if (!cmd.fromDigest) return answerWithWarning(ctx, w.id, t);
  const card = await warningCardOf(ctx.tx, w.id, ctx.actor);
  if (card) {
    await addOutbound(ctx.tx, { kind: 'SEND', dedupeKey: `detail-${ctx.origin.key}`, receiveIdType: 'open_id', receiveId: ctx.origin.openId, msgType: 'interactive', content: json(card) });
  }
  return { toast: t };
}

export async function acknowledgeWarning(cmd: Cmd<'warning.ack'>, ctx: UseCaseContext): Promise<Outcome> {
  const w = await actionable(ctx, cmd.warningId);
  if (refused(w)) return w;
  if (w.acknowledgedAt) return answerWithWarning(ctx, w.id, { type: 'info', content: '已阅' }, cmd.fromDigest);
  const to = w.status === 'OPEN' ? 'ACKNOWLEDGED' : w.status;
  await ctx.tx.warning.update({ where: { id: w.id }, data: { acknowledgedAt: ctx.now, acknowledgedById: ctx.actor.personId, status: to } });
  await ctx.tx.warningEvent.create({ data: { warningId: w.id, fromStatus: w.status, toStatus: to, level: w.level, actorId: ctx.actor.personId, at: ctx.now, note: '已阅' } });
  await ctx.tx.auditLog.create({ data: { at: ctx.now, actorId: ctx.actor.personId, action: 'warning.ack', entity: 'Warning', entityId: w.id } });
  return answerWithWarning(ctx, w.id, { type: 'success', content: '已阅' }, cmd.fromDigest);
}

/** 批示: stored once, sent to each unit's liaison (or backup) and head. */
export async function instructOnWarning(cmd: Cmd<'warning.instruct'>, ctx: UseCaseContext): Promise<Outcome> {
  const w = await actionable(ctx, cmd.warningId);
  if (refused(w)) return w;
  const codes = cmd.unitCodes.length ? cmd.unitCodes : [w.unit.code];
  const units = await ctx.tx.unit.findMany({ where: { code: { in: codes }, active: true }, orderBy: [{ sortOrder: 'asc' }, { code: 'asc' }] });
  if (!units.length) return toast('warning', '请选择送达单位');
  const ins = await ctx.tx.instruction.create({
    data: { warningId: w.id, authorId: ctx.actor.personId, text: cmd.text, unitIds: units.map((u) => u.id), at: ctx.now, requestKey: ctx.origin.key },
  });
  await markActedOn(ctx, w, `批示：${cmd.text}`);
  // `message`: the leader's card it was written on, updated as the units answer.
  await ctx.tx.auditLog.create({ data: { at: ctx.now, actorId: ctx.actor.personId, action: 'warning.instruct', entity: 'Instruction', entityId: ins.id, data: { warning: w.id, units: units.map((u) => u.code), message: ctx.origin.messageId } } });
  const loaded = (await loadInstruction(ctx.tx, ins.id))!;
  const liaisons = await responsiblePeople(ctx.tx, units.map((u) => u.id), new Date(`${beijingDateOf(ctx.now)}T00:00:00Z`));
  const heads = await ctx.tx.unitRole.findMany({ where: { unitId: { in: units.map((u) => u.id) }, role: 'HEAD', active: true }, include: { person: true } });
  for (const u of units) {
    const to = [liaisons.get(u.id)?.openId, ...heads.filter((h) => h.unitId === u.id).map((h) => h.person.openId)].filter((x): x is string => !!x);
    const content = json(instructionCardFor(loaded, u));
    for (const openId of new Set(to)) {
      await addOutbound(ctx.tx, { kind: 'SEND', dedupeKey: `instruction-${ins.id}-${openId}`, receiveIdType: 'open_id', receiveId: openId, msgType: 'interactive', content });
    }
  }
  return answerWithWarning(ctx, w.id, { type: 'success', content: `批示已送达 ${units.map((u) => u.shortName ?? u.name).join('、')}` });
}

/** 交办: a task for the chosen unit, due on the chosen day (not before today). */
export async function assignFromWarning(cmd: Cmd<'warning.assign'>, ctx: UseCaseContext): Promise<Outcome> {
  const w = await actionable(ctx, cmd.warningId);
  if (refused(w)) return w;
  if (cmd.due < beijingDateOf(ctx.now)) return toast('warning', '完成时限不能早于今天，请重新选择。');
  const unit = await ctx.tx.unit.findUnique({ where: { code: cmd.unitCode } });
  if (!unit?.active) return toast('warning', '请选择责任单位');
  const label = periodLabel(w.period.cycle.frequency, w.period.periodKey);
  const t = await createTask(ctx.tx, ctx.now, {
    title: cmd.title,
    description: `${label} ${w.unit.name} ${w.indicator.name}：${(w.reasons as string[]).join('；')}`,
    unitId: unit.id,
    dueDate: cmd.due,
    warningId: w.id,
    assignedById: ctx.actor.personId,
    requestKey: ctx.origin.key,
  });
  if (t.created) {
    await markActedOn(ctx, w);
    // `message`: the leader's card it was assigned on, updated as the unit reports (tasks/assigner.ts).
    await ctx.tx.auditLog.create({ data: { at: ctx.now, actorId: ctx.actor.personId, action: 'warning.assign', entity: 'Task', entityId: t.taskId, data: { warning: w.id, message: ctx.origin.messageId } } });
  }
  return answerWithWarning(ctx, w.id, { type: 'success', content: `已交办 ${unit.shortName ?? unit.name}，完成时限 ${cmd.due}` });
}
