// Growth-only indicators on real PostgreSQL: a county's 规上工业增加值 published as a growth rate at
// comparable prices — the card asks only 增速, the figure is stored with no value, lit on its growth
// among its peers, never summed into a total for the city, and exported with an empty value cell.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from './support/db.ts';
import { cardClicks } from './support/card-clicks.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { createLogger } from '../src/platform/logger.ts';
import { parseCityConfig } from '../src/modules/city-config/city-config.load.ts';
import { applyCityConfig } from '../src/modules/city-config/city-config.apply.ts';
import { formCards } from '../src/modules/collection/form-cards.ts';
import { loadReport } from '../src/modules/collection/collection.repo.ts';
import { storeFigures } from '../src/modules/collection/revisions.ts';
import { evaluatePeriod } from '../src/modules/lights/lights.service.ts';
import { warningView } from '../src/modules/lights/warning-view.ts';
import { dispatchMessage } from '../src/commands/dispatch.ts';
import { parseTextCommand } from '../src/commands/parse.ts';
import { fieldNames } from '../cards/collection-form.ts';

const clock = fixedClock('2026-11-10T02:00:00Z');
const { prisma } = await useTestDatabase();

const REGIONS = [
  ['jia-district', '甲区'],
  ['yi-district', '乙区'],
  ['bing-county', '丙县'],
  ['ding-county', '丁县'],
] as const;

const CITY = `version: 1
units:
  - { code: city, name: 测试市, kind: city }
  - { code: office, name: 例会办公室, kind: office, parent: city }
${REGIONS.map(([code, name]) => `  - { code: ${code}, name: ${name}, kind: region, parent: city }`).join('\n')}
people:
  - { code: organiser, name: 周敏, open_id: ou_organiser, roles: [{ unit: office, role: organiser }] }
${REGIONS.map(([code]) => `  - { code: ${code}-liaison, name: ${code}联络员, open_id: ou_${code.replace('-', '_')}, roles: [{ unit: ${code}, role: liaison }] }`).join('\n')}
leaders: []
indicators:
  - code: county-va
    name: 规上工业增加值
    measure_unit: 亿元
    value_kind: cumulative
    growth_basis: comparable
    growth_only: true
    frequency: monthly
    decimals: 2
    targets:
${REGIONS.map(([code]) => `      ${code}: { 2026: { year: 6.5 } }`).join('\n')}
  - code: retail
    name: 社会消费品零售总额
    measure_unit: 亿元
    value_kind: cumulative
    frequency: monthly
assignments:
  - { indicator: county-va, cycle: monthly, units: [${REGIONS.map(([c]) => c).join(', ')}] }
  - { indicator: retail, cycle: monthly, units: [${REGIONS.map(([c]) => c).join(', ')}] }
cycles:
  - { code: monthly, name: 月度经济运行报送, frequency: monthly, due_day: 15 }
warning_rules:
  - { code: gap, kind: gap_to_target, yellow: 0.5, red: 2 }
  - { code: avg, kind: below_average, yellow: 1, red: 3 }
  - { code: bottom, kind: rank_bottom, yellow: 2, red: 1 }
`;

await applyCityConfig(prisma, parseCityConfig(CITY, 'city.yaml'), clock);
const clicks = cardClicks(prisma, clock);
const cycle = await prisma.reportingCycle.findUniqueOrThrow({ where: { code: 'monthly' } });
const va = await prisma.indicator.findUniqueOrThrow({ where: { code: 'county-va' } });

async function openPeriod(key: string) {
  const p = await prisma.reportingPeriod.create({
    data: { cycleId: cycle.id, periodKey: key, startDate: new Date(`${key}-01`), endDate: new Date(`${key}-28`), dueDate: new Date(`${key}-28`), status: 'OPEN' },
  });
  for (const [code] of REGIONS) {
    const unit = await prisma.unit.findUniqueOrThrow({ where: { code } });
    await prisma.unitReport.create({ data: { periodId: p.id, unitId: unit.id } });
  }
  return p;
}
const reportOf = async (periodId: string, code: string) => prisma.unitReport.findFirstOrThrow({ where: { periodId, unit: { code } } });
const liaisonOf = (code: string) => `ou_${code.replace('-', '_')}`;

/** The liaison's click on 提交 with what they typed: 增速 for 规上工业增加值, value and growth for 零售. */
async function submit(periodId: string, code: string, typed: { vaGrowth: string; retail: string; retailGrowth: string; narrative?: boolean }, opts: { reason?: string } = {}) {
  const report = await reportOf(periodId, code);
  const n = fieldNames(['county-va', 'retail']);
  const narrative = typed.narrative ? { [n['county-va']!.problems]: '主要企业订单下降，开工不足', [n['county-va']!.measures]: '开展产销对接，帮助企业稳产' } : {};
  return clicks.click(liaisonOf(code), { a: 'report.submit', v: 1, r: report.id, p: 1, i: 'county-va,retail' }, {
    formValue: {
      [n['county-va']!.growth]: typed.vaGrowth,
      [n.retail!.value]: typed.retail,
      [n.retail!.growth]: typed.retailGrowth,
      ...narrative,
      ...(opts.reason ? { edit_reason: opts.reason } : {}),
    },
  });
}

// Figures shaped like a bureau's 1-10月 table (invented): 规上工业增加值 only as 增速 at comparable prices, 社零 with its level.
const LAST_YEAR = { 'jia-district': '412.30', 'yi-district': '268.75', 'bing-county': '131.60', 'ding-county': '96.40' } as const;
const THIS_YEAR = {
  'jia-district': { vaGrowth: '7.8', retail: '436.64', retailGrowth: '5.9' },
  'yi-district': { vaGrowth: '6.9', retail: '284.34', retailGrowth: '5.8' },
  'bing-county': { vaGrowth: '6.6', retail: '139.36', retailGrowth: '5.9' },
  'ding-county': { vaGrowth: '3.1', retail: '101.51', retailGrowth: '5.3', narrative: true },
} as const;

const p2025 = await openPeriod('2025-10');
for (const [code] of REGIONS) {
  const r = await submit(p2025.id, code, { vaGrowth: '6.0', retail: LAST_YEAR[code], retailGrowth: '5.0' });
  if (r.toast?.type !== 'success') throw new Error(`2025-10 ${code}: ${r.toast?.content}`);
}
const SEPTEMBER = { 'jia-district': '392.10', 'yi-district': '255.20', 'bing-county': '125.30', 'ding-county': '91.80' } as const;
const p2026_09 = await openPeriod('2026-09');
for (const [code] of REGIONS) {
  const r = await submit(p2026_09.id, code, { vaGrowth: '6.8', retail: SEPTEMBER[code], retailGrowth: '5.0' });
  if (r.toast?.type !== 'success') throw new Error(`2026-09 ${code}: ${r.toast?.content}`);
}
const p2026 = await openPeriod('2026-10');

describe('a growth-only indicator at comparable prices', () => {
  it('the card asks only 增速, with last period\'s growth and the target in growth terms', async () => {
    const [card] = await formCards(prisma, (await reportOf(p2026.id, 'jia-district')).id);
    const text = JSON.stringify(card);
    expect(text).toContain('**1. 规上工业增加值**（只报增速，可比价，累计）');
    expect(text).toContain('上期同比 +6.8%\u3000目标 +6.5%\u3000上期各区县平均 +6.8%');
    expect(text).toContain('同比增速（%，按可比价计算）');
    // The only value input is 零售's.
    expect(text.match(/本期值（亿元）/g)).toHaveLength(1);
  });

  it('refuses a card without the growth and stores nothing', async () => {
    const r = await submit(p2026.id, 'jia-district', { vaGrowth: '', retail: '436.64', retailGrowth: '5.9' });
    expect(r.toast).toEqual({ type: 'warning', content: '未保存：有 1 处需要修改' });
    expect(JSON.stringify(r.card)).toContain('规上工业增加值 同比增长：未填写，请填写百分比数字，如 3.2，下降填 -1.5。');
    expect(await prisma.submission.count({ where: { periodId: p2026.id } })).toBe(0);
  });

  it('stores the growth with no value, and the receipt shows the growth', async () => {
    const r = await submit(p2026.id, 'jia-district', THIS_YEAR['jia-district']);
    expect(r.toast).toEqual({ type: 'success', content: '已提交' });
    expect(JSON.stringify(r.card)).toContain('**规上工业增加值**：同比 +7.8%（可比价）');
    const rev = await prisma.submissionRevision.findFirstOrThrow({ where: { submission: { periodId: p2026.id, indicatorId: va.id } } });
    expect([rev.value, rev.growthPct?.toString()]).toEqual([null, '7.8']);
  });

  it('an edit of the growth is a new revision, and the receipt shows the old growth', async () => {
    const r = await submit(p2026.id, 'jia-district', { ...THIS_YEAR['jia-district'], vaGrowth: '7.5' }, { reason: '统计局反馈更正' });
    expect(r.toast).toEqual({ type: 'success', content: '修改已保存' });
    expect(JSON.stringify(r.card)).toContain('原 7.8% → 7.5%');
    const revs = await prisma.submissionRevision.findMany({ where: { submission: { periodId: p2026.id, indicatorId: va.id } }, orderBy: { revisionNo: 'asc' } });
    expect(revs.map((x) => [x.value, x.growthPct?.toString()])).toEqual([[null, '7.8'], [null, '7.5']]);
  });

  it('an official figure of a growth-only indicator is stored with its growth and without the level a file may carry', async () => {
    const bundle = (await loadReport(prisma, (await reportOf(p2026_09.id, 'bing-county')).id))!;
    await prisma.$transaction((tx) =>
      storeFigures(tx, {
        bundle, page: 0, actorId: null, onBehalf: true, reason: '统计局正式数据', requestKey: 'official-bing-09', vintage: 'OFFICIAL', now: clock.now(), action: 'report.official.import',
        figures: [{ indicatorId: va.id, code: 'county-va', value: '88.6', growthPct: '6.9', problems: null, forecast: null, measures: null }],
      }),
    );
    const revs = await prisma.submissionRevision.findMany({ where: { submission: { periodId: p2026_09.id, indicatorId: va.id, unit: { code: 'bing-county' } } }, orderBy: { revisionNo: 'asc' } });
    expect(revs.map((r) => [r.vintage, r.value, r.growthPct?.toString()])).toEqual([['FLASH', null, '6.8'], ['OFFICIAL', null, '6.9']]);
  });

  it('lights each county on its growth against the target and its peers, and gives the city no total of it', async () => {
    for (const code of ['yi-district', 'bing-county', 'ding-county'] as const) {
      const r = await submit(p2026.id, code, THIS_YEAR[code]);
      expect(r.toast?.type).toBe('success');
    }
    await evaluatePeriod({ prisma, clock }, { periodId: p2026.id });
    const lights = await prisma.warning.findMany({ where: { periodId: p2026.id }, include: { unit: true, indicator: true } });
    const of = (unit: string, ind: string) => lights.find((w) => w.unit.code === unit && w.indicator.code === ind);
    const ding = of('ding-county', 'county-va')!;
    expect(ding.level).toBe('RED');
    expect((ding.reasons as string[])[0]).toBe('增速 3.1%，低于目标进度 6.5% 3.4 个百分点');
    expect((ding.reasons as string[]).join('；')).toContain('在 4 个单位中排名第 4');
    expect(of('jia-district', 'county-va')).toMatchObject({ level: 'GREEN', reasons: ['增速 7.5%，高于目标进度 6.5%'] });
    // The leader's warning card shows the growth, and says there is no level rather than a blank.
    expect(await warningView(prisma, ding.id)).toMatchObject({ value: '只报增速', growth: '+3.1%', targetPace: '目标进度 +6.5%' });
    // The city gets a light from its members' total of 零售 (levels add up), none of 规上工业增加值.
    expect(of('city', 'retail')?.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^4 个单位汇总：本期 961\.85 亿元，同比 \+5\.8%/)]));
    expect(of('city', 'county-va')).toBeUndefined();
  });

  it('exports the growth with an empty value cell', async () => {
    const origin = { openId: 'ou_organiser', messageId: 'om_export', key: 'export-2026-10' };
    const ran = await dispatchMessage({ prisma, clock, logger: createLogger({ level: 'silent' }), afterCommit: async () => {} }, origin, parseTextCommand('导出 2026-10')!);
    const file = ran.outcome.file!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.bytes as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.getWorksheet('指标汇总')!;
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const ding = rows.filter((r) => r[1] === '丁县');
    const vaRow = ding.find((r) => r[3] === '规上工业增加值')!;
    expect([vaRow[6] ?? null, vaRow[7]]).toEqual([null, 3.1]);
    expect(ding.find((r) => r[3] === '社会消费品零售总额')!.slice(6, 8)).toEqual([101.51, 5.3]);
    expect(JSON.stringify(ran.outcome.replies)).toContain('共 8 行指标数据，8 行已填报');
  });
});
