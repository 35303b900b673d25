// Domain: what leaders do with a warning (已阅, 批示, 召集专题会, 约谈, 交办), what the units receive, the
// escalation of an unacknowledged red, and 「为什么」. Everything goes through the outbox and the audit log.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import type { Clock } from '../../platform/clock.ts';
import { beijingDateTime } from '../../platform/business-time.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { organisers, type Actor } from '../people/people.service.ts';
import type { Card } from '../../../cards/card.ts';
import {
  instructionCard,
  meetingProposalCard,
  warningCard,
  whyCard,
  WarningAssignFormValue,
  WarningInstructFormValue,
  type WarningCardView,
} from '../../../cards/warning.ts';
import { noticeCard } from '../../../cards/collection-admin.ts';
import { figuresInForce, figureKey, formatGrowth, formatValue, responsiblePeople, targetFor } from '../collection/collection.repo.ts';
import { periodLabel, previousPeriodKey } from '../collection/schedule.ts';
import { beijingDateOf } from '../calendar/work-calendar.ts';
import { createTask } from '../tasks/tasks.service.ts';
import type { CardAnswer } from '../collection/collection.service.ts';

type Db = PrismaClient | Tx;
export interface WarningsDeps {
  prisma: PrismaClient;
  clock: Clock;
}

const json = (c: Card) => c as unknown as Prisma.InputJsonValue;
const TASK_STATE: Record<string, string> = { OPEN: '待办理', IN_PROGRESS: '办理中', AWAITING_CLOSE: '待销号', DONE: '已销号', CANCELLED: '已取消' };

/** May this person act on the warning: a leader in charge of the indicator, the principal leader, or an organiser. */
async function mayAct(db: Db, actor: Actor, indicatorId: string): Promise<boolean> {
  if (actor.roles.some((r) => r.role === 'ORGANISER')) return true;
  if (actor.leader?.rank === 'PRINCIPAL') return true;
  return (await db.leaderDomainIndicator.count({ where: { indicatorId, domain: { active: true, leader: { personId: actor.personId, active: true } } } })) > 0;
}

/** The detail card of a warning, as it stands. */
export async function warningView(db: Db, warningId: string): Promise<WarningCardView | null> {
  const w = await db.warning.findUnique({
    where: { id: warningId },
    include: {
      indicator: true,
      unit: true,
      period: { include: { cycle: true } },
      acknowledgedBy: true,
      instructions: { include: { author: true }, orderBy: { at: 'asc' } },
      tasks: { include: { unit: true }, orderBy: { createdAt: 'asc' } },
    },
  });
  if (!w) return null;
  const { cycle } = w.period;
  const keys: string[] = [w.period.periodKey];
  for (let i = 1; i < 12; i++) keys.unshift(previousPeriodKey(cycle.frequency, keys[0]!));
  const periods = await db.reportingPeriod.findMany({ where: { cycleId: cycle.id, periodKey: { in: keys } } });
  const figures = await figuresInForce(db, periods.map((p) => p.id), [w.unitId]);
  const idOf = new Map(periods.map((p) => [p.periodKey, p.id]));
  const at = (k: string) => {
    const pid = idOf.get(k);
    return pid ? figures.get(figureKey(pid, w.unitId, w.indicatorId)) : undefined;
  };
  const now = at(w.period.periodKey);
  const targets = await db.target.findMany({ where: { unitId: w.unitId, indicatorId: w.indicatorId, active: true } });
  const target = targetFor(targets, w.indicatorId, w.unitId, cycle.frequency, w.period.periodKey);
  const siblings = await db.unit.findMany({ where: { parentId: w.unit.parentId, kind: w.unit.kind, active: true }, select: { id: true, code: true, name: true } });
  const peer = await figuresInForce(db, [w.periodId], siblings.map((s) => s.id));
  const growths = siblings.flatMap((s) => {
    const g = peer.get(figureKey(w.periodId, s.id, w.indicatorId))?.growthPct;
    return g === null || g === undefined ? [] : [Number(g)];
  });
  const assigned = await db.assignment.findMany({ where: { indicatorId: w.indicatorId, cycleId: cycle.id, active: true }, include: { unit: true } });
  const units = [w.unit, ...assigned.map((a) => a.unit).filter((u) => u.id !== w.unitId)].map((u) => ({ code: u.code, name: u.shortName ?? u.name }));
  return {
    warningId: w.id,
    indicatorName: w.indicator.name,
    unitName: w.unit.name,
    periodLabel: periodLabel(cycle.frequency, w.period.periodKey),
    level: w.level,
    status: w.status,
    value: now ? `${formatValue(now.value, w.indicator.decimals)} ${w.indicator.measureUnit}` : '—',
    growth: formatGrowth(now?.growthPct ?? null) ?? '—',
    targetPace: target !== null ? `目标进度 ${formatGrowth(target)}` : null,
    cityAverage: growths.length >= 3 ? `平均 ${formatGrowth((growths.reduce((a, b) => a + b, 0) / growths.length).toFixed(2))}` : null,
    reasons: w.reasons as string[],
    vintageLabel: w.vintage === 'OFFICIAL' ? '正式数据' : '快报',
    trend: keys.map((k) => {
      const f = at(k);
      return { period: k, growth: f?.growthPct === null || f?.growthPct === undefined ? null : Number(f.growthPct) };
    }),
    units,
    ...(w.acknowledgedBy ? { acknowledgedBy: w.acknowledgedBy.name } : {}),
    instructions: w.instructions.map((i) => ({ by: i.author.name, at: beijingDateTime(i.at), text: i.text })),
    tasks: w.tasks.map((t) => ({ title: t.title, unitName: t.unit.name, due: t.dueDate.toISOString().slice(0, 10), state: TASK_STATE[t.status] ?? t.status })),
  };
}

async function answerWithCard(db: Db, warningId: string, toast: CardAnswer['toast'], outbound: string[] = []): Promise<CardAnswer> {
  const view = await warningView(db, warningId);
  return { toast, ...(view ? { card: warningCard(view) } : {}), outbound };
}

export type WarningActionKind = 'open' | 'ack' | 'instruct' | 'meeting' | 'interview' | 'assign';

/** A leader's action on a warning card; refused (and nothing changed) for anyone not in charge. */
export async function warningAction(
  deps: WarningsDeps,
  actor: Actor,
  req: { kind: WarningActionKind; warningId: string; formValue?: Record<string, unknown>; key: string },
): Promise<CardAnswer> {
  const db = deps.prisma;
  const w = await db.warning.findUnique({ where: { id: req.warningId }, include: { indicator: true, unit: true, period: { include: { cycle: true } } } });
  if (!w) return { toast: { type: 'warning', content: '找不到这条预警，请刷新后重试。' } };
  if (req.kind === 'open') return answerWithCard(db, w.id, { type: 'info', content: `${w.indicator.name} · ${w.unit.name}` });
  if (!(await mayAct(db, actor, w.indicatorId))) {
    return { toast: { type: 'error', content: '只有分管该指标的领导或经济运行例会办公室可以处理这条预警。' } };
  }
  const now = deps.clock.now();
  const label = periodLabel(w.period.cycle.frequency, w.period.periodKey);
  switch (req.kind) {
    case 'ack': {
      if (w.acknowledgedAt) return answerWithCard(db, w.id, { type: 'info', content: '已阅' });
      await db.$transaction(async (tx) => {
        await tx.warning.update({ where: { id: w.id }, data: { acknowledgedAt: now, acknowledgedById: actor.personId, ...(w.status === 'OPEN' ? { status: 'ACKNOWLEDGED' } : {}) } });
        await tx.warningEvent.create({ data: { warningId: w.id, fromStatus: w.status, toStatus: w.status === 'OPEN' ? 'ACKNOWLEDGED' : w.status, level: w.level, actorId: actor.personId, at: now, note: '已阅' } });
        await tx.auditLog.create({ data: { at: now, actorId: actor.personId, action: 'warning.ack', entity: 'Warning', entityId: w.id } });
      });
      return answerWithCard(db, w.id, { type: 'success', content: '已阅' });
    }
    case 'instruct': {
      const form = WarningInstructFormValue.safeParse(req.formValue ?? {});
      if (!form.success) return { toast: { type: 'warning', content: form.error.issues[0]?.message ?? '请填写批示内容' } };
      const codes = form.data.units.length ? form.data.units : [w.unit.code];
      const units = await db.unit.findMany({ where: { code: { in: codes }, active: true } });
      const outbound = await db.$transaction(async (tx) => {
        if (await tx.instruction.findUnique({ where: { requestKey: req.key } })) return [];
        const ins = await tx.instruction.create({ data: { warningId: w.id, authorId: actor.personId, text: form.data.instruction, unitIds: units.map((u) => u.id), at: now, requestKey: req.key } });
        await tx.warning.update({ where: { id: w.id }, data: { status: 'IN_PROGRESS', ...(w.acknowledgedAt ? {} : { acknowledgedAt: now, acknowledgedById: actor.personId }) } });
        await tx.warningEvent.create({ data: { warningId: w.id, fromStatus: w.status, toStatus: 'IN_PROGRESS', level: w.level, actorId: actor.personId, at: now, note: `批示：${form.data.instruction}` } });
        await tx.auditLog.create({ data: { at: now, actorId: actor.personId, action: 'warning.instruct', entity: 'Instruction', entityId: ins.id, data: { warning: w.id, units: codes } } });
        // The unit's liaison (or backup) and its head receive the instruction.
        const liaisons = await responsiblePeople(tx, units.map((u) => u.id), new Date(`${beijingDateOf(now)}T00:00:00Z`));
        const heads = await tx.unitRole.findMany({ where: { unitId: { in: units.map((u) => u.id) }, role: 'HEAD', active: true }, include: { person: true } });
        const ids: string[] = [];
        for (const u of units) {
          const to = [liaisons.get(u.id)?.openId, ...heads.filter((h) => h.unitId === u.id).map((h) => h.person.openId)].filter((x): x is string => !!x);
          for (const openId of new Set(to)) {
            const row = await addOutbound(tx, {
              kind: 'SEND',
              dedupeKey: `instruction-${ins.id}-${openId}`,
              receiveIdType: 'open_id',
              receiveId: openId,
              msgType: 'interactive',
              content: json(instructionCard({ leaderName: actor.name, indicatorName: w.indicator.name, unitName: u.name, periodLabel: label, text: form.data.instruction, at: beijingDateTime(now), reasons: (w.reasons as string[]).join('；') })),
            });
            if (row.created) ids.push(row.id);
          }
        }
        return ids;
      });
      return answerWithCard(db, w.id, { type: 'success', content: `批示已送达 ${units.map((u) => u.shortName ?? u.name).join('、')}` }, outbound);
    }
    case 'meeting':
    case 'interview': {
      const kind = req.kind === 'meeting' ? 'SPECIAL' : 'INTERVIEW';
      const title = kind === 'SPECIAL' ? `${w.indicator.name}专题会议` : `${w.unit.name}约谈`;
      const agenda = `${label} ${w.unit.name} ${w.indicator.name}：${(w.reasons as string[]).join('；')}`;
      const lead = w.indicator.leadUnitId ? await db.unit.findUnique({ where: { id: w.indicator.leadUnitId } }) : null;
      const attendees = [w.unit.name, ...(lead && lead.id !== w.unitId ? [lead.name] : [])];
      const outbound = await db.$transaction(async (tx) => {
        const existing = await tx.meeting.findUnique({ where: { requestKey: req.key } });
        if (existing) return [];
        // A proposal only: the organiser confirms before anything is scheduled (no meeting moves without consent).
        const m = await tx.meeting.create({
          data: { kind, title, agenda, status: 'PROPOSED', organiserId: actor.personId, unitId: w.unitId, periodId: w.periodId, warningId: w.id, startsAt: now, endsAt: now, requestKey: req.key },
        });
        await tx.auditLog.create({ data: { at: now, actorId: actor.personId, action: `warning.${req.kind}`, entity: 'Meeting', entityId: m.id, data: { warning: w.id } } });
        const ids: string[] = [];
        for (const o of await organisers(tx)) {
          const row = await addOutbound(tx, {
            kind: 'SEND',
            dedupeKey: `meeting-${m.id}-${o.id}`,
            receiveIdType: 'open_id',
            receiveId: o.openId!,
            msgType: 'interactive',
            content: json(meetingProposalCard({ kind, title, agenda, units: attendees, proposedBy: actor.name, warningId: w.id, meetingId: m.id })),
          });
          ids.push(row.id);
        }
        return ids;
      });
      return answerWithCard(db, w.id, { type: 'success', content: kind === 'SPECIAL' ? '已请例会办公室安排专题会议' : '已请例会办公室安排约谈' }, outbound);
    }
    case 'assign': {
      const form = WarningAssignFormValue.safeParse(req.formValue ?? {});
      if (!form.success) return { toast: { type: 'warning', content: form.error.issues[0]?.message ?? '请填写交办事项' } };
      if (form.data.due < beijingDateOf(now)) return { toast: { type: 'warning', content: '完成时限不能早于今天，请重新选择。' } };
      const unit = await db.unit.findUnique({ where: { code: form.data.unit } });
      if (!unit) return { toast: { type: 'warning', content: '请选择责任单位' } };
      const outbound = await db.$transaction(async (tx) => {
        const t = await createTask(tx, deps.clock, {
          title: form.data.title,
          description: `${label} ${w.unit.name} ${w.indicator.name}：${(w.reasons as string[]).join('；')}`,
          unitId: unit.id,
          dueDate: form.data.due,
          warningId: w.id,
          assignedById: actor.personId,
          requestKey: req.key,
        });
        if (t.created) {
          await tx.warning.update({ where: { id: w.id }, data: { status: 'IN_PROGRESS', ...(w.acknowledgedAt ? {} : { acknowledgedAt: now, acknowledgedById: actor.personId }) } });
          await tx.auditLog.create({ data: { at: now, actorId: actor.personId, action: 'warning.assign', entity: 'Task', entityId: t.taskId, data: { warning: w.id } } });
        }
        return t.outbound;
      });
      return answerWithCard(db, w.id, { type: 'success', content: `已交办 ${unit.shortName ?? unit.name}，完成时限 ${form.data.due}` }, outbound);
    }
  }
}

/** 「为什么 <指标> <单位>」: the light of the latest period with its reasons, and its recent history. */
export async function whyLight(db: Db, indicatorText: string, unitText: string): Promise<Card> {
  // Officials say 规上 for 规模以上: match either way.
  const short = (n: string) => n.replace('规模以上', '规上');
  const indicators = await db.indicator.findMany({ where: { active: true } });
  const ind =
    indicators.find((i) => i.code === indicatorText || i.name === indicatorText || short(i.name) === short(indicatorText)) ??
    indicators.find((i) => short(i.name).includes(short(indicatorText)));
  const unit = await db.unit.findFirst({ where: { active: true, OR: [{ code: unitText }, { name: unitText }, { shortName: unitText }, { name: { contains: unitText } }] } });
  if (!ind || !unit) {
    return noticeCard('没有找到', [!ind ? `没有名为「${indicatorText}」的指标。` : `没有名为「${unitText}」的单位。`, '请按「为什么 规上工业增加值 鞍东区」发送。'], 'orange');
  }
  const assignment = await db.assignment.findFirst({ where: { indicatorId: ind.id, unitId: unit.id, active: true }, include: { cycle: true } });
  if (!assignment) return noticeCard('没有这项指标', [`${unit.name} 不报送「${ind.name}」。`], 'grey');
  const warnings = await db.warning.findMany({
    where: { indicatorId: ind.id, unitId: unit.id, period: { cycleId: assignment.cycleId } },
    include: { period: true },
    orderBy: { period: { endDate: 'desc' } },
    take: 6,
  });
  const latestPeriod = await db.reportingPeriod.findFirst({ where: { cycleId: assignment.cycleId, status: { in: ['OPEN', 'CLOSED'] } }, orderBy: { endDate: 'desc' } });
  const latest = warnings[0];
  const history = [...warnings].reverse().map((w) => ({ period: periodLabel(assignment.cycle.frequency, w.period.periodKey), level: w.level }));
  if (!latest || (latestPeriod && latest.periodId !== latestPeriod.id)) {
    return whyCard({ indicatorName: ind.name, unitName: unit.name, periodLabel: latestPeriod ? periodLabel(assignment.cycle.frequency, latestPeriod.periodKey) : '本期', status: 'NOT_REPORTED', reasons: ['本期尚未报送，暂不评灯。'], history });
  }
  return whyCard({
    indicatorName: ind.name,
    unitName: unit.name,
    periodLabel: periodLabel(assignment.cycle.frequency, latest.period.periodKey),
    status: 'LIT',
    level: latest.level,
    reasons: latest.reasons as string[],
    vintageLabel: latest.vintage === 'OFFICIAL' ? '正式数据' : '快报',
    history,
  });
}

/**
 * An escalation step of an unacknowledged red: 1 = urgent buzz on the leader's digest, 2 = the principal
 * leader and the organiser told, 3 = pushed again (the caller re-sends the digest). Nothing once
 * acknowledged or no longer red. Returns the outbox ids and whether to repeat the digest.
 */
export async function escalateWarning(deps: WarningsDeps, p: { warningId: string; step: number }): Promise<{ outbound: string[]; repeat: boolean }> {
  const db = deps.prisma;
  const now = deps.clock.now();
  const w = await db.warning.findUnique({ where: { id: p.warningId }, include: { indicator: true, unit: true, period: { include: { cycle: true } } } });
  if (!w || w.level !== 'RED' || w.acknowledgedAt || w.status === 'RESOLVED' || w.escalationStep >= p.step) return { outbound: [], repeat: false };
  const ids: string[] = [];
  if (p.step === 1 && w.lastDigestKey) {
    // The buzz goes on the digest the leaders already have, so the red itself is what rings.
    const leaders = await db.person.findMany({ where: { active: true, leader: { active: true, domains: { some: { active: true, indicators: { some: { indicatorId: w.indicatorId } } } } } } });
    for (const l of leaders) {
      const digest = await db.outboundMessage.findUnique({ where: { dedupeKey: `${w.lastDigestKey}-${l.id}` } });
      if (!digest?.feishuMessageId || !l.openId) continue;
      const row = await addOutbound(db, { kind: 'URGENT', dedupeKey: `buzz-${w.id}-${w.lastDigestKey}-${l.id}`, targetMessageId: digest.feishuMessageId, content: { userIds: [l.openId] } });
      if (row.created) ids.push(row.id);
    }
  }
  if (p.step === 2) {
    const people = await db.person.findMany({
      where: { active: true, openId: { not: null }, OR: [{ leader: { active: true, rank: 'PRINCIPAL' } }, { roles: { some: { role: 'ORGANISER', active: true } } }] },
    });
    const label = periodLabel(w.period.cycle.frequency, w.period.periodKey);
    for (const person of people) {
      const row = await addOutbound(db, {
        kind: 'SEND',
        dedupeKey: `redesc-${w.id}-${person.id}`,
        receiveIdType: 'open_id',
        receiveId: person.openId!,
        msgType: 'interactive',
        content: json(noticeCard('红灯预警尚未处理', [`${label} ${w.unit.name} ${w.indicator.name} 为红灯，分管领导尚未阅示。`, `原因：${(w.reasons as string[]).join('；')}`], 'red')),
      });
      if (row.created) ids.push(row.id);
    }
  }
  await db.warning.update({ where: { id: w.id }, data: { escalationStep: p.step } });
  await db.auditLog.create({ data: { at: now, action: 'warning.escalate', entity: 'Warning', entityId: w.id, data: { step: p.step } } });
  return { outbound: ids, repeat: p.step === 3 };
}

/** The organiser confirms (the meeting is to be scheduled) or declines a proposal from a warning. */
export async function decideMeeting(deps: WarningsDeps, actor: Actor, meetingId: string, confirm: boolean): Promise<CardAnswer> {
  if (!actor.roles.some((r) => r.role === 'ORGANISER')) return { toast: { type: 'error', content: '只有经济运行例会办公室可以安排会议。' } };
  const m = await deps.prisma.meeting.findUnique({ where: { id: meetingId }, include: { organiser: true } });
  if (!m) return { toast: { type: 'warning', content: '找不到这项会议安排。' } };
  if (m.status !== 'PROPOSED') return { toast: { type: 'info', content: m.status === 'CANCELLED' ? '该安排已取消' : '该安排已确认' } };
  const now = deps.clock.now();
  const outbound = await deps.prisma.$transaction(async (tx) => {
    await tx.meeting.update({ where: { id: m.id }, data: { status: confirm ? 'SCHEDULED' : 'CANCELLED' } });
    await tx.auditLog.create({ data: { at: now, actorId: actor.personId, action: confirm ? 'meeting.confirm' : 'meeting.decline', entity: 'Meeting', entityId: m.id } });
    if (!m.organiser?.openId || m.organiser.id === actor.personId) return [];
    const row = await addOutbound(tx, {
      kind: 'SEND',
      dedupeKey: `meeting-decided-${m.id}`,
      receiveIdType: 'open_id',
      receiveId: m.organiser.openId,
      msgType: 'interactive',
      content: json(noticeCard(confirm ? '会议已确认安排' : '会议暂不安排', [`「${m.title}」${confirm ? `已由 ${actor.name} 确认，时间和参会单位将另行通知。` : `经 ${actor.name} 研究，暂不安排。`}`], confirm ? 'green' : 'grey')),
    });
    return [row.id];
  });
  const card = noticeCard(confirm ? '已确认安排' : '已暂不安排', [`「${m.title}」${confirm ? '已确认，请在会议日程中安排时间。' : '暂不安排，已告知提议人。'}`], confirm ? 'green' : 'grey');
  return { toast: { type: 'success', content: confirm ? '已确认' : '已暂不安排' }, card, outbound };
}
