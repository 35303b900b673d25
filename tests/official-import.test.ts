// Official figures sent as a file in chat: the organiser uploads a CSV to the bot, the worker downloads it
// through the SDK, each row becomes an OFFICIAL revision that supersedes the flash figure without
// overwriting it, bad rows are named, and a liaison's file is refused.
import { describe, expect, it } from 'vitest';
import { startTestBot } from './support/bot.ts';
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
