// Cards: after a meeting — the 约谈 record form (记入档案) the organiser gets when a 约谈 ends, the
// 已召开 card of a 专题会 / 例会, the follow-up card on a 约谈's 跟踪日期, and the states they turn into.
import { z } from 'zod';
import { button, card, column, columnSet, datePicker, escapeMd, form, hr, input, markdown, note, type Card } from './card.ts';
import { limitedText } from './text-limits.ts';

export const MEETING_HELD = 'meeting.held';
export const INTERVIEW_RECORD = 'interview.record';
export const INTERVIEW_FOLLOWUP = 'interview.followup';

const id = z.string().min(1);
export const MeetingHeldValue = z.object({ a: z.literal(MEETING_HELD), v: z.literal(1), m: id });
export const InterviewRecordValue = z.object({ a: z.literal(INTERVIEW_RECORD), v: z.literal(1), m: id });
/** `o`: the button pressed — 已落实 / 部分落实 / 未落实. */
export const FOLLOWUP_OUTCOMES = { met: '已落实', partly: '部分落实', unmet: '未落实' } as const;
export type FollowUpOutcome = keyof typeof FOLLOWUP_OUTCOMES;
export const InterviewFollowUpValue = z.object({ a: z.literal(INTERVIEW_FOLLOWUP), v: z.literal(1), r: id, o: z.enum(['met', 'partly', 'unmet']) });

export const RECORD_FIELDS = { interviewee: 'interviewee', interviewers: 'interviewers', commitments: 'commitments', followUpDate: 'follow_up', note: 'note' } as const;
export const HELD_FIELDS = { note: 'note' } as const;
export const FOLLOWUP_FIELDS = { outcome: 'outcome' } as const;
export const RECORD_TEXT_MAX = { interviewee: 60, interviewers: 100, commitments: 1000, note: 500, outcome: 1000 } as const;

export const MISSING_COMMITMENTS = '请填写被约谈人的表态和承诺（表态/承诺），再记入档案';
export const BAD_FOLLOW_UP_DATE = '跟踪日期无效，请用日期选择器重新选择';
export const MISSING_OUTCOME = '请填写落实情况，再选择「已落实」「部分落实」或「未落实」';

/** The record form as Feishu sends it; the date picker's value carries a zone suffix ('2026-12-22 +0800'). */
export const InterviewFormValue = z.object({
  [RECORD_FIELDS.interviewee]: limitedText('被约谈人', RECORD_TEXT_MAX.interviewee),
  [RECORD_FIELDS.interviewers]: limitedText('约谈人', RECORD_TEXT_MAX.interviewers),
  [RECORD_FIELDS.commitments]: limitedText('表态/承诺', RECORD_TEXT_MAX.commitments, { required: true, missing: MISSING_COMMITMENTS }),
  [RECORD_FIELDS.followUpDate]: z
    .string({ error: BAD_FOLLOW_UP_DATE })
    .trim()
    .optional()
    .transform((s) => (s ? s.slice(0, 10) : undefined))
    .refine((s) => s === undefined || (/^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)), BAD_FOLLOW_UP_DATE),
  [RECORD_FIELDS.note]: limitedText('备注', RECORD_TEXT_MAX.note),
});
export const HeldFormValue = z.object({ [HELD_FIELDS.note]: limitedText('会议情况', RECORD_TEXT_MAX.note) });
export const FollowUpFormValue = z.object({
  [FOLLOWUP_FIELDS.outcome]: limitedText('落实情况', RECORD_TEXT_MAX.outcome, { required: true, missing: MISSING_OUTCOME }),
});

/** Follow-ups are appended without end: cards show the latest few (the list and the export have all). */
export const MAX_SHOWN_OUTCOMES = 5;
const latestOutcomes = <T>(xs: T[]) => xs.slice(-MAX_SHOWN_OUTCOMES);
const bullet = (lines: string[]) => lines.map((l) => `- ${escapeMd(l)}`).join('\n');
const field = (label: string, value: string) => `**${label}**：${escapeMd(value)}`;

export interface RecordFormView {
  meetingId: string;
  no: number;
  title: string;
  unitName: string;
  /** 2026年12月8日（周二）15:00–16:00 */
  whenLabel: string;
  reasons: string[];
  /** 2026年11月综合排名第 12 位 */
  rankingNote?: string;
  /** Prefills: the INTERVIEWEE attendee and the HOSTs, as they read (王建国（区长）). */
  interviewee: string;
  interviewers: string;
  /** 'YYYY-MM-DD': the suggested 跟踪日期. */
  followUpDate?: string;
}

/** The 约谈 record form, sent to the organiser when the 约谈 ends. */
export function interviewRecordFormCard(view: RecordFormView): Card {
  const m = view.meetingId;
  const facts = [field('约谈单位', view.unitName), field('约谈时间', view.whenLabel), ...(view.rankingNote ? [field('排名情况', view.rankingNote)] : [])];
  return card({
    title: `约谈记录：${view.title}`,
    subtitle: `编号 ${view.no} · 请在约谈结束后填写，记入档案`,
    template: 'orange',
    summary: `请填写${view.title}的约谈记录`,
    elements: [
      markdown(facts.join('\n')),
      ...(view.reasons.length ? [markdown(`**约谈事由**\n${bullet(view.reasons)}`)] : []),
      hr(),
      form('interview_record', [
        input({ name: RECORD_FIELDS.interviewee, label: '被约谈人', required: true, maxLength: RECORD_TEXT_MAX.interviewee, defaultValue: view.interviewee, placeholder: '姓名及职务' }),
        input({ name: RECORD_FIELDS.interviewers, label: '约谈人', required: true, maxLength: RECORD_TEXT_MAX.interviewers, defaultValue: view.interviewers, placeholder: '主持约谈的领导，多人用顿号分隔' }),
        input({ name: RECORD_FIELDS.commitments, label: '表态/承诺', required: true, multiline: true, maxLength: RECORD_TEXT_MAX.commitments, placeholder: '被约谈人的表态、整改措施和完成时限' }),
        markdown('**跟踪日期**（到期提醒您核实落实情况）'),
        datePicker({ name: RECORD_FIELDS.followUpDate, placeholder: '选择跟踪日期', ...(view.followUpDate ? { initialDate: view.followUpDate } : {}), width: 'fill' }),
        input({ name: RECORD_FIELDS.note, label: '备注', multiline: true, maxLength: RECORD_TEXT_MAX.note, placeholder: '选填' }),
        columnSet([column([button({ name: 'interview_record', label: '记入档案', type: 'primary_filled', submit: true, value: { a: INTERVIEW_RECORD, v: 1, m } })], { width: 'auto' })]),
      ]),
      note('记入档案后不可修改；如需补充，请在跟踪时填写落实情况。'),
    ],
  });
}

export interface RecordView {
  no: number;
  title: string;
  unitName: string;
  interviewee: string;
  interviewers: string;
  reasons: string[];
  /** The linked warnings in words: 2026年11月 规上工业增加值 红灯. */
  warnings: string[];
  rankingNote?: string;
  heldLabel: string;
  /** 2026年12月8日 */
  heldDate: string;
  commitments: string;
  /** 2026年12月22日, or absent. */
  followUpLabel?: string;
  outcomes: { at: string; met: string; outcome: string; by: string }[];
  recordedBy: string;
  archivedAt: string;
}

function recordLines(r: RecordView): string[] {
  return [
    field('约谈单位', r.unitName),
    field('被约谈人', r.interviewee),
    field('约谈人', r.interviewers),
    field('约谈时间', r.heldLabel),
    ...(r.rankingNote ? [field('排名情况', r.rankingNote)] : []),
    ...(r.warnings.length ? [field('关联预警', r.warnings.join('；'))] : []),
    ...(r.reasons.length ? [field('约谈事由', r.reasons.join('；'))] : []),
    field('表态/承诺', r.commitments),
    field('跟踪日期', r.followUpLabel ?? '未设'),
  ];
}

/** The record once filed (or shown again to a second filing: `already`). */
export function interviewRecordFiledCard(r: RecordView, opts: { already?: boolean } = {}): Card {
  return card({
    title: `已归档：${r.title}`,
    subtitle: `编号 ${r.no} · ${r.recordedBy} ${r.archivedAt} 记入档案`,
    template: 'green',
    elements: [
      ...(opts.already ? [markdown('<font color="orange">该约谈记录已归档，档案不可修改。以下为已归档的内容。</font>')] : []),
      markdown(recordLines(r).join('\n')),
      ...(r.outcomes.length ? [markdown(`**落实情况**\n${bullet(latestOutcomes(r.outcomes).map((o) => `${o.at} ${o.met}：${o.outcome}（${o.by}）`))}`)] : []),
      note(r.followUpLabel ? `${r.followUpLabel} 上午将提醒您核实落实情况。发送「约谈记录 ${r.unitName}」可查看该单位的全部约谈记录。` : `发送「约谈记录 ${r.unitName}」可查看该单位的全部约谈记录。`),
    ],
  });
}

export interface HeldView {
  meetingId: string;
  no: number;
  kindWord: string;
  title: string;
  whenLabel: string;
}

/** 专题会 / 例会: asks the organiser to confirm it was held, with an optional note. */
export function meetingHeldCard(view: HeldView): Card {
  return card({
    title: `${view.kindWord}已结束：${view.title}`,
    subtitle: `编号 ${view.no}`,
    template: 'blue',
    summary: `请确认${view.title}已召开`,
    elements: [
      markdown(field('会议时间', view.whenLabel)),
      form('meeting_held', [
        input({ name: HELD_FIELDS.note, label: '会议情况', multiline: true, maxLength: RECORD_TEXT_MAX.note, placeholder: '选填：到会情况、议定事项等' }),
        columnSet([column([button({ name: 'meeting_held', label: '已召开', type: 'primary_filled', submit: true, value: { a: MEETING_HELD, v: 1, m: view.meetingId } })], { width: 'auto' })]),
      ]),
      note('会议议定的事项请用「交办」布置到单位。'),
    ],
  });
}

/** What the 已召开 card becomes. */
export function meetingHeldDoneCard(view: Omit<HeldView, 'meetingId'> & { by: string; at: string; note?: string }): Card {
  return card({
    title: `已召开：${view.title}`,
    subtitle: `编号 ${view.no} · ${view.by} ${view.at} 确认`,
    template: 'green',
    elements: [markdown([field('会议时间', view.whenLabel), ...(view.note ? [field('会议情况', view.note)] : [])].join('\n'))],
  });
}

export interface FollowUpView {
  recordId: string;
  title: string;
  unitName: string;
  interviewee: string;
  heldLabel: string;
  commitments: string;
  followUpLabel: string;
  /** Earlier answers, newest last. */
  outcomes: RecordView['outcomes'];
}

/** On the 跟踪日期: the commitments, and the outcome with 已落实 / 部分落实 / 未落实. */
export function interviewFollowUpCard(view: FollowUpView): Card {
  const r = view.recordId;
  const pick = (o: FollowUpOutcome, type: 'primary_filled' | 'default' | 'danger') =>
    column([button({ name: `followup_${o}`, label: FOLLOWUP_OUTCOMES[o], type, submit: true, value: { a: INTERVIEW_FOLLOWUP, v: 1, r, o } })], { width: 'auto' });
  return card({
    title: `约谈跟踪：${view.title}`,
    subtitle: `跟踪日期 ${view.followUpLabel}`,
    template: 'orange',
    summary: `请核实${view.unitName}约谈承诺的落实情况`,
    elements: [
      markdown([field('约谈单位', view.unitName), field('被约谈人', view.interviewee), field('约谈时间', view.heldLabel), field('表态/承诺', view.commitments)].join('\n')),
      ...(view.outcomes.length ? [markdown(`**此前的落实情况**\n${bullet(latestOutcomes(view.outcomes).map((o) => `${o.at} ${o.met}：${o.outcome}`))}`)] : []),
      form('interview_followup', [
        input({ name: FOLLOWUP_FIELDS.outcome, label: '落实情况', required: true, multiline: true, maxLength: RECORD_TEXT_MAX.outcome, placeholder: '承诺事项的完成情况' }),
        columnSet([pick('met', 'primary_filled'), pick('partly', 'default'), pick('unmet', 'danger')], { flexMode: 'flow', spacing: '8px' }),
      ]),
    ],
  });
}

/** What the follow-up card becomes once answered. */
export function interviewFollowUpAnsweredCard(view: Omit<FollowUpView, 'recordId'> & { latest: RecordView['outcomes'][number] }): Card {
  return card({
    title: `已跟踪：${view.title}`,
    subtitle: `${view.latest.by} ${view.latest.at} · ${view.latest.met}`,
    template: view.latest.met === FOLLOWUP_OUTCOMES.met ? 'green' : view.latest.met === FOLLOWUP_OUTCOMES.partly ? 'yellow' : 'red',
    elements: [
      markdown([field('约谈单位', view.unitName), field('被约谈人', view.interviewee), field('表态/承诺', view.commitments)].join('\n')),
      markdown(`**落实情况**\n${bullet(latestOutcomes(view.outcomes).map((o) => `${o.at} ${o.met}：${o.outcome}（${o.by}）`))}`),
      note(`已记入约谈档案。发送「约谈记录 ${view.unitName}」可查看。`),
    ],
  });
}
