// Domain: official figures (统计局 正式数据) imported by the organiser from a file as bureaus export it. Each
// figure becomes an OFFICIAL revision that supersedes the flash figure without overwriting it. A row is
// imported whole or not at all, the whole file in one transaction; every refused row says why.
import { Prisma, type Indicator, type PrismaClient, type ReportingCycle, type ReportingPeriod, type Unit } from '../../generated/prisma/client.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Actor } from '../people/people.service.ts';
import type { Card } from '../../../cards/card.ts';
import { noticeCard } from '../../../cards/collection-admin.ts';
import { parseOfficialFile, ImportFileError, withoutMeasureNote, type ImportIssue, type OfficialRow } from './excel.ts';
import { isPeriodKey, lastYearKey, periodLabel } from './schedule.ts';
import { figureKey, figuresInForce } from './collection.repo.ts';
import { storeFigures } from './revisions.ts';
import { parsePeriodLabel, periodKeyOf } from './period-label.ts';

export interface ImportSummary {
  /** Figures stored as new official revisions. */
  imported: number;
  /** Figures already in force as official (the same file again). */
  unchanged: number;
  issues: ImportIssue[];
  /** Rows of the file not imported (each listed in `issues`). */
  failedRows: number;
  periods: string[];
  /** Period ids with figures imported, for the lights. */
  periodIds: string[];
}

/** The parent's own row in a bureau's table. */
const PARENT_WORDS = new Set(['全市', '全省', '全县', '全区', '全州', '全盟', '合计', '总计', '全市合计', '全省合计', '全县合计', '全区合计', '全州合计']);

/** Names compared as officials read them: NFKC on both sides, no spaces (bureaus pad 鞍 东 区). */
export const nameKey = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
/** Indicator names also as bureaus shorten them: 规模以上 = 规上, 限额以上 = 限上. */
const indicatorKey = (s: string) => nameKey(s).replace(/规模以上/g, '规上').replace(/限额以上/g, '限上');
const withoutNotes = (s: string) => indicatorKey(withoutMeasureNote(s));

interface Planned {
  rowNo: number;
  unit: Unit;
  ind: Indicator;
  cycle: ReportingCycle;
  period: ReportingPeriod;
  /** false: the parent's figure for an indicator its members report (no report of its own). */
  assigned: boolean;
  value: string | null;
  growthPct: string | null;
  derived: boolean;
}

/** Growth-only indicators (no level) come with the "growth" part of issue 11: read if the column exists. */
const growthOnly = (ind: Indicator) => (ind as unknown as { growthOnly?: unknown }).growthOnly === true;

/** Whether a revision may be stored without a value (a growth rate alone). */
async function valueMayBeEmpty(db: PrismaClient): Promise<boolean> {
  const rows = await db.$queryRaw<{ nullable: string }[]>`
    SELECT is_nullable AS nullable FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = 'SubmissionRevision' AND column_name = 'value'`;
  return rows[0]?.nullable === 'YES';
}

export async function importOfficial(
  deps: { prisma: PrismaClient; clock: Clock },
  actor: Actor,
  file: { bytes: Buffer; fileName: string; requestKey: string },
): Promise<{ summary: ImportSummary | null; card: Card }> {
  if (!actor.roles.some((r) => r.role === 'ORGANISER')) {
    return { summary: null, card: noticeCard('无法导入', ['只有经济运行例会办公室可以导入正式数据。'], 'grey') };
  }
  let parsed;
  try {
    parsed = await parseOfficialFile(file.bytes, file.fileName);
  } catch (err) {
    if (err instanceof ImportFileError) return { summary: null, card: noticeCard('文件无法读取', [err.message], 'orange') };
    throw err;
  }
  const db = deps.prisma;
  const now = deps.clock.now();
  const [units, indicators, emptyValueOk] = await Promise.all([db.unit.findMany({ where: { active: true } }), db.indicator.findMany({ where: { active: true } }), valueMayBeEmpty(db)]);

  const unitsByName = new Map<string, Unit[]>();
  for (const u of units) {
    for (const n of new Set([u.code, u.name, u.shortName, ...u.aliases].filter((x): x is string => !!x).map(nameKey))) unitsByName.set(n, [...(unitsByName.get(n) ?? []), u]);
  }
  const indicatorByName = new Map<string, Indicator>();
  for (const i of indicators) for (const n of [i.code, i.name]) indicatorByName.set(indicatorKey(n), i);
  for (const i of indicators) if (!indicatorByName.has(withoutNotes(i.name))) indicatorByName.set(withoutNotes(i.name), i);
  const findIndicator = (s: string) => indicatorByName.get(indicatorKey(s)) ?? indicatorByName.get(withoutNotes(s));

  // The parent of the file (全市 / 合计): the unit above the units the file names.
  const votes = new Map<string, number>();
  for (const row of parsed.rows) {
    const found = PARENT_WORDS.has(nameKey(row.unit)) ? undefined : unitsByName.get(nameKey(row.unit));
    if (found?.length === 1 && found[0]!.parentId) votes.set(found[0]!.parentId, (votes.get(found[0]!.parentId) ?? 0) + 1);
  }
  const roots = units.filter((u) => !u.parentId);
  const parentId = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? (roots.length === 1 ? roots[0]!.id : null);
  const fileParent = units.find((u) => u.id === parentId) ?? null;

  // The cycle a unit reports an indicator in; a parent takes its members' (its figure is theirs summed up).
  const cycleCache = new Map<string, { cycle: ReportingCycle; assigned: boolean } | null>();
  const cycleOf = async (unit: Unit, ind: Indicator) => {
    const k = `${unit.id}|${ind.id}`;
    if (!cycleCache.has(k)) {
      const own = await db.assignment.findFirst({ where: { unitId: unit.id, indicatorId: ind.id, active: true }, include: { cycle: true } });
      const members = own ? null : await db.assignment.findFirst({ where: { indicatorId: ind.id, active: true, unit: { parentId: unit.id, active: true } }, include: { cycle: true } });
      cycleCache.set(k, own ? { cycle: own.cycle, assigned: true } : members ? { cycle: members.cycle, assigned: false } : null);
    }
    return cycleCache.get(k)!;
  };
  const latestCache = new Map<string, ReportingPeriod | null>();
  const latestOf = async (cycleId: string) => {
    if (!latestCache.has(cycleId)) latestCache.set(cycleId, await db.reportingPeriod.findFirst({ where: { cycleId, status: { in: ['OPEN', 'CLOSED'] } }, orderBy: { endDate: 'desc' } }));
    return latestCache.get(cycleId)!;
  };
  const periodCache = new Map<string, ReportingPeriod | null>();
  const periodAt = async (cycleId: string, key: string) => {
    const k = `${cycleId}|${key}`;
    if (!periodCache.has(k)) periodCache.set(k, await db.reportingPeriod.findUnique({ where: { cycleId_periodKey: { cycleId, periodKey: key } } }));
    return periodCache.get(k)!;
  };

  /** The period a row names for its indicator's cycle, or why none. */
  const periodOf = async (row: OfficialRow, cycle: ReportingCycle, ind: Indicator): Promise<ReportingPeriod | string> => {
    const latest = await latestOf(cycle.id);
    if (!row.period) return latest ?? '没有写报告期，且该指标尚无已开始的报告期，请在「期别」列写明（如 2026年1-10月）';
    if (isPeriodKey(cycle.frequency, row.period)) return (await periodAt(cycle.id, row.period)) ?? `报告期「${row.period}」尚未建立，无法导入`;
    const span = parsePeriodLabel(row.period);
    if (!span) return `看不懂报告期「${row.period}」，请写成 2026年1-10月、10月、2026-10 或 一季度`;
    // A label without a year (1-3月): the title's year, else the latest period's (a later month is last year's).
    let year = parsed.year;
    if (year === null && latest) {
      const [y, rest] = latest.periodKey.split('-') as [string, string];
      const lastMonth = rest.startsWith('Q') ? Number(rest.slice(1)) * 3 : Number(rest);
      year = span.to > lastMonth ? Number(y) - 1 : Number(y);
    }
    if (year === null) return `报告期「${row.period}」没有年份，请写成 2026年${row.period}`;
    const key = periodKeyOf(span, cycle, ind, year);
    if ('error' in key) return `报告期「${row.period}」${key.error}`;
    return (await periodAt(cycle.id, key.key)) ?? `${periodLabel(cycle.frequency, key.key)}的报告期尚未建立，无法导入`;
  };

  const summary: ImportSummary = { imported: 0, unchanged: 0, issues: [...parsed.issues], failedRows: 0, periods: [], periodIds: [] };
  const unknownColumns = new Set(parsed.columns.filter((c) => !findIndicator(c)));
  const planned: Planned[] = [];
  const notReported: string[] = [];
  const byRow = new Map<number, OfficialRow[]>();
  for (const row of parsed.rows) byRow.set(row.rowNo, [...(byRow.get(row.rowNo) ?? []), row]);
  for (const [rowNo, rows] of byRow) {
    const problems: string[] = [];
    const figures: Planned[] = [];
    for (const row of rows) {
      // A wide table's column for an indicator the city does not follow is left out, not an error.
      if (unknownColumns.has(row.indicator)) continue;
      const isParent = PARENT_WORDS.has(nameKey(row.unit));
      const candidates = isParent ? (fileParent ? [fileParent] : []) : (unitsByName.get(nameKey(row.unit)) ?? []);
      const ind = findIndicator(row.indicator);
      if (candidates.length !== 1) {
        problems.push(
          isParent
            ? `无法确定「${row.unit}」是哪个单位，请改写为单位名称`
            : candidates.length
              ? `「${row.unit}」对应多个单位（${candidates.map((u) => u.name).join('、')}），请改用单位代码`
              : `没有名为「${row.unit}」的单位，请核对名称；如果统计部门用的是别称，请在城市配置文件中为该单位添加别名（aliases）`,
        );
        break;
      }
      const unit = candidates[0]!;
      if (!ind) {
        problems.push(`没有名为「${row.indicator}」的指标，请核对名称或代码`);
        continue;
      }
      const where = await cycleOf(unit, ind);
      if (!where) {
        // A wide table publishes every indicator for every unit: one the unit does not report is left out.
        if (parsed.columns.includes(row.indicator)) notReported.push(`${unit.shortName ?? unit.name}「${ind.name}」`);
        else problems.push(`${unit.name} 不报送「${ind.name}」`);
        continue;
      }
      const period = await periodOf(row, where.cycle, ind);
      if (typeof period === 'string') {
        problems.push(period);
        continue;
      }
      // A table with 本月 and 累计: a cumulative indicator takes the 累计 pair.
      const figure = row.cumulative && ind.valueKind === 'CUMULATIVE' ? row.cumulative : row;
      // A growth-only indicator has no level: a value in the file is not stored.
      const value = growthOnly(ind) ? null : figure.value;
      if (value === null && figure.growthPct === null) {
        problems.push(`「${ind.name}」只报增速，该行没有增速`);
        continue;
      }
      if (value === null && !growthOnly(ind) && !emptyValueOk) {
        problems.push(`「${ind.name}」只有增速、没有本期值；该指标需要本期值，请补上后重新上传`);
        continue;
      }
      if (value === null && !emptyValueOk) {
        problems.push(`「${ind.name}」只报增速，但系统尚不能保存没有本期值的数据，请联系管理员`);
        continue;
      }
      figures.push({ rowNo, unit, ind, cycle: where.cycle, period, assigned: where.assigned, value, growthPct: figure.growthPct, derived: false });
    }
    if (problems.length) {
      for (const p of problems) summary.issues.push({ rowNo, message: `第 ${rowNo} 行：${p}` });
      continue;
    }
    planned.push(...figures);
  }
  summary.failedRows = new Set(summary.issues.filter((i) => i.rowNo > 0).map((i) => i.rowNo)).size;

  await deriveGrowth(db, planned);

  // What is in force now: the same official figure again is not a new revision.
  const inForce = await figuresInForce(db, [...new Set(planned.map((p) => p.period.id))], [...new Set(planned.map((p) => p.unit.id))]);
  const sameDecimal = (a: string | null, b: string | null) => (a === null || b === null ? a === b : new Prisma.Decimal(a).equals(new Prisma.Decimal(b)));
  const todo = planned.filter((p) => {
    const f = inForce.get(figureKey(p.period.id, p.unit.id, p.ind.id));
    const same = f && f.vintage === 'OFFICIAL' && sameDecimal(f.value, p.value) && sameDecimal(f.growthPct, p.growthPct);
    if (same) summary.unchanged++;
    return !same;
  });

  // The whole file in one transaction: a failure part-way stores nothing (the job runs it again).
  const groups = new Map<string, Planned[]>();
  for (const p of todo) groups.set(`${p.rowNo}|${p.unit.id}|${p.period.id}`, [...(groups.get(`${p.rowNo}|${p.unit.id}|${p.period.id}`) ?? []), p]);
  await db.$transaction(
    async (tx) => {
      for (const figs of groups.values()) {
        const { unit, period, cycle, rowNo, assigned } = figs[0]!;
        const report = assigned
          ? await tx.unitReport.upsert({ where: { periodId_unitId: { periodId: period.id, unitId: unit.id } }, create: { periodId: period.id, unitId: unit.id }, update: {} })
          : null;
        await storeFigures(tx, {
          bundle: { report, period, cycle, unit },
          figures: figs.map((f) => ({
            indicatorId: f.ind.id,
            code: f.ind.code,
            // Null only where the storage takes a growth rate alone (checked above).
            value: f.value as string,
            growthPct: f.growthPct,
            problems: null,
            forecast: null,
            measures: null,
          })),
          page: 0,
          actorId: actor.personId,
          onBehalf: true,
          reason: `正式数据导入：${file.fileName}`,
          requestKey: `${file.requestKey}-${rowNo}`,
          vintage: 'OFFICIAL',
          now,
          action: 'report.official.import',
        });
        summary.imported += figs.length;
      }
    },
    { timeout: 600_000, maxWait: 30_000 },
  );

  for (const p of planned) {
    if (!summary.periodIds.includes(p.period.id)) summary.periodIds.push(p.period.id);
    const label = periodLabel(p.cycle.frequency, p.period.periodKey);
    if (!summary.periods.includes(label)) summary.periods.push(label);
  }
  return { summary, card: replyCard(file.fileName, summary, planned, [...unknownColumns], notReported) };
}

/** A value without growth: the growth from last year's level when one is stored (增速 = 本期 / 上年同期 − 1). */
async function deriveGrowth(db: PrismaClient, planned: Planned[]): Promise<void> {
  const need = planned.filter((p) => p.value !== null && p.growthPct === null && p.ind.growthBasis === 'YOY');
  if (!need.length) return;
  const lyPeriods = await db.reportingPeriod.findMany({
    where: { OR: need.map((p) => ({ cycleId: p.cycle.id, periodKey: lastYearKey(p.cycle.frequency, p.period.periodKey) })) },
  });
  const lyId = new Map(lyPeriods.map((x) => [`${x.cycleId}|${x.periodKey}`, x.id]));
  const ly = await figuresInForce(db, lyPeriods.map((x) => x.id), [...new Set(need.map((p) => p.unit.id))]);
  for (const p of need) {
    const pid = lyId.get(`${p.cycle.id}|${lastYearKey(p.cycle.frequency, p.period.periodKey)}`);
    const base = pid ? ly.get(figureKey(pid, p.unit.id, p.ind.id))?.value : null;
    if (!base || !new Prisma.Decimal(base).greaterThan(0)) continue;
    p.growthPct = new Prisma.Decimal(p.value!).div(base).minus(1).times(100).toDecimalPlaces(1).toString();
    p.derived = true;
  }
}

function replyCard(fileName: string, s: ImportSummary, planned: Planned[], unknownColumns: string[], notReported: string[]): Card {
  const lines = [
    `「${fileName}」：导入 ${s.imported} 条正式数据${s.unchanged ? `，${s.unchanged} 条此前已导入` : ''}${s.periods.length ? `（${s.periods.join('、')}）` : ''}。`,
    '正式数据取代快报数据作为现行数据，快报数据仍保留在修订记录中。',
  ];
  const parents = [...new Set(planned.filter((p) => !p.assigned).map((p) => p.unit.shortName ?? p.unit.name))];
  if (parents.length) lines.push(`${parents.join('、')}的正式数据作为其本级数据，评灯时优先于各下级单位的汇总。`);
  const derived = planned.filter((p) => p.derived).length;
  if (derived) lines.push(`${derived} 条只有本期值，已按上年同期数计算增速。`);
  if (unknownColumns.length) lines.push(`以下列不是本系统跟踪的指标，未导入：${unknownColumns.slice(0, 10).join('、')}${unknownColumns.length > 10 ? ` 等 ${unknownColumns.length} 列` : ''}。`);
  if (notReported.length) lines.push(`以下数据不在各单位的报送范围内，未导入：${notReported.slice(0, 10).join('、')}${notReported.length > 10 ? ` 等 ${notReported.length} 项` : ''}。`);
  if (s.issues.length) {
    lines.push(s.failedRows ? `有 ${s.failedRows} 行未能导入（其余各行已导入），数据不完整：` : '文件有误：');
    lines.push(...s.issues.slice(0, 10).map((i) => i.message));
    if (s.issues.length > 10) lines.push(`……另有 ${s.issues.length - 10} 条，请修正后重新上传。`);
    lines.push('修正这些行后可重新上传整个文件，已导入的数据不会重复。');
  }
  const title = s.failedRows ? `正式数据已导入（${s.failedRows} 行未能导入）` : s.issues.length ? '正式数据未导入' : '正式数据已导入';
  return noticeCard(title, lines, s.issues.length ? 'orange' : 'green');
}
