// Meetings: the 约谈 archive (记入档案). A 约谈's record is filed once from the record form and never
// changed (a second filing is shown the record); its follow-up outcomes are appended. 专题会 / 例会 are
// marked 已召开. The archive is listed (约谈记录) and exported to Excel (导出约谈记录).
import ExcelJS from 'exceljs';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import { beijingDate, beijingDateTime } from '../../platform/business-time.ts';
import { addFollowUp } from '../../outbox/follow-ups.ts';
import { FOLLOWUP_OUTCOMES, type FollowUpOutcome, type RecordView } from '../../../cards/meeting-record.ts';
import type { InterviewForm } from '../../commands/command.ts';
import { periodLabel } from '../collection/schedule.ts';
import { whenLabelOf, type LoadedMeeting } from './scheduling.ts';

type Db = PrismaClient | Tx;

/** A @db.Date (UTC midnight) or a 'YYYY-MM-DD' → 2026年12月22日. */
export function dayLabel(d: Date | string): string {
  const s = typeof d === 'string' ? d : d.toISOString().slice(0, 10);
  const [y, m, day] = s.split('-').map(Number);
  return `${y}年${m}月${day}日`;
}

/** 'YYYY-MM-DD' → the @db.Date value. */
export const dateOnly = (s: string) => new Date(`${s}T00:00:00Z`);
/** The follow-up reminder goes out at 09:00 Beijing on the 跟踪日期. */
export const followUpAt = (day: string) => new Date(`${day}T09:00:00+08:00`);

export const metWord = (met: boolean | null) => (met === true ? FOLLOWUP_OUTCOMES.met : met === false ? FOLLOWUP_OUTCOMES.unmet : FOLLOWUP_OUTCOMES.partly);
export const metOf = (o: FollowUpOutcome): boolean | null => (o === 'met' ? true : o === 'unmet' ? false : null);

export function reasonsOf(m: { reasons: Prisma.JsonValue; agenda: string | null }): string[] {
  const r = Array.isArray(m.reasons) ? m.reasons.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
  return r.length ? r : m.agenda ? [m.agenda] : [];
}

/** The unit's line in the composite ranking of the meeting's period (its warning's period), if ranked. */
export async function rankingNoteOf(db: Db, m: { unitId: string | null; periodId: string | null; warningId: string | null }): Promise<string | undefined> {
  if (!m.unitId) return undefined;
  const periodId = m.periodId ?? (m.warningId ? (await db.warning.findUnique({ where: { id: m.warningId }, select: { periodId: true } }))?.periodId : null);
  if (!periodId) return undefined;
  const ranking = await db.ranking.findUnique({
    where: { periodId_scope: { periodId, scope: 'composite' } },
    include: { period: { include: { cycle: true } }, entries: { where: { unitId: m.unitId } }, _count: { select: { entries: true } } },
  });
  const e = ranking?.entries[0];
  if (!ranking || !e) return undefined;
  return `${periodLabel(ranking.period.cycle.frequency, ranking.period.periodKey)}综合排名第 ${e.rank} 位（共 ${ranking._count.entries} 个${e.tied ? '，并列' : ''}）`;
}

const recordInclude = {
  meeting: true,
  unit: true,
  interviewee: true,
  recordedBy: true,
  followUps: { include: { recordedBy: true }, orderBy: { at: 'asc' } },
} satisfies Prisma.InterviewRecordInclude;
type LoadedRecord = Prisma.InterviewRecordGetPayload<{ include: typeof recordInclude }>;

async function warningLabels(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const ws = await db.warning.findMany({ where: { id: { in: ids } }, include: { indicator: true, period: { include: { cycle: true } } } });
  const level = { RED: '红灯', YELLOW: '黄灯', GREEN: '绿灯' } as Record<string, string>;
  return new Map(ws.map((w) => [w.id, `${periodLabel(w.period.cycle.frequency, w.period.periodKey)} ${w.indicator.name} ${level[w.level] ?? w.level}`]));
}

function viewOf(r: LoadedRecord, warnings: Map<string, string>): RecordView {
  const m = r.meeting;
  return {
    no: m.no,
    title: m.title,
    unitName: r.unit.shortName ?? r.unit.name,
    interviewee: r.interviewee ? `${r.interviewee.name}${r.interviewee.title ? `（${r.interviewee.title}）` : ''}` : '—',
    interviewers: r.interviewers ?? '—',
    reasons: r.reason ? r.reason.split('\n').filter(Boolean) : [],
    warnings: r.warningIds.map((id) => warnings.get(id)).filter((x): x is string => !!x),
    ...(r.rankingNote ? { rankingNote: r.rankingNote } : {}),
    heldLabel: whenLabelOf(m),
    heldDate: dayLabel(beijingDate(r.heldAt ?? m.startsAt)),
    commitments: r.commitments ?? '',
    ...(r.followUpDate ? { followUpLabel: dayLabel(r.followUpDate) } : {}),
    outcomes: r.followUps.map((f) => ({ at: beijingDateTime(f.at), met: metWord(f.met), outcome: f.outcome, by: f.recordedBy?.name ?? '—' })),
    recordedBy: r.recordedBy?.name ?? '—',
    archivedAt: beijingDateTime(r.archivedAt ?? r.createdAt),
  };
}

/**
 * The person talked to as the record shows it. The schema keeps only a Person link: a name typed that is
 * not the attendee (nor their delegate) leaves the link empty and is kept in the audit log.
 */
async function withWrittenNames(db: Db, rows: LoadedRecord[]): Promise<Map<string, string>> {
  const missing = rows.filter((r) => !r.intervieweeId).map((r) => r.id);
  if (!missing.length) return new Map();
  const logs = await db.auditLog.findMany({ where: { entity: 'InterviewRecord', entityId: { in: missing }, action: 'interview.record' } });
  const out = new Map<string, string>();
  for (const l of logs) {
    const written = (l.data as { interviewee?: string } | null)?.interviewee;
    if (l.entityId && written) out.set(l.entityId, written);
  }
  return out;
}

async function viewsOf(db: Db, rows: LoadedRecord[]): Promise<RecordView[]> {
  const warnings = await warningLabels(db, [...new Set(rows.flatMap((r) => r.warningIds))]);
  const written = await withWrittenNames(db, rows);
  return rows.map((r) => {
    const v = viewOf(r, warnings);
    const w = written.get(r.id);
    return w ? { ...v, interviewee: w } : v;
  });
}

export async function loadRecordView(db: Db, recordId: string): Promise<RecordView | null> {
  const r = await db.interviewRecord.findUnique({ where: { id: recordId }, include: recordInclude });
  return r ? (await viewsOf(db, [r]))[0]! : null;
}

/** The archive, newest first: of one unit, or of all. */
export async function listRecords(db: Db, opts: { unitId?: string; limit?: number }): Promise<{ records: RecordView[]; total: number }> {
  const where = opts.unitId ? { unitId: opts.unitId } : {};
  const [rows, total] = await Promise.all([
    db.interviewRecord.findMany({ where, include: recordInclude, orderBy: [{ heldAt: 'desc' }, { createdAt: 'desc' }], ...(opts.limit ? { take: opts.limit } : {}) }),
    db.interviewRecord.count({ where }),
  ]);
  return { records: await viewsOf(db, rows), total };
}

// ───────────── filing ─────────────

export type Filed = { ok: true; recordId: string; followUpDate: string | null } | { ok: false; already: true; recordId: string } | { ok: false; already: false; problems: string[] };

/** Files the record of a 约谈 that has taken place (the caller checked who and when). */
export async function fileInterviewRecord(tx: Tx, m: LoadedMeeting, form: InterviewForm, by: { personId: string; now: Date }, prefill: { interviewee: string; intervieweeId: string | null; interviewers: string }): Promise<Filed> {
  const existing = await tx.interviewRecord.findUnique({ where: { meetingId: m.id }, select: { id: true } });
  if (existing) return { ok: false, already: true, recordId: existing.id };
  const problems: string[] = [];
  const commitments = form.commitments?.trim() ?? '';
  if (!commitments) problems.push('请填写被约谈人的表态和承诺（表态/承诺），再记入档案');
  const follow = form.followUpDate;
  const heldDay = beijingDate(m.startsAt);
  if (follow && follow <= heldDay) problems.push(`跟踪日期应晚于约谈日期（${dayLabel(heldDay)}），请重新选择`);
  if (follow && follow <= beijingDate(by.now)) problems.push('跟踪日期应在今天之后，请重新选择');
  if (problems.length) return { ok: false, already: false, problems };
  const unitId = m.unitId ?? m.attendees.find((a) => a.role === 'INTERVIEWEE')?.unitId;
  if (!unitId) return { ok: false, already: false, problems: ['这次约谈没有约谈单位，无法归档，请联系管理员'] };

  // Who was talked to: the prefilled attendee (or delegate) unless another name was typed.
  const typed = form.interviewee?.trim() ?? '';
  const attendee = m.attendees.find((a) => a.role === 'INTERVIEWEE');
  const names = [prefill.interviewee, attendee?.person.name ?? '', attendee?.delegateName ?? ''].filter(Boolean);
  const sameAsPrefill = !typed || names.some((n) => typed.includes(n.replace(/（.*）$/, '')));
  const intervieweeId = sameAsPrefill ? (attendee && typed && attendee.delegateName && typed.includes(attendee.delegateName) ? attendee.delegateId : prefill.intervieweeId) : null;
  const rankingNote = await rankingNoteOf(tx, { unitId, periodId: m.periodId, warningId: m.warningId });
  const reasons = reasonsOf(m);

  const { count } = await tx.interviewRecord.createMany({
    data: [
      {
        meetingId: m.id,
        unitId,
        intervieweeId,
        reason: reasons.join('\n') || m.title,
        interviewers: form.interviewers?.trim() || prefill.interviewers || null,
        warningIds: m.warningId ? [m.warningId] : [],
        rankingNote: rankingNote ?? null,
        heldAt: m.startsAt,
        commitments,
        followUpDate: follow ? dateOnly(follow) : null,
        recordedById: by.personId,
        archivedAt: by.now,
      },
    ],
    skipDuplicates: true,
  });
  const row = await tx.interviewRecord.findUniqueOrThrow({ where: { meetingId: m.id }, select: { id: true } });
  // A concurrent filing won: this one is the second.
  if (count === 0) return { ok: false, already: true, recordId: row.id };
  await tx.meeting.update({ where: { id: m.id }, data: { status: 'HELD' } });
  // No columns for a typed name or the note: kept in the audit log (schema suggestion in the report).
  await tx.auditLog.create({
    data: {
      at: by.now,
      actorId: by.personId,
      action: 'interview.record',
      entity: 'InterviewRecord',
      entityId: row.id,
      data: { meetingId: m.id, interviewee: typed || prefill.interviewee, ...(form.note?.trim() ? { note: form.note.trim() } : {}) },
    },
  });
  if (follow) await addFollowUp(tx, { name: 'interview.followup.v1', payload: { recordId: row.id }, jobId: `ifollow-${row.id}`, runAt: followUpAt(follow) });
  return { ok: true, recordId: row.id, followUpDate: follow ?? null };
}

/** Appends a follow-up outcome; the same delivery (requestKey) is one row. */
export async function addFollowUpOutcome(tx: Tx, recordId: string, input: { outcome: string; met: boolean | null; personId: string; now: Date; requestKey: string }): Promise<{ created: boolean }> {
  const { count } = await tx.interviewFollowUp.createMany({
    data: [{ recordId, outcome: input.outcome, met: input.met, recordedById: input.personId, at: input.now, requestKey: input.requestKey }],
    skipDuplicates: true,
  });
  return { created: count === 1 };
}

// ───────────── export ─────────────

const HEADERS: [string, number][] = [
  ['会议编号', 10],
  ['约谈单位', 16],
  ['被约谈人', 18],
  ['约谈人', 24],
  ['约谈时间', 28],
  ['约谈事由', 40],
  ['关联预警', 32],
  ['排名情况', 28],
  ['表态/承诺', 50],
  ['跟踪日期', 16],
  ['落实情况', 50],
  ['记录人', 10],
  ['归档时间', 18],
];

/** The archive as an .xlsx workbook, one row per 约谈, with Chinese headers. */
export async function buildRecordsWorkbook(title: string, records: RecordView[], generatedAt: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '经济运行调度助手';
  const ws = wb.addWorksheet('约谈记录');
  ws.mergeCells(1, 1, 1, HEADERS.length);
  ws.getCell(1, 1).value = title;
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.mergeCells(2, 1, 2, HEADERS.length);
  ws.getCell(2, 1).value = `导出时间：${generatedAt}，共 ${records.length} 条`;
  const head = ws.getRow(3);
  HEADERS.forEach(([h, w], i) => {
    head.getCell(i + 1).value = h;
    head.getCell(i + 1).font = { bold: true };
    ws.getColumn(i + 1).width = w;
  });
  for (const r of records) {
    const row = ws.addRow([
      r.no,
      r.unitName,
      r.interviewee,
      r.interviewers,
      r.heldLabel,
      r.reasons.join('\n'),
      r.warnings.join('\n'),
      r.rankingNote ?? '',
      r.commitments,
      r.followUpLabel ?? '',
      r.outcomes.map((o) => `${o.at} ${o.met}：${o.outcome}（${o.by}）`).join('\n'),
      r.recordedBy,
      r.archivedAt,
    ]);
    row.alignment = { wrapText: true, vertical: 'top' };
  }
  ws.views = [{ state: 'frozen', ySplit: 3 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
