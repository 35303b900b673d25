// The attendee's cards: the invitation with 参加 / 请假并委派, its answered states, the notice of a new time,
// the cancellation, the reminder, the delegate's and the organiser's notices — and that Feishu would take them.
import { describe, expect, it } from 'vitest';
import { buttonByText, buttons, callback, expectValidForFeishu, fieldByName, json, markdownTexts } from './support/cards.ts';
import { CARD_BUDGET_BYTES, cardRequestBytes } from '../cards/size.ts';
import {
  MEETING_RSVP,
  MeetingLeaveFormValue,
  MeetingRsvpValue,
  meetingCancelledCard,
  meetingDelegateCard,
  meetingInviteCard,
  meetingLeaveNoticeCard,
  meetingReminderCard,
  meetingStaleCard,
  type MeetingInviteView,
} from '../cards/meeting-invite.ts';

const view = (over: Partial<MeetingInviteView> = {}): MeetingInviteView => ({
  meetingId: 'm_1',
  version: 2,
  no: 12,
  kind: 'INTERVIEW',
  title: '鞍东区约谈',
  whenLabel: '2026年12月8日周二 15:00–16:00',
  location: '市政府三楼第一会议室',
  role: 'INTERVIEWEE',
  unitName: '鞍东区',
  agenda: '规上工业增加值连续两月末位',
  reasons: ['2026年11月 规上工业增加值：低于目标进度 6.0 个百分点'],
  organiser: '周敏',
  attendees: ['主持：林振华（常务副市长）', '约谈对象：鞍东区 王建国（区长）'],
  rsvp: 'PENDING',
  open: true,
  ...over,
});
const text = (c: unknown) => markdownTexts(c).join('\n');

describe('the invitation', () => {
  it('says when (with weekday), where, the reader’s role and what to prepare, and offers 参加 / 请假并委派 for this version', () => {
    const c = meetingInviteCard(view());
    expectValidForFeishu(c);
    expect(c.header?.title.content).toBe('约谈通知：鞍东区约谈');
    const t = text(c);
    expect(t).toContain('2026年12月8日周二 15:00–16:00');
    expect(t).toContain('市政府三楼第一会议室');
    expect(t).toContain('约谈对象（鞍东区）');
    expect(t).toContain('整改措施');
    expect(t).toContain('低于目标进度 6.0 个百分点');
    expect(json(c)).toContain('周敏');
    expect(callback(buttonByText(c, '参加'))).toEqual({ a: MEETING_RSVP, v: 1, m: 'm_1', n: 2, r: 1 });
    const leave = buttonByText(c, '请假并委派')!;
    expect(leave.form_action_type).toBe('submit');
    expect(callback(leave)).toEqual({ a: MEETING_RSVP, v: 1, m: 'm_1', n: 2, r: 0 });
    expect(fieldByName(c, 'delegate')?.max_length).toBe(30);
    expect(MeetingRsvpValue.safeParse(callback(leave)).success).toBe(true);
  });

  it('says a typed reason once, not again under 有关情况', () => {
    const t = text(meetingInviteCard(view({ reasons: ['规上工业增加值连续两月末位'] })));
    expect(t.split('规上工业增加值连续两月末位')).toHaveLength(2);
    expect(t).not.toContain('有关情况');
  });

  it('gives the seats of the 例会 their notice: 表态发言 3 分钟, 经验交流', () => {
    const statement = meetingInviteCard(view({ kind: 'MONTHLY', title: '2026年11月经济运行例会', role: 'STATEMENT_SEAT' }));
    expectValidForFeishu(statement);
    expect(statement.header?.title.content).toBe('经济运行例会邀请：2026年11月经济运行例会');
    expect(text(statement)).toContain('席位通知');
    expect(text(statement)).toContain('表态发言 3 分钟');
    expect(text(meetingInviteCard(view({ kind: 'MONTHLY', role: 'EXCHANGE_SEAT' })))).toContain('经验交流发言');
    expect(text(meetingInviteCard(view({ kind: 'SPECIAL', role: 'HOST' })))).not.toContain('席位通知');
  });

  it('once answered shows 「已确认参加」 or 「已请假，委派 XX 参加」 and still lets the answer change', () => {
    const yes = meetingInviteCard(view({ rsvp: 'ACCEPTED' }));
    expectValidForFeishu(yes);
    expect(text(yes)).toContain('已确认参加');
    expect(buttonByText(yes, '参加')).toBeUndefined();
    expect(buttonByText(yes, '请假并委派')).toBeDefined();
    const leave = meetingInviteCard(view({ rsvp: 'DELEGATED', delegateName: '张明', leaveReason: '赴省开会' }));
    expectValidForFeishu(leave);
    expect(text(leave)).toContain('已请假，委派 张明 参加');
    expect(text(leave)).toContain('赴省开会');
    expect(buttonByText(leave, '改为参加')).toBeDefined();
    expect(fieldByName(leave, 'delegate')?.default_value).toBe('张明');
  });

  it('after the start shows the answer without buttons', () => {
    const c = meetingInviteCard(view({ rsvp: 'ACCEPTED', open: false }));
    expectValidForFeishu(c);
    expect(buttons(c)).toHaveLength(0);
  });

  it('as a notice of a new time strikes the old time through and asks again', () => {
    const c = meetingInviteCard(view({ previousWhen: '2026年12月8日周二 15:00–16:00', whenLabel: '2026年12月9日周三 10:00–11:00' }));
    expectValidForFeishu(c);
    expect(c.header?.title.content).toBe('约谈改期通知：鞍东区约谈');
    expect(text(c)).toContain('~~2026年12月8日周二 15:00–16:00~~ → **2026年12月9日周三 10:00–11:00**');
    expect(text(c)).toContain('重新确认');
    expect(buttonByText(c, '参加')).toBeDefined();
  });

  it('stays within 25 KB with a meeting of 60 attendees and long texts', () => {
    const c = meetingInviteCard(view({ kind: 'MONTHLY', agenda: '议'.repeat(500), reasons: Array.from({ length: 20 }, () => '情'.repeat(120)), attendees: Array.from({ length: 60 }, (_, i) => `参会：单位${i} 某某某（区长）`), delegateName: '张'.repeat(30), leaveReason: '因'.repeat(200), rsvp: 'DELEGATED' }));
    expectValidForFeishu(c);
    expect(cardRequestBytes(c)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    expect(text(c)).toContain('等 60 人');
  });
});

describe('the leave form', () => {
  it('needs a delegate, and refuses long texts with the field and the limit', () => {
    expect(MeetingLeaveFormValue.safeParse({ reason: '出差' }).error?.issues[0]?.message).toContain('请填写委派人姓名');
    expect(MeetingLeaveFormValue.safeParse({ delegate: '  ' }).success).toBe(false);
    expect(MeetingLeaveFormValue.safeParse({ delegate: '张明', reason: '因'.repeat(201) }).error?.issues[0]?.message).toBe('「请假原因」最多 200 字，当前 201 字，请精简后重新提交');
    expect(MeetingLeaveFormValue.parse({ delegate: ' 张明 ' })).toEqual({ delegate: '张明', reason: '' });
  });
});

describe('the other notices', () => {
  it('the cancellation has the reason and no buttons', () => {
    const c = meetingCancelledCard({ no: 12, kind: 'INTERVIEW', title: '鞍东区约谈', whenLabel: '2026年12月8日周二 15:00–16:00', location: '市政府三楼第一会议室', reason: '区长赴省参加会议', by: '周敏' });
    expectValidForFeishu(c);
    expect(text(c)).toContain('已取消');
    expect(text(c)).toContain('区长赴省参加会议');
    expect(buttons(c)).toHaveLength(0);
  });

  it('the reminder says when, the seat, and whom the reader stands in for', () => {
    const c = meetingReminderCard({ no: 12, kind: 'MONTHLY', title: '例会', whenLabel: '2026年12月15日周二 09:00–11:00', location: '一会议室', role: 'STATEMENT_SEAT', unitName: '鞍西区', at: 'day', pending: true, onBehalfOf: '鞍西区 李某（区长）' });
    expectValidForFeishu(c);
    expect(c.header?.title.content).toBe('明天经济运行例会：例会');
    expect(text(c)).toContain('表态席（鞍西区）');
    expect(text(c)).toContain('表态发言 3 分钟');
    expect(text(c)).toContain('代 **鞍西区 李某（区长）** 参加');
    expect(text(c)).toContain('尚未回复');
    const hour = meetingReminderCard({ no: 12, kind: 'INTERVIEW', title: '约谈', whenLabel: 'x', location: '', role: 'HOST', at: 'hour', pending: false });
    expect(hour.header?.title.content).toBe('1 小时后约谈：约谈');
  });

  it('the delegate hears whom they stand in for; the organiser hears the leave with the reason', () => {
    const { meetingId: _m, version: _v, rsvp: _r, open: _o, ...rest } = view();
    const d = meetingDelegateCard({ ...rest, delegatedBy: '鞍东区 王建国（区长）' });
    expectValidForFeishu(d);
    expect(text(d)).toContain('**鞍东区 王建国（区长）** 请假，委派您代为参加约谈');
    expect(buttons(d)).toHaveLength(0);
    const moved = meetingDelegateCard({ ...rest, previousWhen: '2026年12月8日周二 15:00–16:00', delegatedBy: '鞍东区 王建国（区长）' });
    expectValidForFeishu(moved);
    expect(moved.header?.title.content).toBe('改期通知（委派参会）：鞍东区约谈');
    expect(text(moved)).toContain('以其重新回复为准');
    const n = meetingLeaveNoticeCard({ no: 12, kind: 'INTERVIEW', title: '鞍东区约谈', whenLabel: 'x', person: '鞍东区 王建国（区长）', role: 'INTERVIEWEE', rsvp: 'DELEGATED', delegateName: '无名氏', delegateKnown: false, leaveReason: '赴省开会' });
    expectValidForFeishu(n);
    expect(text(n)).toContain('委派 **无名氏** 参加（通讯录中未找到此人');
    expect(text(n)).toContain('赴省开会');
  });

  it('an old version’s card says the time changed', () => {
    const c = meetingStaleCard({ kind: 'SPECIAL', title: '工业运行' });
    expectValidForFeishu(c);
    expect(text(c)).toContain('会议时间已变更，请以最新通知为准');
    expect(text(meetingStaleCard({ kind: 'SPECIAL', title: '工业运行', cancelled: true }))).toContain('会议已取消');
  });
});
