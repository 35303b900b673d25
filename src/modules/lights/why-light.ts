// Lights: 「为什么 <指标> <单位> [期别]」 — a light with its figures and reasons (by default the latest period
// that has one), for a reporting unit or for a parent whose light is its own figure or its members' total.
import type { Indicator, ReportingCycle, Unit } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import type { Card } from '../../../cards/card.ts';
import { whyCard } from '../../../cards/warning.ts';
import { noticeCard } from '../../../cards/collection-admin.ts';
import { beijingDate } from '../../platform/business-time.ts';
import { lastYearKey, periodLabel } from '../collection/schedule.ts';
import { figuresInForce, figureKey } from '../collection/collection.repo.ts';
import { resolvePeriodRef, type PeriodRef } from '../shared/period-ref.ts';
import { findUnitByName } from '../shared/units.ts';
import { figureWords, membersOf, summable, unitFigure, type ParentMember } from './parent-figures.ts';
import { impliedBase } from './rules.ts';

type Db = PrismaClient | Tx;

/** Lights listed on the card, the latest last. */
const HISTORY = 12;
/** Periods named when saying which ones have a light. */
const LIT_NAMED = 6;
/** Members named when saying who has not reported. */
const MEMBERS_NAMED = 8;

export interface WhyRequest {
  indicator: string;
  unit: string;
  period?: PeriodRef;
}

/** 「为什么 <指标> <单位> [期别]」: the light of that period (default: the latest that has one) with its figures and reasons. */
export async function whyLight(db: Db, req: WhyRequest, now: Date): Promise<Card> {
  // Officials say 规上 for 规模以上: match either way.
  const short = (n: string) => n.replace('规模以上', '规上');
  const indicators = await db.indicator.findMany({ where: { active: true } });
  const ind =
    indicators.find((i) => i.code === req.indicator || i.name === req.indicator || short(i.name) === short(req.indicator)) ??
    indicators.find((i) => short(i.name).includes(short(req.indicator)));
  if (!ind) return noticeCard('没有找到', [`没有名为「${req.indicator}」的指标。`, '请按「为什么 规上工业增加值 鞍东区」发送。'], 'orange');
  // An exact name first: 「鞍江市」 is the city, not 鞍江市商务局.
  const found = await findUnitByName(db, req.unit, '为什么 规上工业增加值 鞍东区');
  if (!found.ok) return noticeCard('没有找到', [found.message], 'orange');
  const unit = await db.unit.findUniqueOrThrow({ where: { id: found.unit.id } });
  // A unit reports the indicator itself, or is the parent of units that do (its light is their total).
  const own = await db.assignment.findFirst({ where: { indicatorId: ind.id, unitId: unit.id, active: true }, include: { cycle: true } });
  const child = own ? null : await db.assignment.findFirst({ where: { indicatorId: ind.id, active: true, unit: { parentId: unit.id, active: true } }, include: { cycle: true } });
  const cycle = (own ?? child)?.cycle;
  if (!cycle) return noticeCard('没有这项指标', [`${unit.name} 不报送「${ind.name}」，其下级单位也不报送。`], 'grey');
  const members = own ? [] : await membersOf(db, cycle.id, unit.id, ind.id);

  const label = (key: string) => periodLabel(cycle.frequency, key);
  const warnings = await db.warning.findMany({
    where: { indicatorId: ind.id, unitId: unit.id, period: { cycleId: cycle.id } },
    include: { period: true },
    orderBy: { period: { endDate: 'desc' } },
  });
  const history = warnings.slice(0, HISTORY).reverse().map((w) => ({ period: label(w.period.periodKey), level: w.level }));
  const latestPeriod = await db.reportingPeriod.findFirst({ where: { cycleId: cycle.id, status: { in: ['OPEN', 'CLOSED'] } }, orderBy: { endDate: 'desc' } });

  let key: string;
  if (req.period) {
    const r = resolvePeriodRef(req.period, cycle.frequency, latestPeriod?.periodKey ?? null, Number(beijingDate(now).slice(0, 4)));
    if (!r.ok) return noticeCard('期别有误', [r.message], 'orange');
    key = r.key;
  } else if (warnings[0]) {
    key = warnings[0].period.periodKey;
  } else if (latestPeriod) {
    key = latestPeriod.periodKey;
  } else {
    return whyCard({ indicatorName: ind.name, unitName: unit.name, periodLabel: '本期', status: 'NO_LIGHT', reasons: ['尚未开始报送，暂无灯色。'], history });
  }

  const lit = warnings.find((w) => w.period.periodKey === key);
  if (lit) {
    const figure = figureWords(await unitFigure(db, cycle, unit.id, ind, key), ind);
    return whyCard({
      indicatorName: ind.name,
      unitName: unit.name,
      periodLabel: label(key),
      status: 'LIT',
      level: lit.level,
      figures: `${ind.valueKind === 'CUMULATIVE' ? '累计' : '本期'} ${figure.value}，同比 ${figure.growth}`,
      reasons: lit.reasons as string[],
      vintageLabel: lit.vintage === 'OFFICIAL' ? '正式数据' : '快报',
      history,
    });
  }

  // No light for that period: say what is missing, and which periods have one.
  const missing = await whatIsMissing(db, { cycle, unit, ind, members, key, reports: !!own });
  const litLabels = warnings.slice(0, LIT_NAMED).map((w) => label(w.period.periodKey));
  const where = litLabels.length
    ? `有灯色的期别：${litLabels.join('、')}${warnings.length > LIT_NAMED ? ` 等 ${warnings.length} 期` : ''}。可发送「为什么 ${short(ind.name)} ${unit.shortName ?? unit.name} ${shortLabel(cycle.frequency, warnings[0]!.period.periodKey)}」查看。`
    : `${unit.shortName ?? unit.name}「${ind.name}」尚无任何灯色。`;
  return whyCard({
    indicatorName: ind.name,
    unitName: unit.name,
    periodLabel: label(key),
    status: missing.notReported ? 'NOT_REPORTED' : 'NO_LIGHT',
    reasons: [missing.text, where],
    history,
  });
}

/** '10月', '三季度': how the period is typed back to 为什么. */
function shortLabel(frequency: ReportingCycle['frequency'], key: string): string {
  if (frequency === 'MONTHLY') return `${key.slice(0, 4)}年${Number(key.slice(5))}月`;
  if (frequency === 'QUARTERLY') return `${key.slice(0, 4)}年${['一', '二', '三', '四'][Number(key.slice(6)) - 1]}季度`;
  return key;
}

/** Why a period has no light, in words; `notReported` when the unit's own figure is what is missing. */
async function whatIsMissing(
  db: Db,
  q: { cycle: ReportingCycle; unit: Unit; ind: Indicator; members: ParentMember[]; key: string; reports: boolean },
): Promise<{ text: string; notReported: boolean }> {
  const { cycle, unit, ind, members, key } = q;
  const label = periodLabel(cycle.frequency, key);
  const name = unit.shortName ?? unit.name;
  const period = await db.reportingPeriod.findUnique({ where: { cycleId_periodKey: { cycleId: cycle.id, periodKey: key } } });
  if (!period || period.status === 'PLANNED') return { text: `${label} 尚未开始报送，暂无灯色。`, notReported: false };
  const own = (await figuresInForce(db, [period.id], [unit.id])).get(figureKey(period.id, unit.id, ind.id));
  if (q.reports) {
    return own ? { text: `${name} 已报送 ${label} 数据，但该期尚未评灯。`, notReported: false } : { text: `${name} 尚未报送 ${label} 数据，暂无灯色。`, notReported: true };
  }
  if (own) return { text: `已有${name} ${label} 本级数据，但该期尚未评灯。`, notReported: false };
  if (!summable(ind) || members.length < 2) {
    return { text: `${name} 没有 ${label} 本级数据；「${ind.name}」不按下级单位汇总，暂无灯色。`, notReported: false };
  }
  // The parent's light is its members' total: every member this period, each with a growth that implies its
  // base or with last year's figure (baseSql).
  const ly = await db.reportingPeriod.findUnique({ where: { cycleId_periodKey: { cycleId: cycle.id, periodKey: lastYearKey(cycle.frequency, key) } } });
  const ids = members.map((m) => m.id);
  const figures = await figuresInForce(db, ly ? [period.id, ly.id] : [period.id], ids);
  const lacking = (pid: string) => members.filter((m) => !figures.has(figureKey(pid, m.id, ind.id))).map((m) => m.name);
  const names = (xs: string[]) => `${xs.slice(0, MEMBERS_NAMED).join('、')}${xs.length > MEMBERS_NAMED ? ` 等 ${xs.length} 个` : ''}`;
  const now = lacking(period.id);
  if (now.length) return { text: `${name} 的灯色按 ${members.length} 个下级单位汇总，${label} 尚缺 ${now.length} 个单位的数据：${names(now)}。全部报送后研判。`, notReported: false };
  const implied = (m: ParentMember) => {
    const f = figures.get(figureKey(period.id, m.id, ind.id));
    return !!f && impliedBase(f.value === null ? null : Number(f.value), f.growthPct === null ? null : Number(f.growthPct)) !== null;
  };
  const base = members.filter((m) => !implied(m) && !(ly && figures.has(figureKey(ly.id, m.id, ind.id)))).map((m) => m.name);
  if (base.length) return { text: `${name} ${label} 已汇总，但缺少增速和上年同期数据（${names(base)}），无法计算汇总增速，暂无灯色。`, notReported: false };
  return { text: `${name} ${label} 各单位数据已齐，但该期尚未评灯。`, notReported: false };
}
