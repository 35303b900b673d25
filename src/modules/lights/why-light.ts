// Lights: 「为什么 <指标> <单位>」 — the light of the latest period with its reasons, and its recent history.
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import type { Card } from '../../../cards/card.ts';
import { whyCard } from '../../../cards/warning.ts';
import { noticeCard } from '../../../cards/collection-admin.ts';
import { periodLabel } from '../collection/schedule.ts';

type Db = PrismaClient | Tx;

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

