// Lights: a warning's detail card as it stands — the figure, the trend of the last 12 periods, the
// peers' average, the target, the units concerned, instructions and tasks so far.
import type { Indicator } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import { beijingDateTime } from '../../platform/business-time.ts';
import { warningCard, type WarningCardView } from '../../../cards/warning.ts';
import type { Card } from '../../../cards/card.ts';
import { formatGrowth, targetFor } from '../collection/collection.repo.ts';
import { figureWords, unitSeries } from './parent-figures.ts';
import { lastYearKey, periodLabel, previousPeriodKey } from '../collection/schedule.ts';
import { peerReferences } from './peer-reference.ts';
import { formatValue } from '../shared/numbers.ts';
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
  // A parent's light (a city over its districts) shows its own figure or its members' total.
  const series = await unitSeries(db, cycle, w.unitId, w.indicator, keys);
  const now = series.get(w.period.periodKey);
  const shown = figureWords(now, w.indicator);
  const targets = await db.target.findMany({ where: { unitId: w.unitId, indicatorId: w.indicatorId, active: true } });
  const target = targetFor(targets, w.indicatorId, w.unitId, cycle.frequency, w.period.periodKey);
  // What the unit is compared with, as its light was: 全市增速 (the parent's own figure or its total), else the
  // siblings' weighted growth, else their plain mean (peer-reference.ts, the same choice as the rules).
  const lastYear = await db.reportingPeriod.findFirst({ where: { cycleId: cycle.id, periodKey: lastYearKey(cycle.frequency, w.period.periodKey) }, select: { id: true } });
  const reference = (await peerReferences(db, { cycleId: cycle.id, periodId: w.periodId, lastYearPeriodId: lastYear?.id ?? null, unit: w.unit, indicators: [w.indicator] })).get(w.indicatorId);
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
    value: shown.value,
    growth: shown.growth,
    targetPace: target !== null ? `目标进度 ${formatGrowth(target)}` : null,
    cityAverage: reference ? `${reference.label} ${referenceFigure(reference.value, w.indicator)}` : null,
    reasons: w.reasons as string[],
    vintageLabel: w.vintage === 'OFFICIAL' ? '正式数据' : '快报',
    trend: keys.map((k) => ({ period: k, growth: series.get(k)?.growthPct ?? null })),
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

/** A growth as '+4.4%'; an indicator judged on its value (失业率) as '5.2%' or '1,234.50 亿元'. */
function referenceFigure(x: number, ind: Pick<Indicator, 'growthBasis' | 'decimals' | 'measureUnit'>): string {
  if (ind.growthBasis !== 'NONE') return formatGrowth(x)!;
  return ind.measureUnit === '%' ? `${formatValue(x, 1)}%` : `${formatValue(x, ind.decimals)} ${ind.measureUnit}`;
}
