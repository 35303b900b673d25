// Jobs: the monthly 经济运行专报. 'report.generate.v1' (after the close's ranking): waits for the close's
// lights, drafts the report and sends the organisers the review card. 'report.send.v1' (after 发送给领导):
// builds the .docx with its charts and writes, once per leader, the summary card and the file.
import type { JobHandlers } from './catalog.ts';
import type { MeetingJobDeps } from './meetings.job.ts';
import { collectWritten } from '../src/outbox/written.ts';
import { enqueueOutbound } from '../src/outbox/outbox.enqueue.ts';
import { beijingDate } from '../src/platform/business-time.ts';
import { generateReport, reportContent, writeLeaderMessages } from '../src/modules/report/report.service.ts';
import { buildReportDocx } from '../src/report/docx.ts';

const chineseDate = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

type Deps = Pick<MeetingJobDeps, 'prisma' | 'clock' | 'logger' | 'queues'>;

/** Thrown while the close's light evaluation is still to run: BullMQ retries the job a little later. */
export class LightsPendingError extends Error {
  constructor(periodId: string) {
    super(`lights of the close of ${periodId} not evaluated yet; the report waits for them`);
  }
}

export async function runGenerate(deps: Deps, p: { periodId: string; batch: string }) {
  // The table shows the lights of the close: draft it only once they are in.
  const pending = await deps.prisma.followUp.count({
    where: { name: 'lights.evaluate.v1', status: 'PENDING', jobId: { startsWith: `lights-close-${p.periodId}` } },
  });
  if (pending) throw new LightsPendingError(p.periodId);
  const { result, written } = await collectWritten(() => generateReport(deps.prisma, p.periodId, deps.clock.now()));
  await enqueueOutbound(deps.queues, written.outbound);
  deps.logger.info({ period: p.periodId, ...result }, '[report] drafted for review');
  return result;
}

export async function runSend(deps: Deps, p: { reportId: string }) {
  const { facts, paragraphs, generatedAt } = await reportContent(deps.prisma, p.reportId);
  const docx = await buildReportDocx(facts, paragraphs, { generatedAt: chineseDate(beijingDate(generatedAt)) });
  const { result, written } = await collectWritten(() => deps.prisma.$transaction((tx) => writeLeaderMessages(tx, p.reportId, docx), { timeout: 60_000 }));
  await enqueueOutbound(deps.queues, written.outbound);
  deps.logger.info({ report: p.reportId, leaders: result, bytes: docx.length }, '[report] sent to the leaders');
  return { leaders: result };
}

export function reportHandlers(deps: Deps): JobHandlers {
  return { 'report.generate.v1': (p) => runGenerate(deps, p), 'report.send.v1': (p) => runSend(deps, p) };
}
