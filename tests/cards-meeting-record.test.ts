// The cards after a meeting: the 约谈 record form (prefilled), the filed record, the 已召开 card, the
// follow-up card with its three answers, and the 约谈记录 list — that Feishu would take them, and the list
// stays within the size budget however long the records are.
import { describe, expect, it } from 'vitest';
import { buttonByText, callback, expectValidForFeishu, fieldByName, json, markdownTexts, byTag } from './support/cards.ts';
import {
  INTERVIEW_FOLLOWUP,
  INTERVIEW_RECORD,
  InterviewFormValue,
  MEETING_HELD,
  MISSING_COMMITMENTS,
  BAD_FOLLOW_UP_DATE,
  interviewFollowUpAnsweredCard,
  interviewFollowUpCard,
  interviewRecordFiledCard,
  interviewRecordFormCard,
  meetingHeldCard,
  meetingHeldDoneCard,
  type RecordView,
} from '../cards/meeting-record.ts';
import { interviewRecordsCard, MAX_LISTED_RECORDS } from '../cards/interview-records.ts';
import { CARD_BUDGET_BYTES, cardRequestBytes } from '../cards/size.ts';

const record = (over: Partial<RecordView> = {}): RecordView => ({
  no: 7,
  title: '鞍东区约谈',
  unitName: '鞍东区',
  interviewee: '王建国（区长）',
  interviewers: '林振华（常务副市长）',
  reasons: ['规上工业增加值连续两月末位'],
  warnings: ['2026年11月 规模以上工业增加值 红灯'],
  rankingNote: '2026年11月综合排名第 12 位（共 12 个）',
  heldLabel: '2026年12月8日（周二）15:00–16:00',
  heldDate: '2026年12月8日',
  commitments: '12月底前完成三家企业技改投产',
  followUpLabel: '2026年12月22日',
  outcomes: [],
  recordedBy: '李静',
  archivedAt: '2026-12-08 16:10',
  ...over,
});

describe('the 约谈 record form', () => {
  const c = interviewRecordFormCard({
    meetingId: 'm_1',
    no: 7,
    title: '鞍东区约谈',
    unitName: '鞍东区',
    whenLabel: '2026年12月8日（周二）15:00–16:00',
    reasons: ['规上工业增加值连续两月末位'],
    rankingNote: '2026年11月综合排名第 12 位（共 12 个）',
    interviewee: '王建国（区长）',
    interviewers: '林振华（常务副市长）',
    followUpDate: '2027-01-07',
  });

  it('is prefilled with the person talked to, the hosts and a follow-up date, and files with 记入档案', () => {
    expectValidForFeishu(c);
    expect(fieldByName(c, 'interviewee')?.default_value).toBe('王建国（区长）');
    expect(fieldByName(c, 'interviewers')?.default_value).toBe('林振华（常务副市长）');
    expect(fieldByName(c, 'commitments')?.required).toBe(true);
    expect(fieldByName(c, 'follow_up')?.initial_date).toBe('2027-01-07');
    expect(fieldByName(c, 'note')).toBeDefined();
    expect(callback(buttonByText(c, '记入档案'))).toEqual({ a: INTERVIEW_RECORD, v: 1, m: 'm_1' });
    const text = markdownTexts(c).join('\n');
    expect(text).toContain('综合排名第 12 位');
    expect(text).toContain('规上工业增加值连续两月末位');
  });

  it('reads the form as Feishu sends it and says in Chinese what is missing or wrong', () => {
    expect(InterviewFormValue.parse({ commitments: ' 承诺 ', follow_up: '2026-12-22 +0800' })).toMatchObject({ commitments: '承诺', follow_up: '2026-12-22' });
    expect(InterviewFormValue.safeParse({ interviewee: '王建国' }).error?.issues[0]?.message).toBe(MISSING_COMMITMENTS);
    expect(InterviewFormValue.safeParse({ commitments: '承诺', follow_up: '2026-02-30 +0800' }).error?.issues[0]?.message).toBe(BAD_FOLLOW_UP_DATE);
    expect(InterviewFormValue.safeParse({ commitments: '诺'.repeat(1001) }).error?.issues[0]?.message).toContain('「表态/承诺」最多 1000 字');
  });
});

describe('the cards after filing', () => {
  it('shows the filed record, and tells a second filing that it is archived already', () => {
    const c = interviewRecordFiledCard(record());
    expectValidForFeishu(c);
    expect(c.header?.title.content).toBe('已归档：鞍东区约谈');
    expect(markdownTexts(c).join('\n')).toContain('12月底前完成三家企业技改投产');
    expect(byTag(c, 'button')).toEqual([]);
    const again = interviewRecordFiledCard(record(), { already: true });
    expect(markdownTexts(again).join('\n')).toContain('该约谈记录已归档');
  });

  it('asks for 已召开 of a 专题会 with an optional note, and shows who confirmed it', () => {
    const c = meetingHeldCard({ meetingId: 'm_2', no: 9, kindWord: '专题会议', title: '工业运行专题会', whenLabel: '2026年12月10日（周四）09:30–10:30' });
    expectValidForFeishu(c);
    expect(callback(buttonByText(c, '已召开'))).toEqual({ a: MEETING_HELD, v: 1, m: 'm_2' });
    expect(fieldByName(c, 'note')?.required).toBeUndefined();
    const done = meetingHeldDoneCard({ no: 9, kindWord: '专题会议', title: '工业运行专题会', whenLabel: 'x', by: '李静', at: '2026-12-10 11:00', note: '议定三项措施' });
    expectValidForFeishu(done);
    expect(json(done)).toContain('议定三项措施');
    expect(json(done)).toContain('李静 2026-12-10 11:00 确认');
  });

  it('follows up with the commitments and the three answers, then shows the outcome', () => {
    const base = { title: '鞍东区约谈', unitName: '鞍东区', interviewee: '王建国（区长）', heldLabel: 'x', commitments: '完成技改', followUpLabel: '2026年12月22日', outcomes: [] };
    const c = interviewFollowUpCard({ recordId: 'r_1', ...base });
    expectValidForFeishu(c);
    expect(fieldByName(c, 'outcome')?.required).toBe(true);
    expect(callback(buttonByText(c, '已落实'))).toEqual({ a: INTERVIEW_FOLLOWUP, v: 1, r: 'r_1', o: 'met' });
    expect(callback(buttonByText(c, '部分落实'))).toEqual({ a: INTERVIEW_FOLLOWUP, v: 1, r: 'r_1', o: 'partly' });
    expect(callback(buttonByText(c, '未落实'))).toEqual({ a: INTERVIEW_FOLLOWUP, v: 1, r: 'r_1', o: 'unmet' });
    const latest = { at: '2026-12-22 10:00', met: '部分落实', outcome: '两家已投产', by: '李静' };
    const answered = interviewFollowUpAnsweredCard({ ...base, outcomes: [latest], latest });
    expectValidForFeishu(answered);
    expect(answered.header?.template).toBe('yellow');
    expect(markdownTexts(answered).join('\n')).toContain('部分落实：两家已投产');
  });
});

describe('the worst cases', () => {
  it('keeps the filed and follow-up cards within the budget at the text limits, however many follow-ups', () => {
    const max = (n: number) => '承'.repeat(n);
    const outcomes = Array.from({ length: 20 }, (_, i) => ({ at: '2026-12-22 10:00', met: '部分落实', outcome: `${i}${max(999)}`, by: '李静' }));
    const r = record({ interviewee: max(60), interviewers: max(100), commitments: max(1000), reasons: [max(500)], outcomes });
    const base = { title: r.title, unitName: r.unitName, interviewee: r.interviewee, heldLabel: r.heldLabel, commitments: r.commitments, followUpLabel: '2026年12月22日', outcomes };
    for (const c of [interviewRecordFiledCard(r, { already: true }), interviewFollowUpCard({ recordId: 'r_1', ...base }), interviewFollowUpAnsweredCard({ ...base, latest: outcomes[19]! })]) {
      expectValidForFeishu(c);
      expect(cardRequestBytes(c)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
      // The latest follow-ups are the ones shown.
      expect(json(c)).toContain('19承');
      expect(json(c)).not.toContain('0承承');
    }
  });
});

describe('the 约谈记录 list', () => {
  it('lists each record with unit, person, interviewers, reasons, warnings, ranking, commitments and outcomes', () => {
    const c = interviewRecordsCard({ unitName: '鞍东区', total: 1, records: [record({ outcomes: [{ at: '2026-12-22 10:00', met: '已落实', outcome: '三家已投产', by: '李静' }] })] });
    expectValidForFeishu(c);
    const text = markdownTexts(c).join('\n');
    for (const s of ['王建国（区长）', '林振华（常务副市长）', '连续两月末位', '规模以上工业增加值 红灯', '综合排名第 12 位', '技改投产', '2026年12月22日', '已落实：三家已投产']) expect(text).toContain(s);
    expect(json(c)).toContain('2026年12月8日 鞍东区 · 王建国（区长） · 已落实');
  });

  it('says when there is nothing yet', () => {
    const c = interviewRecordsCard({ unitName: '鞍西区', total: 0, records: [] });
    expectValidForFeishu(c);
    expect(markdownTexts(c).join('\n')).toContain('鞍西区暂无约谈记录');
  });

  it('stays within the size budget with many long records, pointing to the export for the rest', () => {
    const long = '很长的表态承诺内容'.repeat(120);
    const many = Array.from({ length: 30 }, (_, i) =>
      record({ no: i + 1, commitments: long, reasons: [long], warnings: [long], outcomes: Array.from({ length: 5 }, () => ({ at: '2026-12-22 10:00', met: '部分落实', outcome: long, by: '李静' })) }),
    );
    const c = interviewRecordsCard({ total: 30, records: many });
    expectValidForFeishu(c);
    expect(cardRequestBytes(c)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    const panels = byTag(c, 'collapsible_panel').length;
    expect(panels).toBeGreaterThan(0);
    expect(panels).toBeLessThanOrEqual(MAX_LISTED_RECORDS);
    expect(json(c)).toContain(`另有 ${30 - panels} 条较早的记录未显示`);
    expect(json(c)).toContain('导出约谈记录');
  });
});
