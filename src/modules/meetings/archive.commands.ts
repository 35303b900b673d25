// Meetings: after a meeting — 已召开, the 约谈 record (记入档案), its follow-up, 约谈记录 and its export.
import type { MeetingsCard, MeetingsMessage } from '../../commands/command.ts';
import { toast, type Outcome, type HandlerTable, type UseCaseContext } from '../shared/outcome.ts';
import { reply } from '../shared/results.ts';
import { isOrganiser } from '../shared/roles.ts';
import { findUnitByName } from '../shared/units.ts';
import { noticeCard } from '../../../cards/collection-admin.ts';
import { KIND_WORDS } from '../../../cards/meeting.ts';
import { interviewFollowUpAnsweredCard, interviewRecordFiledCard, meetingHeldDoneCard } from '../../../cards/meeting-record.ts';
import { interviewRecordsCard, MAX_LISTED_RECORDS } from '../../../cards/interview-records.ts';
import { beijingDateTime } from '../../platform/business-time.ts';
import { CARD_EXPIRED } from '../../commands/card-route.ts';
import { auditMeeting, loadMeeting, whenLabelOf, type LoadedMeeting, type MeetingKind } from './scheduling.ts';
import { prefillsOf } from './after-meeting.ts';
import { addFollowUpOutcome, buildRecordsWorkbook, dayLabel, fileInterviewRecord, listRecords, loadRecordView } from './archive.ts';

type C<K extends MeetingsCard['kind']> = Extract<MeetingsCard, { kind: K }>;
type M<K extends MeetingsMessage['kind']> = Extract<MeetingsMessage, { kind: K }>;

const ORGANISERS_ONLY = '仅经济运行例会办公室的组织者可以填写会议记录。';
/** The meeting's organiser, or any organiser (one may stand in for another). */
const mayRecord = (m: LoadedMeeting, ctx: UseCaseContext) => m.organiserId === ctx.actor.personId || isOrganiser(ctx.actor);
const notStarted = (m: LoadedMeeting, ctx: UseCaseContext) => m.startsAt > ctx.now;

async function meetingHeld(cmd: C<'meeting.held'>, ctx: UseCaseContext): Promise<Outcome> {
  const m = await loadMeeting(ctx.tx, { id: cmd.meetingId });
  if (!m) return toast('warning', CARD_EXPIRED);
  if (!mayRecord(m, ctx)) return toast('warning', ORGANISERS_ONLY);
  if (m.kind === 'INTERVIEW') return toast('warning', '约谈请填写约谈记录并记入档案。');
  if (m.status === 'CANCELLED') return toast('warning', `该会议已取消（编号 ${m.no}），无需确认召开。`);
  const base = { no: m.no, kindWord: KIND_WORDS[m.kind as MeetingKind], title: m.title, whenLabel: whenLabelOf(m) };
  if (m.status === 'HELD') {
    const log = await ctx.tx.auditLog.findFirst({ where: { entity: 'Meeting', entityId: m.id, action: 'meeting.held' }, include: { actor: true }, orderBy: { at: 'asc' } });
    const note = (log?.data as { note?: string } | null)?.note;
    return { toast: { type: 'info', content: '该会议已确认召开。' }, card: meetingHeldDoneCard({ ...base, by: log?.actor?.name ?? '—', at: log ? beijingDateTime(log.at) : '', ...(note ? { note } : {}) }) };
  }
  if (m.status !== 'SCHEDULED') return toast('warning', '该会议尚未安排，不能确认召开。');
  if (notStarted(m, ctx)) return toast('warning', `会议尚未开始（${whenLabelOf(m)}），请在会后确认。`);
  await ctx.tx.meeting.update({ where: { id: m.id }, data: { status: 'HELD' } });
  // No note column on Meeting: the note is kept in the audit log (schema suggestion in the report).
  await auditMeeting(ctx, 'meeting.held', m.id, { ...(cmd.note ? { note: cmd.note } : {}) });
  return { toast: { type: 'success', content: '已确认召开' }, card: meetingHeldDoneCard({ ...base, by: ctx.actor.name, at: beijingDateTime(ctx.now), ...(cmd.note ? { note: cmd.note } : {}) }) };
}

async function interviewRecord(cmd: C<'interview.record'>, ctx: UseCaseContext): Promise<Outcome> {
  const m = await loadMeeting(ctx.tx, { id: cmd.meetingId });
  if (!m || m.kind !== 'INTERVIEW') return toast('warning', CARD_EXPIRED);
  if (!mayRecord(m, ctx)) return toast('warning', ORGANISERS_ONLY);
  const filed = await ctx.tx.interviewRecord.findUnique({ where: { meetingId: m.id }, select: { id: true } });
  if (!filed) {
    if (m.status === 'CANCELLED') return toast('warning', `该约谈已取消（编号 ${m.no}），不能记入档案。`);
    if (m.status !== 'SCHEDULED' && m.status !== 'HELD') return toast('warning', '该约谈尚未安排，不能记入档案。');
    if (notStarted(m, ctx)) return toast('warning', `约谈尚未开始（${whenLabelOf(m)}），请在约谈结束后记入档案。`);
  }
  const r = await fileInterviewRecord(ctx.tx, m, cmd.form, { personId: ctx.actor.personId, now: ctx.now }, prefillsOf(m));
  if (!r.ok && !r.already) return toast('warning', r.problems.join('；'));
  const view = (await loadRecordView(ctx.tx, r.recordId))!;
  if (!r.ok) return { toast: { type: 'info', content: '已归档，档案不可修改' }, card: interviewRecordFiledCard(view, { already: true }) };
  await auditMeeting(ctx, 'meeting.held', m.id, { via: 'interview.record', recordId: r.recordId });
  return { toast: { type: 'success', content: r.followUpDate ? `已记入档案，${dayLabel(r.followUpDate)}将提醒跟踪` : '已记入档案' }, card: interviewRecordFiledCard(view) };
}

async function interviewFollowup(cmd: C<'interview.followup'>, ctx: UseCaseContext): Promise<Outcome> {
  const rec = await ctx.tx.interviewRecord.findUnique({ where: { id: cmd.recordId }, include: { meeting: true } });
  if (!rec) return toast('warning', CARD_EXPIRED);
  if (rec.meeting.organiserId !== ctx.actor.personId && !isOrganiser(ctx.actor)) return toast('warning', ORGANISERS_ONLY);
  const outcome = cmd.outcome.trim();
  if (!outcome) return toast('warning', '请填写落实情况，再选择「已落实」「部分落实」或「未落实」');
  await addFollowUpOutcome(ctx.tx, rec.id, { outcome, met: cmd.met, personId: ctx.actor.personId, now: ctx.now, requestKey: `ifu-${ctx.origin.key}` });
  const view = (await loadRecordView(ctx.tx, rec.id))!;
  const latest = view.outcomes[view.outcomes.length - 1]!;
  return {
    toast: { type: 'success', content: `已记录：${latest.met}` },
    card: interviewFollowUpAnsweredCard({ ...view, followUpLabel: view.followUpLabel ?? '', latest }),
  };
}

export const archiveCards: HandlerTable<C<'meeting.held' | 'interview.record' | 'interview.followup'>> = {
  'meeting.held': meetingHeld,
  'interview.record': interviewRecord,
  'interview.followup': interviewFollowup,
};

// ───────────── 约谈记录 / 导出约谈记录 ─────────────

const mayRead = (ctx: UseCaseContext) => isOrganiser(ctx.actor) || ctx.actor.leader !== null;
const notForYou = (what: string) => reply(noticeCard('无权查看', [`「${what}」仅供市领导和经济运行例会办公室使用。`], 'grey'));

/** The unit typed, if any: resolved, or what is wrong with it. */
async function unitOf(ctx: UseCaseContext, text: string | undefined, example: string): Promise<{ ok: true; unit?: { id: string; name: string } } | { ok: false; outcome: Outcome }> {
  if (!text?.trim()) return { ok: true };
  const found = await findUnitByName(ctx.tx, text, example);
  return found.ok ? { ok: true, unit: { id: found.unit.id, name: found.unit.shortName ?? found.unit.name } } : { ok: false, outcome: reply(noticeCard('没有找到单位', [found.message], 'grey')) };
}

async function interviewRecords(cmd: M<'interview.records'>, ctx: UseCaseContext): Promise<Outcome> {
  if (!mayRead(ctx)) return notForYou('约谈记录');
  const u = await unitOf(ctx, cmd.unit, '约谈记录 鞍东区');
  if (!u.ok) return u.outcome;
  const { records, total } = await listRecords(ctx.tx, { ...(u.unit ? { unitId: u.unit.id } : {}), limit: MAX_LISTED_RECORDS });
  return reply(interviewRecordsCard({ ...(u.unit ? { unitName: u.unit.name } : {}), records, total }));
}

async function interviewExport(cmd: M<'interview.export'>, ctx: UseCaseContext): Promise<Outcome> {
  if (!mayRead(ctx)) return notForYou('导出约谈记录');
  const u = await unitOf(ctx, cmd.unit, '导出约谈记录 鞍东区');
  if (!u.ok) return u.outcome;
  const { records } = await listRecords(ctx.tx, u.unit ? { unitId: u.unit.id } : {});
  const scope = u.unit?.name ?? '全部单位';
  if (!records.length) return reply(noticeCard('暂无约谈记录', [`${scope}暂无约谈记录，没有可导出的内容。`], 'grey'));
  const stamp = beijingDateTime(ctx.now);
  const bytes = await buildRecordsWorkbook(`约谈记录（${scope}）`, records, stamp);
  return {
    replies: [noticeCard('约谈记录已导出', [`${scope}：共 ${records.length} 条约谈记录。Excel 文件随后发送。`], 'green')],
    file: { fileName: `约谈记录-${scope}-${stamp.slice(0, 10)}.xlsx`, bytes },
  };
}

export const archiveMessages: HandlerTable<M<'interview.records' | 'interview.export'>> = {
  'interview.records': interviewRecords,
  'interview.export': interviewExport,
};
