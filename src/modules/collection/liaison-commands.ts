// Domain: what a unit's people ask for in chat — 报送 (my cards), 状态 (my unit's status), 请假 (the
// backup covers my unit on those days).
import { beijingDateTime } from '../../platform/business-time.ts';
import type { Card } from '../../../cards/card.ts';
import { unitStatusCard, type UnitStatusPeriod } from '../../../cards/collection-status.ts';
import { noticeCard } from '../../../cards/collection-admin.ts';
import { beijingDateOf } from '../calendar/work-calendar.ts';
import type { CollectionMessage } from '../../commands/command.ts';
import type { Outcome, UseCase } from '../shared/outcome.ts';
import { asDate, dayOf, type DayRef } from '../shared/dates.ts';
import { reply } from '../shared/results.ts';
import { memberUnits } from '../shared/roles.ts';
import { periodLabel } from './schedule.ts';
import { assignedIndicators } from './collection.repo.ts';
import { deadlineOf, dueTextOf, effectiveDueDate } from './deadlines.ts';
import { formCardsOf } from './form-cards.ts';
import { dayText } from './leave.ts';

type Cmd<K extends CollectionMessage['kind']> = Extract<CollectionMessage, { kind: K }>;

const notice = (title: string, lines: string[], template: Parameters<typeof noticeCard>[2] = 'blue'): Outcome => reply(noticeCard(title, lines, template));

export const noSuchDay = (ref: DayRef): Outcome => notice('日期有误', [`${'month' in ref ? `${ref.month}月${ref.day}日` : '该日期'}不存在，请检查后重新发送。`], 'orange');

/** 报送: the form cards of every open period of my units. */
export const myCards: UseCase<Cmd<'report.cards'>> = async (_cmd, { tx, actor }) => {
  const units = memberUnits(actor);
  if (!units.length) return notice('没有需要报送的单位', ['您尚未登记为任何单位的联络员、备用联络员或主要负责人。如有疑问，请联系经济运行例会办公室。'], 'grey');
  const reports = await tx.unitReport.findMany({
    where: { unitId: { in: units }, period: { status: 'OPEN' } },
    include: { period: { include: { cycle: true } }, unit: true },
    orderBy: [{ period: { dueDate: 'desc' } }],
  });
  if (!reports.length) {
    // A period closed with the unit not done is said so, with the way to a late submission.
    const closed = await tx.unitReport.findFirst({ where: { unitId: { in: units }, status: 'PENDING', period: { status: 'CLOSED' } }, include: { period: { include: { cycle: true } }, unit: true }, orderBy: { period: { dueDate: 'desc' } } });
    const lines = ['本单位目前没有正在进行的报送。报送开始时，您会收到填报卡片。', '发送「状态」可查看本单位的报送情况。'];
    if (closed) lines.splice(1, 0, `${closed.unit.name} ${periodLabel(closed.period.cycle.frequency, closed.period.periodKey)}：未报送（已关闭）。如需补报，请发送「状态」并点击「申请补报」，经例会办公室审批后生效。`);
    return notice('当前没有开放的报送', lines, 'grey');
  }
  const cards: Card[] = [];
  for (const { period, unit, ...report } of reports) {
    const { cycle, ...p } = period;
    cards.push(...(await formCardsOf(tx, { report, period: p, cycle, unit })));
  }
  return { replies: cards };
};

function statusOf(submitted: number, done: boolean, late: boolean, closed: boolean): UnitStatusPeriod['status'] {
  if (done) return 'submitted';
  // Closed before the unit was done: 未报送（已关闭）, whatever the deadline said.
  if (closed) return submitted > 0 ? 'closed-partly' : 'closed-missing';
  if (late) return 'late';
  return submitted > 0 ? 'partly' : 'not-reported';
}

/** 状态: my unit's status in each cycle's current period. */
export const myStatus: UseCase<Cmd<'report.status'>> = async (_cmd, { tx, actor, now }) => {
  const units = memberUnits(actor);
  if (!units.length) return notice('没有需要报送的单位', ['您尚未登记为任何单位的联络员、备用联络员或主要负责人。'], 'grey');
  const cards: Card[] = [];
  for (const unitId of units) {
    const unit = await tx.unit.findUniqueOrThrow({ where: { id: unitId } });
    const reports = await tx.unitReport.findMany({
      where: { unitId, period: { status: { in: ['OPEN', 'CLOSED'] } } },
      include: { period: { include: { cycle: true } } },
      orderBy: { period: { dueDate: 'desc' } },
    });
    // The latest period of each cycle.
    const latest = new Map<string, (typeof reports)[number]>();
    for (const r of reports) if (!latest.has(r.period.cycleId)) latest.set(r.period.cycleId, r);
    const periods: UnitStatusPeriod[] = [];
    for (const r of latest.values()) {
      const total = (await assignedIndicators(tx, r.period.cycleId, unitId, r.period.periodKey)).length;
      const submitted = await tx.submission.count({ where: { periodId: r.periodId, unitId } });
      const b = { report: r, period: r.period, cycle: r.period.cycle };
      const late = now > deadlineOf(r.period.cycle, effectiveDueDate(b));
      const closed = r.period.status === 'CLOSED';
      const status = statusOf(submitted, r.status === 'SUBMITTED', late, closed);
      periods.push({
        cycleName: r.period.cycle.name,
        periodLabel: periodLabel(r.period.cycle.frequency, r.period.periodKey),
        dueText: closed && status !== 'submitted' ? `已于 ${beijingDateTime(r.period.closedAt ?? now)} 关闭` : dueTextOf(b),
        status,
        submitted,
        total,
        ...(r.lastSubmittedAt ? { lastSubmittedAt: beijingDateTime(r.lastSubmittedAt) } : {}),
        // Open: 去填报; closed and not done: 申请补报 (the form in late-submit mode).
        ...(r.period.status === 'OPEN' || status !== 'submitted' ? { reportId: r.id } : {}),
      });
    }
    const leave = await tx.leave.findFirst({
      where: { personId: actor.personId, cancelledAt: null, endDate: { gte: asDate(beijingDateOf(now)) } },
      orderBy: { startDate: 'asc' },
    });
    cards.push(unitStatusCard({ unitName: unit.name, periods, ...(leave ? { onLeave: `${dayText(dayOf(leave.startDate))} 至 ${dayText(dayOf(leave.endDate))}（发送「取消请假」可撤销）` } : {}) }));
  }
  return { replies: cards };
};
