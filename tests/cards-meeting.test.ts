// The scheduling cards: what the organiser sees before confirming (the time understood, with its weekday,
// editable), what is shown after a decision, and the 「会议」 list — and that Feishu would take them.
import { describe, expect, it } from 'vitest';
import { byTag, buttonByText, callback, expectValidForFeishu, fieldByName, json, markdownTexts, optionValues } from './support/cards.ts';
import { MEETING_DISCARD, MEETING_SCHEDULE, MeetingFormValue, meetingFormCard, meetingListCard, meetingSummaryCard, type MeetingFormView } from '../cards/meeting.ts';

const view = (over: Partial<MeetingFormView> = {}): MeetingFormView => ({
  meetingId: 'm_1',
  no: 12,
  kind: 'INTERVIEW',
  title: '鞍东区约谈',
  date: '2026-12-08',
  time: '15:00',
  whenLabel: '2026年12月8日（周二）15:00–16:00',
  durationMin: 60,
  location: '市政府三楼第一会议室',
  agenda: '规上工业增加值连续两月末位',
  reasons: ['2026年11月 规上工业增加值：低于目标进度 6.0 个百分点'],
  unitOptions: [{ label: '鞍东区', value: 'andong-district' }, { label: '鞍西区', value: 'anxi-district' }],
  selectedUnits: ['andong-district'],
  peopleOptions: [{ label: '林振华（常务副市长）', value: 'lin-zhenhua' }],
  selectedPeople: ['lin-zhenhua'],
  attendees: ['主持：林振华（常务副市长）', '约谈对象：鞍东区 王建国（区长）'],
  conflicts: [],
  problems: [],
  wantsChat: false,
  ...over,
});

describe('the scheduling card', () => {
  it('echoes the interpreted time with its weekday, the attendees and the reasons, prefilled for editing', () => {
    const c = meetingFormCard(view());
    expectValidForFeishu(c);
    const text = markdownTexts(c).join('\n');
    expect(text).toContain('2026年12月8日（周二）15:00–16:00');
    expect(text).toContain('约谈对象：鞍东区 王建国（区长）');
    expect(text).toContain('低于目标进度 6.0 个百分点');
    expect(fieldByName(c, 'date')?.initial_date).toBe('2026-12-08');
    expect(byTag(c, 'picker_time')[0]?.initial_time).toBe('15:00');
    expect(fieldByName(c, 'units')?.selected_values).toEqual(['andong-district']);
    expect(optionValues(fieldByName(c, 'units'))).toEqual(['andong-district', 'anxi-district']);
    expect(callback(buttonByText(c, '确认安排'))).toEqual({ a: MEETING_SCHEDULE, v: 1, m: 'm_1' });
    expect(callback(buttonByText(c, '放弃'))).toEqual({ a: MEETING_DISCARD, v: 1, m: 'm_1' });
    expect(buttonByText(c, '仍然安排')).toBeUndefined();
    expect(json(c)).toContain('编号 12');
  });

  it('says when the time is not fixed yet, and offers 暂不安排 on a leader\'s proposal', () => {
    const { date: _d, time: _t, whenLabel: _w, ...rest } = view();
    const c = meetingFormCard({ ...rest, proposedBy: '赵明远' });
    expectValidForFeishu(c);
    expect(markdownTexts(c).join('\n')).toContain('待定，请在下方选择日期和时间');
    expect(markdownTexts(c).join('\n')).toContain('提议人**：赵明远');
    expect(fieldByName(c, 'date')?.initial_date).toBeUndefined();
    expect(buttonByText(c, '暂不安排')).toBeDefined();
  });

  it('names a proposer who also hosts once, on the host line (issue 12)', () => {
    const c = meetingFormCard(view({ proposedBy: '林振华' }));
    const text = markdownTexts(c).join('\n');
    expect(text).not.toContain('**提议人**');
    expect(text).toContain('主持：林振华（常务副市长）（提议人）');
    expect(text.split('林振华').length - 1).toBe(1);
  });

  it('shows a clash and what was wrong, with 仍然安排 to go ahead anyway', () => {
    const c = meetingFormCard(view({ conflicts: ['林振华 2026年12月8日（周二）15:00–16:00 已有专题会议「工业运行」（编号 3）'], problems: ['以上人员在该时段已有安排。'] }));
    expectValidForFeishu(c);
    expect(markdownTexts(c).join('\n')).toContain('时间冲突');
    expect(callback(buttonByText(c, '仍然安排'))).toEqual({ a: MEETING_SCHEDULE, v: 1, m: 'm_1', f: 1 });
  });

  it('has no unit list for the monthly meeting (every unit is invited)', () => {
    const c = meetingFormCard(view({ kind: 'MONTHLY', title: '2026年11月经济运行例会', unitOptions: [], selectedUnits: [] }));
    expectValidForFeishu(c);
    expect(fieldByName(c, 'units')).toBeUndefined();
    expect(c.header?.title.content).toBe('安排经济运行例会：2026年11月经济运行例会');
  });

  it('reads the pickers as Feishu sends them (with the zone) and refuses an agenda that is too long', () => {
    const ok = MeetingFormValue.parse({ title: '鞍东区约谈', date: '2026-12-08 +0800', time: '15:00 +0800', duration: '90', units: ['andong-district'], chat: 'yes' });
    expect(ok).toMatchObject({ date: '2026-12-08', time: '15:00', duration: 90, units: ['andong-district'], chat: true });
    const long = MeetingFormValue.safeParse({ agenda: '经'.repeat(501) });
    expect(long.success).toBe(false);
    expect(long.error?.issues[0]?.message).toContain('「议程」最多 500 字');
  });
});

describe('after a decision', () => {
  it('strikes the old time through when a meeting moves, and says how to change it again', () => {
    const c = meetingSummaryCard({
      no: 12, kind: 'INTERVIEW', title: '鞍东区约谈', whenLabel: '2026年12月9日（周三）10:00–11:00', previousWhen: '2026年12月8日（周二）15:00–16:00',
      location: '市政府三楼第一会议室', attendees: ['约谈对象：鞍东区 王建国（区长）'], agenda: '', by: '钱芳菲', state: 'rescheduled', nextSteps: ['改期：「改期 12 12月9日15:00」'],
    });
    expectValidForFeishu(c);
    expect(markdownTexts(c)[0]).toContain('~~2026年12月8日（周二）15:00–16:00~~ → 2026年12月9日（周三）10:00–11:00');
    expect(c.header?.title.content).toBe('约谈已改期：鞍东区约谈');
  });

  it('lists upcoming meetings with their numbers and the reader\'s part', () => {
    const c = meetingListCard({
      organiser: false,
      total: 1,
      items: [{ no: 12, kind: 'INTERVIEW', title: '鞍东区约谈', whenLabel: '2026年12月8日（周二）15:00–16:00', location: '市政府三楼', pending: false, role: '约谈对象（待回复）' }],
    });
    expectValidForFeishu(c);
    expect(markdownTexts(c)[0]).toContain('**12** · 2026年12月8日（周二）15:00–16:00 · 约谈「鞍东区约谈」 · 市政府三楼 · 约谈对象（待回复）');
    expect(json(meetingListCard({ organiser: false, total: 0, items: [] }))).toContain('近期没有会议安排');
  });
});
