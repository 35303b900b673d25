// The monthly 经济运行专报 in the sandbox, with an injected clock: the organiser closes November; after the
// ranking the organisers get the review card with the drafted paragraphs (全市 growth value-weighted from the
// regions); an edit is kept as a new revision; 发送给领导 sends each leader — the vice-mayor 赵明远 among them —
// a summary card and the .docx with the edit, its table and charts; the same button twice sends once;
// 「专报」 gives the card again; nobody but the organisers may use it.
import { describe, expect, it } from 'vitest';
import { startTestBot, settle } from './support/bot.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { monthWithFigures } from './support/months.ts';
import { zipEntry, zipNames } from './support/zip.ts';
import { LightsPendingError, runGenerate } from '../jobs/report.job.ts';
import { closePeriodAsOrganiser } from './support/close-period.ts';


// Wednesday 2026-12-16, 10:00 Beijing: November's report was due yesterday.
const clock = fixedClock('2026-12-16T02:00:00Z');
const bot = await startTestBot({ clock });
const { prisma } = bot.ctx;

// Growth in % on each ranked monthly indicator; every region reports the same value (100 亿元), so the
// city's growth is Σvalue / Σ(value / (1 + g)) − 1 = 6.0%, where the mean of the rates would say 6.1%.
const NOV: Record<string, number> = { 'andong-district': 2, 'anxi-district': 9, 'linjiang-district': 7, 'hewan-district': 7, 'qingshan-district': 6, 'songling-county': 5, 'baishi-county': 4, 'yuntai-county': 3, 'shiqiao-city': 8, 'high-tech-zone': 10 };
const OCT: Record<string, number> = { ...NOV, 'anxi-district': 11, 'high-tech-zone': 10.5 };

const VICE_MAYOR = 'ou_demo_zhao-mingyuan';
const mark = () => new Set(bot.sandbox.messages.all().map((m) => m.messageId));
const cardsTo = (openId: string) => bot.sandbox.messages.toUser(openId).filter((m) => m.msgType === 'interactive');
const filesTo = (openId: string) => bot.sandbox.messages.toUser(openId).filter((m) => m.msgType === 'file');
const waitFor = (openId: string, contains: string, seen: Set<string>) =>
  bot.sandbox.messages.waitFor((m) => m.msgType === 'interactive' && !seen.has(m.messageId) && m.content.includes(contains) && cardsTo(openId).some((x) => x.messageId === m.messageId), 30_000);

async function organiser() {
  const r = await prisma.unitRole.findFirstOrThrow({ where: { role: 'ORGANISER' }, include: { person: true }, orderBy: { person: { code: 'asc' } } });
  return { openId: r.person.openId!, name: r.person.name, id: r.person.id };
}

interface CardInput {
  name: string;
  label: string;
  value: string;
}
/** The paragraph inputs of a review card as the organiser sees them. */
function inputsOf(content: string): CardInput[] {
  const out: CardInput[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (typeof n !== 'object' || n === null) return;
    const o = n as Record<string, unknown>;
    if (o.tag === 'input') out.push({ name: String(o.name), label: String((o.label as { content: string }).content), value: String(o.default_value ?? '') });
    Object.values(o).forEach(walk);
  };
  walk(JSON.parse(content));
  return out;
}
const formOf = (inputs: CardInput[], edits: Record<string, string> = {}) => Object.fromEntries(inputs.map((i) => [i.name, edits[i.label] ?? i.value]));

describe('the monthly report', () => {
  let reviewId = '';
  let inputs: CardInput[] = [];

  it('is drafted after the close and reaches the organisers for review, with the city growth weighted by value', async () => {
    const o = await organiser();
    await monthWithFigures(prisma, clock, '2026-10', OCT, 'CLOSED');
    const nov = await monthWithFigures(prisma, clock, '2026-11', NOV);
    // 鞍东区 wrote its problems and measures on 规上工业增加值 (a second revision, as an edit would).
    const andong = await prisma.unit.findUniqueOrThrow({ where: { code: 'andong-district' } });
    const iva = await prisma.indicator.findUniqueOrThrow({ where: { code: 'industrial-va' } });
    const sub = await prisma.submission.findFirstOrThrow({ where: { periodId: nov.id, unitId: andong.id, indicatorId: iva.id } });
    await prisma.submissionRevision.create({ data: { submissionId: sub.id, revisionNo: 2, value: '100', growthPct: '2', problems: '两家重点企业停产检修', measures: '督促企业月底前复产', submittedAt: clock.now() } });
    await prisma.submission.update({ where: { id: sub.id }, data: { currentRevisionNo: 2 } });

    // Tasks on record: one assigned in October and done, one on 30 November at 23:30 Beijing (overdue
    // now), one on 1 December at 00:30 Beijing — after the month, though before the close.
    const task = (createdAt: string, status: 'DONE' | 'OPEN', due: string) =>
      prisma.task.create({ data: { title: '推动在建项目入库', unitId: andong.id, dueDate: new Date(due), status, createdAt: new Date(createdAt) } });
    await task('2026-10-20T02:00:00Z', 'DONE', '2026-10-31');
    await task('2026-11-30T15:30:00Z', 'OPEN', '2026-12-10');
    await task('2026-11-30T16:30:00Z', 'OPEN', '2026-12-31');

    const seen = mark();
    expect((await closePeriodAsOrganiser(bot, o.openId, '2026-11')).click.toast?.type).toBe('success');
    const review = await waitFor(o.openId, '2026年11月经济运行专报', seen);
    reviewId = review.messageId;
    inputs = inputsOf(review.content);
    const byLabel = Object.fromEntries(inputs.map((i) => [i.label, i.value]));
    expect(Object.keys(byLabel)).toEqual(expect.arrayContaining(['总体情况', '规模以上工业增加值', '综合排名和例会席位', '主要困难和问题', '预警和交办事项']));
    expect(byLabel['规模以上工业增加值']).toContain('1-11月，全市规模以上工业增加值累计完成 1,000.00 亿元，同比增长 6.0%');
    expect(byLabel['规模以上工业增加值']).toContain('增速比1-10月回落');
    expect(byLabel['规模以上工业增加值']).toContain('增速居前的是高新区（10.0%）、鞍西区（9.0%）、石桥市（8.0%），居后的是鞍东区（2.0%）');
    expect(byLabel['综合排名和例会席位']).toContain('居前三位的是高新区');
    expect(byLabel['主要困难和问题']).toContain('鞍东区（规模以上工业增加值');
    expect(byLabel['主要困难和问题']).toContain('两家重点企业停产检修');
    expect(byLabel['预警和交办事项']).toContain('截至目前，交办事项累计 3 项（本月新交办 1 项），其中待办理 2 项、办理中 0 项、待销号 0 项、已销号 1 项，逾期未完成 1 项。');
    // Nothing has gone to the leaders yet.
    expect(bot.sandbox.messages.toUser(VICE_MAYOR).filter((m) => m.content.includes('经济运行专报'))).toHaveLength(0);
    const report = await prisma.monthlyReport.findUniqueOrThrow({ where: { periodId: nov.id }, include: { revisions: true } });
    expect(report.status).toBe('DRAFT');
    expect(report.revisions).toHaveLength(1);
    // Drafted after the close's lights: its counts are the lights of the closed month.
    const lit = await prisma.warning.groupBy({ by: ['level'], where: { periodId: nov.id }, _count: { _all: true } });
    const n = (l: string) => lit.find((x) => x.level === l)?._count._all ?? 0;
    expect(n('RED') + n('YELLOW')).toBeGreaterThan(0);
    expect((report.facts as { warnings: { red: number; yellow: number } }).warnings).toMatchObject({ red: n('RED'), yellow: n('YELLOW') });
  });

  it('keeps an edit as a new revision; the draft stays as it was', async () => {
    const o = await organiser();
    const res = await bot.sandbox.clickCard({ openId: o.openId, messageId: reviewId, value: { a: 'mreport.save', v: 1 }, formValue: formOf(inputs, { 总体情况: '11月全市经济运行总体平稳，工业增速有所回落。' }) });
    expect(res.toast?.type).toBe('success');
    expect(res.toast?.content).toContain('第 2 稿');
    const revs = await prisma.monthlyReportRevision.findMany({ orderBy: { revisionNo: 'asc' } });
    expect(revs.map((r) => r.revisionNo)).toEqual([1, 2]);
    expect(revs[1]!.editedById).toBe(o.id);
    expect(JSON.stringify(revs[0]!.paragraphs)).not.toContain('工业增速有所回落');
    expect(JSON.stringify(revs[1]!.paragraphs)).toContain('工业增速有所回落');
    await expect(prisma.monthlyReportRevision.update({ where: { id: revs[0]!.id }, data: { createdAt: clock.now() } })).rejects.toThrow();
  });

  it('refuses an empty paragraph or an edit on an older revision, storing nothing', async () => {
    const o = await organiser();
    // The card answered with revision 2; a click carrying revision 1 is an old card.
    const stale = await bot.sandbox.clickCard({ openId: o.openId, messageId: reviewId, value: { a: 'mreport.save', v: 1, r: (await prisma.monthlyReport.findFirstOrThrow()).id, n: 1 }, formValue: formOf(inputs) });
    expect(stale.toast?.type).toBe('error');
    expect(stale.toast?.content).toContain('第 2 稿');
    const fresh = inputsOf(bot.sandbox.messages.get(reviewId)!.content);
    const empty = await bot.sandbox.clickCard({ openId: o.openId, messageId: reviewId, value: { a: 'mreport.save', v: 1 }, formValue: formOf(fresh, { 预警和交办事项: '  ' }) });
    expect(empty.toast?.content).toBe('「预警和交办事项」不能为空，请填写后重新保存。');
    expect(await prisma.monthlyReportRevision.count()).toBe(2);
  });

  it('sends the vice-mayor a summary card and the .docx with the edit, the table and the charts — once', async () => {
    const o = await organiser();
    const fresh = inputsOf(bot.sandbox.messages.get(reviewId)!.content);
    const seen = mark();
    const reportId = (await prisma.monthlyReport.findFirstOrThrow({ where: { status: 'DRAFT' } })).id;
    const click = () => bot.sandbox.clickCard({ openId: o.openId, messageId: reviewId, value: { a: 'mreport.send', v: 1 }, formValue: formOf(fresh) });
    // A double click: both clicks carry the same rendering of the button.
    const [sent, twice] = await Promise.all([click(), click()]);
    expect(sent.toast?.type).toBe('success');
    expect(sent.toast?.content).toMatch(/第 2 稿）正在发送给 \d+ 位领导/);
    expect(twice.toast).toEqual(sent.toast);

    const summary = await waitFor(VICE_MAYOR, '2026年11月经济运行专报', seen);
    expect(summary.content).toContain('11月全市经济运行总体平稳，工业增速有所回落。');
    expect(summary.content).toContain('规模以上工业增加值');
    const file = await bot.sandbox.messages.waitFor((m) => m.msgType === 'file' && !seen.has(m.messageId) && filesTo(VICE_MAYOR).some((x) => x.messageId === m.messageId), 30_000);
    const stored = bot.sandbox.files.get((JSON.parse(file.content) as { file_key: string }).file_key)!;
    expect(stored.fileName).toBe('鞍江市经济运行专报（2026年11月）.docx');
    const docx = Buffer.from(stored.data!);
    const xml = zipEntry(docx, 'word/document.xml')!.toString('utf8');
    expect(xml).toContain('11月全市经济运行总体平稳，工业增速有所回落。');
    expect(xml).toContain('与目标差（百分点）');
    expect(xml).toContain('<w:tbl>');
    // A trend chart per main indicator and the ranking bars.
    expect(zipNames(docx).filter((n) => n.startsWith('word/media/')).length).toBeGreaterThanOrEqual(5);

    // The button on an older copy of the card (another organiser's) sends nothing more.
    const late = await bot.sandbox.clickCard({ openId: o.openId, messageId: reviewId, value: { a: 'mreport.send', v: 1, r: reportId, n: 2 }, formValue: formOf(fresh) });
    expect(late.toast?.content).toBe('专报已发送给领导，不会重复发送。');
    await settle(bot.ctx);
    expect(filesTo(VICE_MAYOR)).toHaveLength(1);
    expect(cardsTo(VICE_MAYOR).filter((m) => m.content.includes('2026年11月经济运行专报'))).toHaveLength(1);
    const report = await prisma.monthlyReport.findFirstOrThrow();
    expect(report).toMatchObject({ status: 'SENT', sentById: o.id, sentRevisionNo: 2 });
    // Another organiser's review card now says it was sent, with nothing left to click.
    const other = await prisma.unitRole.findFirstOrThrow({ where: { role: 'ORGANISER', personId: { not: o.id } }, include: { person: true } });
    const copy = cardsTo(other.person.openId!).find((m) => m.content.includes('2026年11月经济运行专报'))!;
    await bot.sandbox.messages.waitFor((m) => m.messageId === copy.messageId && m.content.includes('已发送给领导'), 15_000);
    expect(inputsOf(bot.sandbox.messages.get(copy.messageId)!.content)).toHaveLength(0);
    // Every leader got it, once.
    const leaders = await prisma.leader.count({ where: { active: true, person: { openId: { not: null } } } });
    expect(await prisma.outboundMessage.count({ where: { kind: 'FILE_UPLOAD', dedupeKey: { startsWith: 'mreport-docx-' } } })).toBe(leaders);
  });

  it('「专报」 shows an organiser the card as sent; a leader may not use it', async () => {
    const o = await organiser();
    let seen = mark();
    await bot.sandbox.userSays(o.openId, '专报 2026-11');
    const card = await waitFor(o.openId, '已发送给领导', seen);
    expect(card.content).toContain(`已由 **${o.name}**`);
    expect(inputsOf(card.content)).toHaveLength(0);
    seen = mark();
    await bot.sandbox.userSays(VICE_MAYOR, '专报');
    const refused = await waitFor(VICE_MAYOR, '仅供经济运行例会办公室使用', seen);
    expect(refused.content).toContain('无权操作');
    seen = mark();
    await bot.sandbox.userSays(o.openId, '专报 2026-09');
    expect((await waitFor(o.openId, '专报尚未生成', seen)).content).toContain('2026年9月的专报尚未生成');
  });

  it('waits for the lights of the close before drafting (the job is retried), then drafts', async () => {
    const oct = await prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: '2026-10', cycle: { code: 'monthly' } } });
    const deps = { prisma, clock, logger: bot.ctx.logger, queues: bot.ctx.queues };
    const lights = await prisma.followUp.create({ data: { name: 'lights.evaluate.v1', payload: { periodId: oct.id, batch: 'close-test' }, jobId: `lights-close-${oct.id}-test` } });
    await expect(runGenerate(deps, { periodId: oct.id, batch: 'close-test' })).rejects.toBeInstanceOf(LightsPendingError);
    expect(await prisma.monthlyReport.count({ where: { periodId: oct.id } })).toBe(0);
    await prisma.followUp.update({ where: { id: lights.id }, data: { status: 'DONE', doneAt: clock.now() } });
    await runGenerate(deps, { periodId: oct.id, batch: 'close-test' });
    expect(await prisma.monthlyReport.count({ where: { periodId: oct.id } })).toBe(1);
  });
});
