// Official figures sent as a file in chat: the organiser uploads a CSV to the bot, the worker downloads it
// through the SDK, each row becomes an OFFICIAL revision that supersedes the flash figure without
// overwriting it, bad rows are named, and a liaison's file is refused. Then files as bureaus export them
// (figures invented): the parent's 全市 row, aliases, period labels, growth from last year's level,
// growth alone, one transaction, and the digest saying the figures are incomplete.
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { importOfficial } from '../src/modules/collection/official-import.ts';
import { findActor } from '../src/modules/people/people.service.ts';
import { evaluatePeriod } from '../src/modules/lights/lights.service.ts';
import { figuresInForce, figureKey } from '../src/modules/collection/collection.repo.ts';
import { settle, startTestBot } from './support/bot.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { collectionHandlers, runPlan } from '../jobs/collection.job.ts';
import { fieldNames } from '../cards/collection-form.ts';
import { assignedIndicators } from '../src/modules/collection/collection.repo.ts';

const clock = fixedClock('2026-12-02T02:00:00Z');
const bot = await startTestBot({ clock });
const { prisma } = bot.ctx;
const deps = { prisma, clock, logger: bot.ctx.logger, queues: bot.ctx.queues };
const mark = () => new Set(bot.sandbox.messages.all().map((m) => m.messageId));
const waitFor = (openId: string, contains: string, seen: Set<string>) =>
  bot.sandbox.messages.waitFor(
    (m) => m.msgType === 'interactive' && !seen.has(m.messageId) && m.content.includes(contains) && bot.sandbox.messages.toUser(openId).some((x) => x.messageId === m.messageId),
    15_000,
  );
const person = async (unit: string, role: 'LIAISON' | 'ORGANISER') =>
  (await prisma.unitRole.findFirstOrThrow({ where: { role, unit: { code: unit } }, include: { person: true }, orderBy: { person: { code: 'asc' } } })).person;

describe('official figures from a file', () => {
  it('imports the rows as the official vintage and names the bad ones', async () => {
    await runPlan(deps, 'monthly');
    const period = await prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: '2026-11', cycle: { code: 'monthly' } } });
    await collectionHandlers(deps)['collection.open.v1']({ periodId: period.id });
    // 青山区 submits its flash figures first.
    const liaison = await person('qingshan-district', 'LIAISON');
    const report = await prisma.unitReport.findFirstOrThrow({ where: { periodId: period.id, unit: { code: 'qingshan-district' } } });
    const card = await waitFor(liaison.openId!, '2026年11月', new Set());
    const cycle = await prisma.reportingCycle.findUniqueOrThrow({ where: { code: 'monthly' } });
    const inds = await assignedIndicators(prisma, cycle.id, report.unitId, '2026-11');
    const names = fieldNames(inds.map((i) => i.code));
    const fv: Record<string, string> = {};
    inds.forEach((ind, i) => {
      fv[names[ind.code]!.value] = `${1000 + i * 100}`;
      fv[names[ind.code]!.growth] = '9.5';
    });
    const res = await bot.sandbox.clickCard({ openId: liaison.openId!, messageId: card.messageId, value: { a: 'report.submit', v: 1, r: report.id, p: 1 }, formValue: fv });
    expect(res.toast?.type).toBe('success');

    const organiser = await person('meeting-office', 'ORGANISER');
    const retail = inds.find((i) => i.code === 'retail-sales')!;
    const csv = `\uFEFF鞍江市 2026年11月 正式数据\n单位,指标,期别,本期值,同比增速\n青山区,${retail.name},2026-11,"1,234.5",8.8\n青山区,不存在的指标,2026-11,1,1\n`;
    const seen = mark();
    await bot.sandbox.userSendsFile(organiser.openId!, { fileName: '11月正式数据.csv', bytes: Buffer.from(csv, 'utf8') });
    await waitFor(organiser.openId!, '正在导入正式数据', seen);
    const done = await waitFor(organiser.openId!, '正式数据已导入', seen);
    expect(done.content).toContain('导入 1 条正式数据');
    expect(done.content).toContain('第 4 行');

    const sub = await prisma.submission.findFirstOrThrow({ where: { periodId: period.id, unitId: report.unitId, indicatorId: retail.id }, include: { revisions: { orderBy: { revisionNo: 'asc' } } } });
    expect(sub.revisions.map((r) => [r.revisionNo, r.vintage, r.value?.toString()])).toEqual([
      [1, 'FLASH', String(1000 + inds.indexOf(retail) * 100)],
      [2, 'OFFICIAL', '1234.5'],
    ]);
    expect(sub.currentRevisionNo).toBe(2);
  });

  it('refuses a file from someone who is not an organiser, and imports nothing', async () => {
    const liaison = await person('qingshan-district', 'LIAISON');
    const before = await prisma.submissionRevision.count({ where: { vintage: 'OFFICIAL' } });
    const seen = mark();
    await bot.sandbox.userSendsFile(liaison.openId!, { fileName: 'x.csv', bytes: Buffer.from('单位,指标,本期值\n青山区,社会消费品零售总额,1\n', 'utf8') });
    await waitFor(liaison.openId!, '只有经济运行例会办公室可以上传正式数据', seen);
    expect(await prisma.submissionRevision.count({ where: { vintage: 'OFFICIAL' } })).toBe(before);
  });
});

async function xlsxOf(build: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb.addWorksheet('Sheet1'));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
let files = 0;
const importFile = async (bytes: Buffer, fileName: string, db = prisma) => {
  const organiser = await person('meeting-office', 'ORGANISER');
  const actor = (await findActor(prisma, organiser.openId!))!;
  return importOfficial({ prisma: db, clock }, actor, { bytes, fileName, requestKey: `test-${++files}` });
};
const unitId = async (code: string) => (await prisma.unit.findUniqueOrThrow({ where: { code } })).id;
const indicatorId = async (code: string) => (await prisma.indicator.findUniqueOrThrow({ where: { code } })).id;
const monthly = async (key: string) => prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: key, cycle: { code: 'monthly' } } });
/** The figure in force: [value, growth, vintage]. */
const inForce = async (unit: string, indicator: string, key = '2026-11') => {
  const period = await monthly(key);
  const f = (await figuresInForce(prisma, [period.id], [await unitId(unit)])).get(figureKey(period.id, await unitId(unit), await indicatorId(indicator)));
  const n = (x: string | null) => (x === null ? null : String(Number(x)));
  return f ? [n(f.value), n(f.growthPct), f.vintage] : null;
};
const cardText = (card: unknown) => JSON.stringify(card);

describe('official files as bureaus export them', () => {
  it('a wide table: the 全市 row is the parent’s official figure, aliases and padded names match, refused rows say why', async () => {
    const bytes = await xlsxOf((ws) => {
      ws.addRow(['鞍江市2026年1-11月主要经济指标']);
      ws.mergeCells('A1:E1');
      ws.addRow(['地区', '社会消费品零售总额', '', '一般公共预算收入', '']);
      ws.addRow(['', '绝对值（亿元）', '增长%', '绝对值', '±%']);
      ws.mergeCells('A2:A3');
      ws.mergeCells('B2:C2');
      ws.mergeCells('D2:E2');
      ws.addRow(['全市', 1456.78, 4.4, 98.61, -2.1]);
      ws.addRow(['鞍 东 区', 321.4, 5.1, 20.3, 6]);
      ws.addRow(['鞍江高新区', 150.2, 7.7, 12.5, 3.3]);
      ws.addRow(['临江区', '三百', 2, 9.9, 1]);
      ws.addRow(['海港区', 10, 1, 1, 1]);
    });
    const { summary, card } = await importFile(bytes, '1-11月主要指标.xlsx');
    expect(summary).toMatchObject({ imported: 6, failedRows: 2, periods: ['2026年11月'] });
    expect(summary!.issues).toEqual([
      { rowNo: 7, message: '第 7 行：「社会消费品零售总额 绝对值（亿元）」不是数字：“三百”' },
      { rowNo: 8, message: expect.stringContaining('第 8 行：没有名为「海港区」的单位') },
    ]);
    expect(summary!.issues[1]!.message).toContain('别名（aliases）');
    // 全市 belongs to the city although the city is not assigned the indicator; it gets no report of its own.
    expect(await inForce('anjiang', 'retail-sales')).toEqual(['1456.78', '4.4', 'OFFICIAL']);
    expect(await inForce('anjiang', 'budget-revenue')).toEqual(['98.61', '-2.1', 'OFFICIAL']);
    expect(await prisma.unitReport.count({ where: { unit: { code: 'anjiang' } } })).toBe(0);
    expect(await inForce('andong-district', 'retail-sales')).toEqual(['321.4', '5.1', 'OFFICIAL']);
    expect(await inForce('high-tech-zone', 'budget-revenue')).toEqual(['12.5', '3.3', 'OFFICIAL']);
    // 临江区's row is refused whole: its good budget figure is not imported either.
    expect(await inForce('linjiang-district', 'budget-revenue')).toBeNull();
    const text = cardText(card);
    expect(text).toContain('正式数据已导入（2 行未能导入）');
    expect(text).toContain('鞍江市的正式数据作为其本级数据');
    expect(text).toContain('第 7 行');

    // The city's light stands on the published figure, not on the districts' sum (most have not reported).
    const period = await monthly('2026-11');
    await evaluatePeriod({ prisma, clock }, { periodId: period.id, indicatorIds: [await indicatorId('retail-sales')] });
    const light = await prisma.warning.findFirstOrThrow({ where: { periodId: period.id, unit: { code: 'anjiang' }, indicator: { code: 'retail-sales' } } });
    expect((light.reasons as string[])[0]).toBe('增速 4.4%');
    expect(light.reasons as string[]).not.toContainEqual(expect.stringContaining('汇总'));
    expect(light.vintage).toBe('OFFICIAL');

    // The same file again stores nothing new.
    const again = await importFile(bytes, '1-11月主要指标.xlsx');
    expect(again.summary).toMatchObject({ imported: 0, unchanged: 6 });
  });

  it('a long GB18030 CSV: header synonyms, a full-width name, 规上 for 规模以上, 1-11月 with the year of the title, an unreadable period', async () => {
    await prisma.indicator.update({ where: { code: 'fai' }, data: { name: '固定资产投资(不含农户)' } });
    const text = [
      '2026年各县区主要指标,,,,',
      '单位名称,指标,期别,本期,比上年同期增长%',
      '松岭县,固定资产投资（不含农户）,1-11月,55.5,-3.0',
      '松岭县,一般公共预算收入,2026-11,7.7,1.1',
      '白石县,一般公共预算收入,2026年11月,6.6,0.5',
      '白石县,社会消费品零售总额,1-13月,1,1',
      '白石县,社会消费品零售总额,2026年1-11月,30.2,2.2',
      '白石县,规上工业增加值,2026年11月,40.5,6.1',
      '',
    ].join('\r\n');
    const { summary } = await importFile(iconv.encode(text, 'gb18030'), '县区.csv');
    expect(summary).toMatchObject({ imported: 5, failedRows: 1 });
    expect(summary!.issues).toEqual([{ rowNo: 6, message: '第 6 行：看不懂报告期「1-13月」，请写成 2026年1-10月、10月、2026-10 或 一季度' }]);
    expect(await inForce('songling-county', 'fai')).toEqual(['55.5', '-3', 'OFFICIAL']);
    expect(await inForce('baishi-county', 'retail-sales')).toEqual(['30.2', '2.2', 'OFFICIAL']);
    // 规上 is how bureaus shorten 规模以上.
    expect(await inForce('baishi-county', 'industrial-va')).toEqual(['40.5', '6.1', 'OFFICIAL']);
  });

  it('a wide table leaves out what a unit does not report, and the indicators the bot does not follow', async () => {
    const csv = ['地区,地区生产总值(亿元),增长%,税收收入(亿元),增长%,工业用水量,增长%', '松岭县,88.2,4.9,8.8,1.0,3.3,0.2', ''].join('\n');
    const { summary, card } = await importFile(Buffer.from(csv, 'utf8'), '宽表.csv');
    expect(summary).toMatchObject({ imported: 1, failedRows: 0, issues: [] });
    expect(await inForce('songling-county', 'gdp')).toEqual(['88.2', '4.9', 'OFFICIAL']);
    expect(await inForce('songling-county', 'tax-revenue')).toBeNull();
    const text = cardText(card);
    expect(text).toContain('以下数据不在各单位的报送范围内，未导入：松岭县「税收收入」');
    expect(text).toContain('以下列不是本系统跟踪的指标，未导入：工业用水量');
  });

  it('a table with 本月 and 累计: a cumulative indicator takes the 累计 figures', async () => {
    const csv = ['地区,指标,期别,本月,,累计,', ',,,绝对值,增长%,绝对值,增长%', '临江区,社会消费品零售总额,2026年11月,30.1,2.5,321.4,5.1', ''].join('\n');
    expect((await importFile(Buffer.from(csv, 'utf8'), '本月累计.csv')).summary).toMatchObject({ imported: 1, failedRows: 0 });
    expect(await inForce('linjiang-district', 'retail-sales')).toEqual(['321.4', '5.1', 'OFFICIAL']);
  });

  it('a value without growth takes its growth from last year’s level when one is stored', async () => {
    const cycle = await prisma.reportingCycle.findUniqueOrThrow({ where: { code: 'monthly' } });
    const d = (s: string) => new Date(`${s}T00:00:00Z`);
    await prisma.reportingPeriod.upsert({
      where: { cycleId_periodKey: { cycleId: cycle.id, periodKey: '2025-11' } },
      create: { cycleId: cycle.id, periodKey: '2025-11', startDate: d('2025-11-01'), endDate: d('2025-11-30'), dueDate: d('2025-12-05'), status: 'CLOSED' },
      update: {},
    });
    const csv = (rows: string[]) => Buffer.from(['地区,指标,期别,绝对值,增长%', ...rows].join('\n'), 'utf8');
    expect((await importFile(csv(['云台县,社会消费品零售总额,2025年11月,80,3.0']), 'ly.csv')).summary).toMatchObject({ imported: 1, failedRows: 0 });
    const { summary, card } = await importFile(csv(['云台县,社会消费品零售总额,2026年11月,86.4,', '石桥市,社会消费品零售总额,2026年11月,70,']), 'value-only.csv');
    expect(summary).toMatchObject({ imported: 2, failedRows: 0 });
    // 86.4 / 80 − 1 = 8.0 %; 石桥市 has no level for 2025年11月, so no growth.
    expect(await inForce('yuntai-county', 'retail-sales')).toEqual(['86.4', '8', 'OFFICIAL']);
    expect(await inForce('shiqiao-city', 'retail-sales')).toEqual(['70', null, 'OFFICIAL']);
    expect(cardText(card)).toContain('1 条只有本期值，已按上年同期数计算增速');
  });

  it('a growth without a value is stored only where a revision may lack a value, else refused with the reason', async () => {
    const rows = await prisma.$queryRaw<{ nullable: string }[]>`SELECT is_nullable AS nullable FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'SubmissionRevision' AND column_name = 'value'`;
    const { summary } = await importFile(Buffer.from('地区,指标,期别,绝对值,增长%\n河湾区,地区生产总值,2026年11月,,5.2\n', 'utf8'), 'growth.csv');
    if (rows[0]!.nullable === 'YES') {
      expect(summary).toMatchObject({ imported: 1, failedRows: 0 });
      expect(await inForce('hewan-district', 'gdp')).toEqual([null, '5.2', 'OFFICIAL']);
    } else {
      expect(summary).toMatchObject({ imported: 0, failedRows: 1 });
      expect(summary!.issues).toEqual([{ rowNo: 2, message: '第 2 行：「地区生产总值」只有增速、没有本期值；该指标需要本期值，请补上后重新上传' }]);
      expect(await inForce('hewan-district', 'gdp')).toBeNull();
    }
  });

  it('the whole file in one transaction: a failure part-way stores nothing', async () => {
    // The database fails on the second row's write.
    const bind = <T extends object>(target: T, key: string | symbol) => {
      const v = Reflect.get(target, key) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    };
    const failing = new Proxy(prisma, {
      get(target, key) {
        if (key !== '$transaction') return bind(target, key);
        return (fn: (tx: unknown) => Promise<unknown>, opts?: object) =>
          target.$transaction(async (tx) => {
            let writes = 0;
            const revisions = new Proxy(tx.submissionRevision, {
              get: (t, k) => (k === 'createMany' ? async (a: unknown) => (++writes === 2 ? Promise.reject(new Error('connection lost')) : t.createMany(a as never)) : bind(t, k)),
            });
            return fn(new Proxy(tx, { get: (t, k) => (k === 'submissionRevision' ? revisions : bind(t, k)) }));
          }, opts);
      },
    });
    const before = await prisma.submissionRevision.count();
    const csv = Buffer.from('地区,指标,期别,绝对值,增长%\n鞍西区,地区生产总值,2026年11月,210.5,5.5\n鞍西区,一般公共预算收入,2026年11月,15.1,2.0\n', 'utf8');
    await expect(importFile(csv, 'partial.csv', failing)).rejects.toThrow('connection lost');
    expect(await prisma.submissionRevision.count()).toBe(before);
    expect(await inForce('anxi-district', 'gdp')).toBeNull();
  });

  it('from chat: the reply lists the failed rows, the lights come once the file is in, and the digest says the figures are incomplete', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const leader = await prisma.person.findUniqueOrThrow({ where: { code: 'sun-yaqin' } });
    const csv = ['鞍江市 2026年11月 正式数据', '地区,指标,本期值,增长%', '河湾区,社会消费品零售总额,50.0,-6.5', '河湾区,不存在的指标,1,1', ''].join('\n');
    const seen = mark();
    await bot.sandbox.userSendsFile(organiser.openId!, { fileName: '河湾区.csv', bytes: Buffer.from(csv, 'utf8') });
    const done = await waitFor(organiser.openId!, '正式数据已导入（1 行未能导入）', seen);
    expect(done.content).toContain('第 4 行：没有名为「不存在的指标」的指标');
    const digest = await waitFor(leader.openId!, '经济运行预警', seen);
    expect(digest.content).toContain('本次导入有 1 行未能导入，数据不完整');
    expect(digest.content).toContain('河湾区');
    await settle(bot.ctx);
    // One evaluation for the file: one digest to the leader, not one per row.
    expect(bot.sandbox.messages.toUser(leader.openId!).filter((m) => !seen.has(m.messageId) && m.content.includes('经济运行预警')).length).toBe(1);
  });
});
