// Domain: the 专报's commands — 「专报 [期别]」 gives an organiser the review card again; 保存修改 and
// 发送给领导 on that card. Organisers only; everyone else is told so and nothing changes.
import type { ReportCard, ReportMessage } from '../../commands/command.ts';
import type { HandlerTable, Outcome } from '../shared/outcome.ts';
import { isOrganiser, reply } from '../shared/results.ts';
import { noticeCard } from '../../../cards/collection-admin.ts';
import { periodLabel } from '../collection/schedule.ts';
import { markSent, reportLeaders, reviewCardOf, saveEdits, updateReviewCopies } from './report.service.ts';

const ORGANISERS_ONLY = '「专报」仅供经济运行例会办公室使用。';

export const reportMessages: HandlerTable<ReportMessage> = {
  'mreport.review': async (cmd, { tx, actor }) => {
    if (!isOrganiser(actor)) return reply(noticeCard('无权操作', [ORGANISERS_ONLY], 'grey'));
    const where = cmd.period ? { period: { periodKey: cmd.period, cycle: { frequency: 'MONTHLY' as const } } } : {};
    const report = await tx.monthlyReport.findFirst({ where, orderBy: { period: { periodKey: 'desc' } } });
    if (!report) {
      const what = cmd.period ? `${periodLabel('MONTHLY', cmd.period)}的专报` : '专报';
      return reply(noticeCard('专报尚未生成', [`${what}尚未生成：关闭当月报送（「关闭报送 2026-11」）后，专报自动生成并发给例会办公室审核。`], 'grey'));
    }
    return reply(await reviewCardOf(tx, report.id));
  },
};

async function edit(cmd: ReportCard, ctx: Parameters<HandlerTable<ReportCard>['mreport.save']>[1]): Promise<Outcome> {
  const { tx, actor, now } = ctx;
  if (!isOrganiser(actor)) return { toast: { type: 'error', content: ORGANISERS_ONLY } };
  const report = await tx.monthlyReport.findUnique({ where: { id: cmd.reportId } });
  if (!report) return { toast: { type: 'error', content: '没有找到这份专报，请发送「专报」重新获取。' } };
  if (report.status === 'SENT') {
    return { toast: { type: 'info', content: '专报已发送给领导，不会重复发送。' }, card: await reviewCardOf(tx, report.id) };
  }
  const saved = await saveEdits(tx, cmd.reportId, cmd.revisionNo, cmd.texts, actor.personId, now);
  if (!saved.ok) return { toast: { type: 'error', content: saved.message }, card: await reviewCardOf(tx, report.id) };
  if (cmd.kind === 'mreport.save') {
    const content = saved.changed ? `已保存修改（第 ${saved.revisionNo} 稿）。确认无误后按「发送给领导」。` : '内容没有修改。';
    return { toast: { type: saved.changed ? 'success' : 'info', content }, card: await reviewCardOf(tx, report.id) };
  }
  if (!(await reportLeaders(tx)).length) {
    return { toast: { type: 'error', content: `名录中没有可接收专报的市领导（需有飞书账号），请在城市配置的 leaders 中补充后再发送。${saved.changed ? '您的修改已保存。' : ''}` }, card: await reviewCardOf(tx, report.id) };
  }
  const sent = await markSent(tx, report.id, actor.personId, now);
  const content = sent.sent ? `专报（第 ${saved.revisionNo} 稿）正在发送给 ${sent.leaders} 位领导。` : '专报已发送给领导，不会重复发送。';
  const card = await reviewCardOf(tx, report.id);
  if (sent.sent) await updateReviewCopies(tx, report.id, card, ctx.origin.messageId);
  return { toast: { type: sent.sent ? 'success' : 'info', content }, card };
}

export const reportCards: HandlerTable<ReportCard> = { 'mreport.save': edit, 'mreport.send': edit };
