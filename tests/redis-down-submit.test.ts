// Redis fails after the commit: the officer who submitted is told 「已提交」 (it is saved), and the work
// the submission started — the lights evaluation — is a follow-up row in PostgreSQL that runs once Redis
// is back, instead of being lost for good.
import { afterAll, describe, expect, it } from 'vitest';
import { startTestBot, liaisonOf, type TestBot } from './support/bot.ts';
import { startPrivateRedis } from './support/redis-server.ts';
import { waitUntil } from './support/outbound.ts';
import type { Clock } from '../src/platform/clock.ts';
import { fieldNames } from '../cards/collection-form.ts';
import { assignedIndicators } from '../src/modules/collection/collection.repo.ts';

/** The wall clock, shifted to a day the November report is open. */
function shiftedClock(start: string): Clock {
  const offset = new Date(start).getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

const server = await startPrivateRedis();
afterAll(() => server.stop());
const bot: TestBot = await startTestBot({ clock: shiftedClock('2026-12-14T02:00:00Z'), env: { REDIS_URL: server.url, REDIS_CHECK_EVERY_MS: '500' } });
const { prisma } = bot.ctx;

describe('Redis down when a liaison submits', () => {
  it('says 已提交 because it is saved, and evaluates the lights once Redis is back', async () => {
    const liaison = await liaisonOf(bot, 'qingshan-district');
    const period = await prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: '2026-11', cycle: { code: 'monthly' } } });
    const report = await prisma.unitReport.findFirstOrThrow({ where: { periodId: period.id, unit: { code: 'qingshan-district' } }, include: { unit: true } });
    const card = bot.sandbox.messages.toUser(liaison.openId).find((m) => m.msgType === 'interactive' && m.content.includes(report.id))!;
    const inds = await assignedIndicators(prisma, period.cycleId, report.unitId, '2026-11');
    const names = fieldNames(inds.map((i) => i.code));
    const formValue: Record<string, string> = {};
    inds.slice(0, 5).forEach((ind, i) => {
      formValue[names[ind.code]!.value] = `${1000 + i * 100}.5`;
      formValue[names[ind.code]!.growth] = '9.5';
    });

    await server.stop();
    const answer = await bot.sandbox.clickCard({ openId: liaison.openId, messageId: card.messageId, value: { a: 'report.submit', v: 1, r: report.id, p: 1 }, formValue });
    expect(answer.toast).toMatchObject({ type: 'success', content: '已提交' });
    expect(await prisma.submission.count({ where: { periodId: period.id, unitId: report.unitId } })).toBe(Math.min(5, inds.length));
    const followUp = await prisma.followUp.findFirstOrThrow({ where: { name: 'lights.evaluate.v1' } });
    expect(followUp.status).toBe('PENDING');
    expect(await prisma.warning.count({ where: { periodId: period.id, unitId: report.unitId } })).toBe(0);

    await server.start();
    await waitUntil(async () => (await prisma.followUp.findUniqueOrThrow({ where: { id: followUp.id } })).status === 'DONE', 'the evaluation ran', 20_000);
    expect(await prisma.warning.count({ where: { periodId: period.id, unitId: report.unitId } })).toBeGreaterThan(0);
  });
});
