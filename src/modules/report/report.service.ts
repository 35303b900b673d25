// Domain: the 专报's life — drafted at close (one report per month; a re-close before it was sent drafts it
// again as a new revision), reviewed and edited by the organisers (every edit a new revision, append-only),
// sent once to the leaders (the .docx and a summary card, written by the send job). No SDK, no BullMQ.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import { beijingDateTime } from '../../platform/business-time.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { addFollowUp } from '../../outbox/follow-ups.ts';
import { formatValue } from '../collection/collection.repo.ts';
import { reportReviewCard, reportSummaryCard, type ReportIndicatorLine, type ReportView } from '../../../cards/report.ts';
import type { Card } from '../../../cards/card.ts';
import { spanLabel, type MonthFacts } from './facts.ts';
import { draftParagraphs, growthPhrase, targetPhrase, PARAGRAPH_MAX, REPORT_TEXT_MAX, type Paragraph } from './narrative.ts';
import { gatherMonth } from './gather.ts';

type Db = PrismaClient | Tx;
const json = (x: unknown) => x as Prisma.InputJsonValue;

/** Leaders who receive the report: every active leader with a Feishu account. */
export async function reportLeaders(db: Db) {
  const rows = await db.leader.findMany({ where: { active: true, person: { active: true, openId: { not: null } } }, include: { person: true }, orderBy: [{ rank: 'asc' }, { person: { code: 'asc' } }] });
  return rows.map((l) => ({ personId: l.personId, openId: l.person.openId!, name: l.person.name }));
}

async function organisers(db: Db) {
  const rows = await db.unitRole.findMany({ where: { role: 'ORGANISER', active: true, person: { active: true, openId: { not: null } } }, include: { person: true }, orderBy: { person: { code: 'asc' } } });
  return [...new Map(rows.map((r) => [r.personId, { personId: r.personId, openId: r.person.openId!, name: r.person.name }])).values()];
}

/** From the ranking job at close: the report is drafted once the month is ranked. */
export function reportLater(tx: Db, periodId: string, batch: string): Promise<string> {
  return addFollowUp(tx, { name: 'report.generate.v1', payload: { periodId, batch }, jobId: `mreport-${periodId}-${batch}` });
}

export const fileNameOf = (f: Pick<MonthFacts, 'cityName' | 'periodLabel'>) => `${f.cityName}经济运行专报（${f.periodLabel}）.docx`;

function indicatorLines(f: MonthFacts): ReportIndicatorLine[] {
  return f.indicators.map((ind) => {
    const c = ind.city;
    const span = spanLabel(f.periodKey, ind.cumulative);
    if (c.value === null) return { name: ind.name, figure: `${span}暂无全市汇总数${c.missing ? `（${c.missing} 个区县未报送）` : ''}` };
    const figure = `${span} ${formatValue(String(c.value), ind.decimals)} ${ind.measureUnit}${ind.yoy && c.growthPct !== null ? `，${growthPhrase(c.growthPct)}` : ''}`;
    const target = ind.yoy && c.growthPct !== null && ind.targetPct !== null ? `目标 ${ind.targetPct.toFixed(1)}%，${targetPhrase(c.growthPct, ind.targetPct)}` : undefined;
    return { name: ind.name, figure, ...(target ? { target } : {}), light: ind.light };
  });
}

function factLines(f: MonthFacts): string[] {
  return [
    `${f.units.total} 个责任单位，已完成报送 ${f.units.submitted} 个${f.units.missing ? `，未完成 ${f.units.missing} 个` : ''}`,
    `预警：红灯 ${f.warnings.red} 个、黄灯 ${f.warnings.yellow} 个`,
    ...(f.ranking?.entries.length ? [`综合排名第一 ${f.ranking.entries[0]!.unit}，末位 ${f.ranking.entries.at(-1)!.unit}`] : []),
  ];
}

/** The review card of a report as it stands (its latest revision; sent or not). */
export async function reviewCardOf(db: Db, reportId: string): Promise<Card> {
  const r = await db.monthlyReport.findUniqueOrThrow({ where: { id: reportId }, include: { sentBy: true } });
  const rev = await db.monthlyReportRevision.findFirstOrThrow({ where: { reportId }, orderBy: { revisionNo: 'desc' }, include: { editedBy: true } });
  const facts = r.facts as unknown as MonthFacts;
  const paragraphs = rev.paragraphs as unknown as Paragraph[];
  const view: ReportView = {
    reportId,
    periodLabel: facts.periodLabel,
    cityName: facts.cityName,
    revisionNo: rev.revisionNo,
    ...(rev.editedBy ? { editedBy: { name: rev.editedBy.name, at: beijingDateTime(rev.createdAt) } } : {}),
    indicators: indicatorLines(facts),
    facts: factLines(facts),
    paragraphs,
  };
  if (r.status === 'SENT') view.sent = { by: r.sentBy?.name ?? '例会办公室', at: beijingDateTime(r.sentAt!), leaders: (await reportLeaders(db)).length };
  return reportReviewCard(view);
}

/**
 * Drafts the month's report from the figures as they are now, and sends the review card to every organiser.
 * Once per close (the job id); a report already sent is left as it is.
 */
export async function generateReport(prisma: PrismaClient, periodId: string, now: Date): Promise<{ reportId: string; revisionNo: number; created: boolean } | { skipped: string }> {
  const existing = await prisma.monthlyReport.findUnique({ where: { periodId } });
  if (existing?.status === 'SENT') return { skipped: 'already sent' };
  const facts = await gatherMonth(prisma, periodId, now);
  // A cycle the regions do not report in (the working groups' own ledger) has no 专报 of its own.
  if (!facts.indicators.length) return { skipped: 'no indicators of the regions in this cycle' };
  const paragraphs = draftParagraphs(facts);
  return prisma.$transaction(
    async (tx) => {
      const report = existing
        ? await tx.monthlyReport.update({ where: { id: existing.id }, data: { facts: json(facts), generatedAt: now } })
        : await tx.monthlyReport.create({ data: { periodId, facts: json(facts), generatedAt: now } });
      const last = await tx.monthlyReportRevision.findFirst({ where: { reportId: report.id }, orderBy: { revisionNo: 'desc' } });
      const revisionNo = (last?.revisionNo ?? 0) + 1;
      await tx.monthlyReportRevision.create({ data: { reportId: report.id, revisionNo, paragraphs: json(paragraphs), createdAt: now } });
      const review = await reviewCardOf(tx, report.id);
      for (const o of await organisers(tx)) {
        await addOutbound(tx, { kind: 'SEND', dedupeKey: `mreport-review-${report.id}-${revisionNo}-${o.personId}`, receiveIdType: 'open_id', receiveId: o.openId, msgType: 'interactive', content: json(review) });
      }
      return { reportId: report.id, revisionNo, created: !existing };
    },
    { timeout: 60_000 },
  );
}

export type EditResult =
  | { ok: true; revisionNo: number; changed: boolean }
  | { ok: false; message: string };

/**
 * An organiser's texts for the revision they saw: a new revision when anything changed. Refused, changing
 * nothing, when the report was sent, someone saved a newer revision, or a paragraph is empty or too long.
 */
export async function saveEdits(tx: Tx, reportId: string, seenRevisionNo: number, texts: Record<number, string>, editorId: string, now: Date): Promise<EditResult> {
  const report = await tx.monthlyReport.findUnique({ where: { id: reportId } });
  if (!report) return { ok: false, message: '没有找到这份专报，请发送「专报」重新获取。' };
  if (report.status === 'SENT') return { ok: false, message: '专报已发送给领导，不能再修改。' };
  const rev = await tx.monthlyReportRevision.findFirstOrThrow({ where: { reportId }, orderBy: { revisionNo: 'desc' }, include: { editedBy: true } });
  if (rev.revisionNo !== seenRevisionNo) {
    return { ok: false, message: `专报已有更新的第 ${rev.revisionNo} 稿${rev.editedBy ? `（${rev.editedBy.name} 修改）` : ''}，您的修改未保存。请在新卡片上修改。` };
  }
  const paragraphs = rev.paragraphs as unknown as Paragraph[];
  const next = paragraphs.map((p, i) => ({ ...p, text: texts[i] === undefined ? p.text : texts[i]!.trim() }));
  for (const p of next) {
    if (!p.text) return { ok: false, message: `「${p.title}」不能为空，请填写后重新保存。` };
    const n = [...p.text].length;
    if (n > PARAGRAPH_MAX) return { ok: false, message: `「${p.title}」最多 ${PARAGRAPH_MAX} 字，当前 ${n} 字，请精简后重新保存。` };
  }
  const total = next.reduce((n, p) => n + [...p.text].length, 0);
  if (total > REPORT_TEXT_MAX) return { ok: false, message: `专报正文最多 ${REPORT_TEXT_MAX} 字，当前 ${total} 字，请精简后重新保存。` };
  if (next.every((p, i) => p.text === paragraphs[i]!.text)) return { ok: true, revisionNo: rev.revisionNo, changed: false };
  await tx.monthlyReportRevision.create({ data: { reportId, revisionNo: rev.revisionNo + 1, paragraphs: json(next), editedById: editorId, createdAt: now } });
  await tx.auditLog.create({ data: { at: now, actorId: editorId, action: 'mreport.edit', entity: 'MonthlyReport', entityId: reportId, data: { revisionNo: rev.revisionNo + 1 } } });
  return { ok: true, revisionNo: rev.revisionNo + 1, changed: true };
}

/** Marks the report sent (once: a second click, or a second organiser, finds it sent) and plans the send job. */
export async function markSent(tx: Tx, reportId: string, senderId: string, now: Date): Promise<{ sent: boolean; leaders: number }> {
  const rev = await tx.monthlyReportRevision.findFirstOrThrow({ where: { reportId }, orderBy: { revisionNo: 'desc' } });
  const { count } = await tx.monthlyReport.updateMany({ where: { id: reportId, status: 'DRAFT' }, data: { status: 'SENT', sentAt: now, sentById: senderId, sentRevisionNo: rev.revisionNo } });
  if (!count) return { sent: false, leaders: 0 };
  await tx.auditLog.create({ data: { at: now, actorId: senderId, action: 'mreport.send', entity: 'MonthlyReport', entityId: reportId, data: { revisionNo: rev.revisionNo } } });
  await addFollowUp(tx, { name: 'report.send.v1', payload: { reportId }, jobId: `mreport-send-${reportId}` });
  return { sent: true, leaders: (await reportLeaders(tx)).length };
}

/**
 * Once sent, the other organisers' review cards turn into the sent card (a review card still on its way is
 * dropped): nobody is left with 发送给领导 on a report that went out.
 */
export async function updateReviewCopies(tx: Tx, reportId: string, card: Card, actedMessageId: string): Promise<void> {
  const rows = await tx.outboundMessage.findMany({ where: { dedupeKey: { startsWith: `mreport-review-${reportId}-` }, kind: 'SEND' } });
  for (const r of rows) {
    if (r.status === 'PENDING') {
      await tx.outboundMessage.updateMany({ where: { id: r.id, status: 'PENDING' }, data: { status: 'CANCELLED' } });
      continue;
    }
    if (r.status !== 'SENT' || !r.feishuMessageId || r.feishuMessageId === actedMessageId) continue;
    await addOutbound(tx, { kind: 'UPDATE_CARD', dedupeKey: `${r.dedupeKey}-sent`, targetMessageId: r.feishuMessageId, content: json(card) });
  }
}

/** The leaders' messages of a sent report: a summary card, then the .docx (built by the caller). Once each. */
export async function writeLeaderMessages(tx: Tx, reportId: string, docx: Buffer): Promise<number> {
  const r = await tx.monthlyReport.findUniqueOrThrow({ where: { id: reportId } });
  const facts = r.facts as unknown as MonthFacts;
  const rev = await tx.monthlyReportRevision.findUniqueOrThrow({ where: { reportId_revisionNo: { reportId, revisionNo: r.sentRevisionNo! } } });
  const paragraphs = rev.paragraphs as unknown as Paragraph[];
  const fileName = fileNameOf(facts);
  const summary = reportSummaryCard({
    periodLabel: facts.periodLabel,
    cityName: facts.cityName,
    indicators: indicatorLines(facts),
    facts: factLines(facts),
    summary: paragraphs.find((p) => p.key === 'summary')?.text ?? paragraphs[0]?.text ?? '',
    fileName,
  });
  const base64 = docx.toString('base64');
  const leaders = await reportLeaders(tx);
  for (const l of leaders) {
    await addOutbound(tx, { kind: 'SEND', dedupeKey: `mreport-card-${reportId}-${l.personId}`, receiveIdType: 'open_id', receiveId: l.openId, msgType: 'interactive', content: json(summary) });
    await addOutbound(tx, { kind: 'FILE_UPLOAD', dedupeKey: `mreport-docx-${reportId}-${l.personId}`, receiveIdType: 'open_id', receiveId: l.openId, content: { fileName, fileType: 'doc', base64 } });
  }
  return leaders.length;
}

/** The paragraphs of the revision that was sent (or the latest) with the facts: what the docx is built from. */
export async function reportContent(db: Db, reportId: string): Promise<{ facts: MonthFacts; paragraphs: Paragraph[]; generatedAt: Date }> {
  const r = await db.monthlyReport.findUniqueOrThrow({ where: { id: reportId } });
  const rev = r.sentRevisionNo
    ? await db.monthlyReportRevision.findUniqueOrThrow({ where: { reportId_revisionNo: { reportId, revisionNo: r.sentRevisionNo } } })
    : await db.monthlyReportRevision.findFirstOrThrow({ where: { reportId }, orderBy: { revisionNo: 'desc' } });
  return { facts: r.facts as unknown as MonthFacts, paragraphs: rev.paragraphs as unknown as Paragraph[], generatedAt: r.generatedAt };
}
