// Domain: official figures (统计局 正式数据) imported by the organiser from a file. Each becomes an
// OFFICIAL revision that supersedes the flash figure without overwriting it; bad rows are named, not guessed.
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Actor } from '../people/people.service.ts';
import type { Card } from '../../../cards/card.ts';
import { noticeCard } from '../../../cards/collection-admin.ts';
import { parseOfficialFile, ImportFileError, type ImportIssue } from './excel.ts';
import { isPeriodKey, periodLabel } from './schedule.ts';
import { loadReport } from './collection.repo.ts';
import { storeFigures } from './revisions.ts';

export interface ImportSummary {
  imported: number;
  unchanged: number;
  issues: ImportIssue[];
  periods: string[];
  /** Period ids with figures imported, for the lights. */
  periodIds: string[];
}

/** '2026-10', '2026年10月', '202610', '10月' (with the default year) → '2026-10'. */
function periodKeyOf(raw: string | null, fallback: string | null): string | null {
  if (!raw) return fallback;
  const t = raw.trim();
  let m = /^(\d{4})\D{0,2}(\d{1,2})月?$/.exec(t);
  if (m) return `${m[1]}-${m[2]!.padStart(2, '0')}`;
  m = /^(\d{1,2})月$/.exec(t);
  if (m && fallback) return `${fallback.slice(0, 4)}-${m[1]!.padStart(2, '0')}`;
  return isPeriodKey('QUARTERLY', t) ? t : null;
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
  const now = deps.clock.now();
  const units = await deps.prisma.unit.findMany({ where: { active: true } });
  const indicators = await deps.prisma.indicator.findMany({ where: { active: true } });
  const findUnit = (s: string) => units.find((u) => u.code === s || u.name === s || u.shortName === s);
  const findIndicator = (s: string) => indicators.find((i) => i.code === s || i.name === s);
  // Without a period column, the rows are the latest period already reported.
  const latest = await deps.prisma.reportingPeriod.findFirst({ where: { status: { in: ['OPEN', 'CLOSED'] }, cycle: { code: 'monthly' } }, orderBy: { endDate: 'desc' } });
  const summary: ImportSummary = { imported: 0, unchanged: 0, issues: [...parsed.issues], periods: [], periodIds: [] };
  for (const row of parsed.rows) {
    const unit = findUnit(row.unit);
    const ind = findIndicator(row.indicator);
    if (!unit || !ind) {
      summary.issues.push({ rowNo: row.rowNo, message: `第 ${row.rowNo} 行：${!unit ? `没有名为「${row.unit}」的单位` : `没有名为「${row.indicator}」的指标`}，请核对名称或代码。` });
      continue;
    }
    const assignment = await deps.prisma.assignment.findFirst({ where: { unitId: unit.id, indicatorId: ind.id, active: true }, include: { cycle: true } });
    if (!assignment) {
      summary.issues.push({ rowNo: row.rowNo, message: `第 ${row.rowNo} 行：${unit.name} 不报送「${ind.name}」，未导入。` });
      continue;
    }
    const key = periodKeyOf(row.period, latest?.periodKey ?? null);
    const period = key ? await deps.prisma.reportingPeriod.findUnique({ where: { cycleId_periodKey: { cycleId: assignment.cycleId, periodKey: key } } }) : null;
    if (!period) {
      summary.issues.push({ rowNo: row.rowNo, message: `第 ${row.rowNo} 行：找不到报告期「${row.period ?? '（未填）'}」，请写成 2026-10 或 2026年10月。` });
      continue;
    }
    const report = await deps.prisma.unitReport.upsert({
      where: { periodId_unitId: { periodId: period.id, unitId: unit.id } },
      create: { periodId: period.id, unitId: unit.id },
      update: {},
    });
    const bundle = (await loadReport(deps.prisma, report.id))!;
    const changes = await deps.prisma.$transaction(async (tx) => {
      if (await tx.submissionRevision.findUnique({ where: { requestKey: `${file.requestKey}-${row.rowNo}-${ind.code}` } })) return null;
      return storeFigures(tx, {
        bundle,
        figures: [{ indicatorId: ind.id, code: ind.code, value: row.value, growthPct: row.growthPct, problems: null, forecast: null, measures: null }],
        page: 0,
        actorId: actor.personId,
        onBehalf: true,
        reason: `正式数据导入：${file.fileName}`,
        requestKey: `${file.requestKey}-${row.rowNo}`,
        vintage: 'OFFICIAL',
        now,
        action: 'report.official.import',
      });
    });
    if (changes === null) summary.unchanged++;
    else summary.imported++;
    if (!summary.periodIds.includes(period.id)) summary.periodIds.push(period.id);
    const label = periodLabel(bundle.cycle.frequency, period.periodKey);
    if (!summary.periods.includes(label)) summary.periods.push(label);
  }
  const lines = [
    `「${file.fileName}」：导入 ${summary.imported} 条正式数据${summary.unchanged ? `，${summary.unchanged} 条此前已导入` : ''}${summary.periods.length ? `（${summary.periods.join('、')}）` : ''}。`,
    '正式数据取代快报数据作为现行数据，快报数据仍保留在修订记录中。',
  ];
  if (summary.issues.length) {
    lines.push(`有 ${summary.issues.length} 行未导入：`);
    lines.push(...summary.issues.slice(0, 10).map((i) => i.message));
    if (summary.issues.length > 10) lines.push(`……另有 ${summary.issues.length - 10} 行，请修正后重新上传。`);
  }
  return { summary, card: noticeCard(summary.issues.length ? '正式数据已导入（部分行有误）' : '正式数据已导入', lines, summary.issues.length ? 'orange' : 'green') };
}
