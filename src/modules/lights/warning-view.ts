// Lights: a warning's detail card as it stands — the figure, the trend of the last 12 periods, the
// peers' average, the target, the units concerned, instructions and tasks so far.
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import { beijingDateTime } from '../../platform/business-time.ts';
import { warningCard, type WarningCardView } from '../../../cards/warning.ts';
import type { Card } from '../../../cards/card.ts';
import { figuresInForce, figureKey, formatGrowth, formatLevel, targetFor } from '../collection/collection.repo.ts';
import { periodLabel, previousPeriodKey } from '../collection/schedule.ts';
import type { Actor } from '../people/people.service.ts';
import { whoMayAct } from './warning-access.ts';
import { replyView } from './instruction-view.ts';

type Db = PrismaClient | Tx;
const TASK_STATE: Record<string, string> = { OPEN: '待办理', IN_PROGRESS: '办理中', AWAITING_CLOSE: '待销号', DONE: '已销号', CANCELLED: '已取消' };

/** The detail card of a warning, as it stands; with a viewer, only the actions that person may use. */
export async function warningView(db: Db, warningId: string, viewer?: Actor): Promise<WarningCardView | null> {
  const w = await db.warning.findUnique({
    where: { id: warningId },
    include: {
      indicator: true,
      unit: true,
      period: { include: { cycle: true } },
      acknowledgedBy: true,
      instructions: { include: { author: true, replies: { include: { unit: true, author: true }, orderBy: { at: 'asc' } } }, orderBy: { at: 'asc' } },
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
  const addressed = await db.unit.findMany({ where: { id: { in: [...new Set(w.instructions.flatMap((i) => i.unitIds))] } }, orderBy: [{ sortOrder: 'asc' }, { code: 'asc' }] });
  const powers = viewer ? await whoMayAct(db, viewer, w) : null;
  const units = [w.unit, ...assigned.map((a) => a.unit).filter((u) => u.id !== w.unitId)].map((u) => ({ code: u.code, name: u.shortName ?? u.name }));
  return {
    warningId: w.id,
    indicatorName: w.indicator.name,
    unitName: w.unit.name,
    periodLabel: periodLabel(cycle.frequency, w.period.periodKey),
    level: w.level,
    status: w.status,
    value: now ? formatLevel(now.value, w.indicator.decimals, w.indicator.measureUnit) : '—',
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
    instructions: w.instructions.map((i) => {
      const answered = new Set(i.replies.map((r) => r.unitId));
      return {
        by: i.author.name,
        at: beijingDateTime(i.at),
        text: i.text,
        replies: i.replies.map(replyView),
        pending: addressed.filter((u) => i.unitIds.includes(u.id) && !answered.has(u.id)).map((u) => u.shortName ?? u.name),
      };
    }),
    tasks: w.tasks.map((t) => ({ title: t.title, unitName: t.unit.name, due: t.dueDate.toISOString().slice(0, 10), state: taskState(t) })),
    ...(powers && !powers.act ? { mayAct: false } : {}),
  };
}

/** '待办理', '办理中 50%', '待销号', '已销号'. */
function taskState(t: { status: string; progress: number }): string {
  const words = TASK_STATE[t.status] ?? t.status;
  return t.status === 'IN_PROGRESS' ? `${words} ${t.progress}%` : words;
}

/**
 * The warning's card, or none when the warning is gone. With a viewer (the person it is shown to), the
 * leaders' actions appear only for those who may use them; without one, all of them (a leader's card).
 */
export async function warningCardOf(db: Db, warningId: string, viewer?: Actor): Promise<Card | undefined> {
  const view = await warningView(db, warningId, viewer);
  return view ? warningCard(view) : undefined;
}
