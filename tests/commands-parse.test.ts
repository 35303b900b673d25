// Commands: how typed text and card clicks are understood.
import { describe, expect, it } from 'vitest';
import { CARD_EXPIRED, parseCardAction, parseDay, parsePeriodKey, parseTextCommand } from '../src/commands/parse.ts';

/** A command understood with wrong arguments: its title says what is wrong, the message how to write it. */
const usage = (title: string) => ({ kind: 'usage', title, message: expect.any(String) as unknown as string });

describe('text commands', () => {
  it.each([
    ['帮助', { kind: 'help' }],
    ['@_user_1 帮助', { kind: 'help' }],
    ['　我是谁？', { kind: 'whoami' }],
    ['我是谁', { kind: 'whoami' }],
    ['登记问题。', { kind: 'problem.open' }],
    ['@_user_1  登记问题', { kind: 'problem.open' }],
    ['今天天气怎么样', { kind: 'help', unknownText: '今天天气怎么样' }],
    ['', { kind: 'help' }],
  ])('%j → %j', (text, cmd) => {
    expect(parseTextCommand(text)).toEqual(cmd);
  });
});

describe('collection commands', () => {
  it.each([
    ['报送', { kind: 'report.cards' }],
    ['我要报送', { kind: 'report.cards' }],
    ['状态', { kind: 'report.status' }],
    ['报送状态', { kind: 'report.status' }],
    // 请假: a range, one day, relative days; full-width digits and spaces as typed on a phone. The days are
    // kept as typed and read against the clock by the meeting-time grammar (src/modules/meetings/when.ts).
    ['请假 12月3日 至 12月5日', { kind: 'leave', from: '12月3日', to: '12月5日' }],
    ['请假 12月3日至12月5日', { kind: 'leave', from: '12月3日', to: '12月5日' }],
    ['请假 2026-12-03到2026-12-05', { kind: 'leave', from: '2026-12-03', to: '2026-12-05' }],
    ['请假 12/3 ~ 12/5', { kind: 'leave', from: '12/3', to: '12/5' }],
    ['请假 12月3号', { kind: 'leave', from: '12月3号', to: '12月3号' }],
    ['请假 明天', { kind: 'leave', from: '明天', to: '明天' }],
    ['请假 今天到后天', { kind: 'leave', from: '今天', to: '后天' }],
    ['请假 １２月３日', { kind: 'leave', from: '１２月３日', to: '１２月３日' }],
    ['@_user_1 请假　１２月３日 至 １２月５日。', { kind: 'leave', from: '１２月３日', to: '１２月５日' }],
    // Issue 12: weekdays as people say them, ranges of them, and 确认 after the question about rest days.
    ['请假 下周一', { kind: 'leave', from: '下周一', to: '下周一' }],
    ['请假 下周一到下周三', { kind: 'leave', from: '下周一', to: '下周三' }],
    ['请假 12月8日至12月10日', { kind: 'leave', from: '12月8日', to: '12月10日' }],
    ['请假 周六 至 周日 确认', { kind: 'leave', from: '周六', to: '周日', confirm: true }],
    ['请假 下周一下午', usage('请假格式有误')],
    ['取消请假', { kind: 'leave.cancel' }],
    ['销假', { kind: 'leave.cancel' }],
    ['问题台账', { kind: 'problem.list' }],
    ['请假 下周', usage('请假格式有误')],
    ['请假', usage('请假格式有误')],
    ['请假 2月30日', usage('请假格式有误')],
    ['请假 13月1日', usage('请假格式有误')],
    ['请假 12月3日 至 12月5日 至 12月7日', usage('请假格式有误')],
    // 报送情况 / 导出 / 关闭报送: the current period, or the one named.
    ['报送情况', { kind: 'report.progress' }],
    ['报送情况 2026-11', { kind: 'report.progress', period: '2026-11' }],
    ['报送情况 2026年11月', { kind: 'report.progress', period: '2026-11' }],
    ['报送情况 2026年第4季度', { kind: 'report.progress', period: '2026-Q4' }],
    ['报送情况 十一月', usage('期别格式有误')],
    ['报送情况 2026-13', usage('期别格式有误')],
    ['导出', { kind: 'report.export' }],
    ['导出 2026-11', { kind: 'report.export', period: '2026-11' }],
    ['导出 ２０２６-１１', { kind: 'report.export', period: '2026-11' }],
    ['关闭报送', { kind: 'period.close' }],
    ['关闭报送 2026-W48', { kind: 'period.close', period: '2026-W48' }],
    // 关闭报送 / 重新开放 [周期] [期别]: the cycle before the period, both optional.
    ['关闭报送 月度经济运行报送 2026-11', { kind: 'period.close', cycle: '月度经济运行报送', period: '2026-11' }],
    ['关闭报送 月度', { kind: 'period.close', cycle: '月度' }],
    ['关闭报送 月度 2026-13', usage('期别格式有误')],
    ['重新开放', { kind: 'period.reopen' }],
    ['重新开放 monthly 2026年11月', { kind: 'period.reopen', cycle: 'monthly', period: '2026-11' }],
    ['重新开放 2026-Q4', { kind: 'period.reopen', period: '2026-Q4' }],
    // 催报 / 延期: a unit by name (the dispatcher finds it), and a date for 延期.
    ['催报 鞍东区', { kind: 'report.nudge', unit: '鞍东区' }],
    ['催报　鞍江市 鞍东区', { kind: 'report.nudge', unit: '鞍江市 鞍东区' }],
    ['催报', usage('请写出单位')],
    ['延期 鞍西区 12月18日', { kind: 'report.extend', unit: '鞍西区', date: { month: 12, day: 18 } }],
    ['延期 鞍江市 鞍西区 2026-12-18', { kind: 'report.extend', unit: '鞍江市 鞍西区', date: { year: 2026, month: 12, day: 18 } }],
    ['延期 鞍西区', usage('延期格式有误')],
    ['延期 12月18日', usage('延期格式有误')],
    ['延期 鞍西区 下周', usage('延期格式有误')],
    // 预览: cycle and period both optional.
    ['预览 monthly 2026-11', { kind: 'schedule.preview', cycle: 'monthly', period: '2026-11' }],
    ['预览 monthly', { kind: 'schedule.preview', cycle: 'monthly' }],
    ['预览 2026-11', { kind: 'schedule.preview', period: '2026-11' }],
    ['预览', { kind: 'schedule.preview' }],
    // Only the first word names a command.
    ['报送情况怎么样', { kind: 'help', unknownText: '报送情况怎么样' }],
  ])('%j → %j', (text, cmd) => {
    expect(parseTextCommand(text)).toEqual(cmd);
  });
});

describe('meeting commands', () => {
  const interview = (subject: string, whenText: string, reason?: string) => ({ kind: 'meeting.new', meeting: 'INTERVIEW', subject, units: [subject], whenText, ...(reason ? { reason } : {}) });
  it.each([
    // 约谈 <单位> <时间> [事由]: the time phrase splits the line, whatever its spaces.
    ['约谈 鞍东区 下周二下午3点 规上工业增加值连续两月末位', interview('鞍东区', '下周二下午3点', '规上工业增加值连续两月末位')],
    ['约谈 鞍东区 12月8日15:00', interview('鞍东区', '12月8日15:00')],
    ['约谈 鞍东区 12月8日 15:00 连续两月末位', interview('鞍东区', '12月8日 15:00', '连续两月末位')],
    ['约谈 鞍东区下周二下午3点，连续两月末位。', interview('鞍东区', '下周二下午3点', '连续两月末位')],
    ['约谈鞍东区 下周二下午3点', interview('鞍东区', '下周二下午3点')],
    ['约谈 下周二下午3点 鞍东区 连续两月末位', interview('鞍东区', '下周二下午3点', '连续两月末位')],
    ['约谈 鞍东区 三天后上午10点', interview('鞍东区', '三天后上午10点')],
    ['@_user_1 约谈　鞍东区　１２月８日１５：００', interview('鞍东区', '１２月８日１５：００')],
    ['约谈', usage('请写出约谈单位和时间')],
    ['约谈 鞍东区', usage('没有找到时间')],
    ['约谈 鞍东区 规上工业增加值连续两月末位', usage('没有找到时间')],
    ['约谈 下周二下午3点', usage('请写出约谈单位')],
    // 专题会 <议题> <时间> [单位…]
    ['专题会 工业运行 12月10日15:00 鞍东区 市经信局', { kind: 'meeting.new', meeting: 'SPECIAL', subject: '工业运行', units: ['鞍东区', '市经信局'], whenText: '12月10日15:00' }],
    ['专题会 工业运行 12月10日15:00-16:30 鞍东区、鞍西区，市经信局', { kind: 'meeting.new', meeting: 'SPECIAL', subject: '工业运行', units: ['鞍东区', '鞍西区', '市经信局'], whenText: '12月10日15:00-16:30' }],
    ['专题会 固定资产投资 周五下午', { kind: 'meeting.new', meeting: 'SPECIAL', subject: '固定资产投资', units: [], whenText: '周五下午' }],
    ['专题会 12月10日15:00', usage('请写出专题会议题')],
    ['专题会 工业运行', usage('没有找到时间')],
    ['专题会', usage('请写出专题会议题和时间')],
    // 例会 <时间>
    ['例会 12月15日上午9点', { kind: 'meeting.new', meeting: 'MONTHLY', subject: '', units: [], whenText: '12月15日上午9点' }],
    ['例会 下周一 9:00-11:30', { kind: 'meeting.new', meeting: 'MONTHLY', subject: '', units: [], whenText: '下周一 9:00-11:30' }],
    ['例会12月15日上午9点', { kind: 'meeting.new', meeting: 'MONTHLY', subject: '', units: [], whenText: '12月15日上午9点' }],
    // Text around the time is the time parser's to refuse, with its examples.
    ['例会 12月15日上午9点 三楼', { kind: 'meeting.new', meeting: 'MONTHLY', subject: '', units: [], whenText: '12月15日上午9点 三楼' }],
    ['例会', usage('请写出例会时间')],
    ['例会 尽快', usage('没有找到时间')],
    // 会议 · 改期 · 取消
    ['会议', { kind: 'meeting.list' }],
    ['我的会议', { kind: 'meeting.list' }],
    ['改期 12 12月9日15:00', { kind: 'meeting.reschedule', no: 12, whenText: '12月9日15:00' }],
    ['改期 #12 下周三上午十点', { kind: 'meeting.reschedule', no: 12, whenText: '下周三上午十点' }],
    ['改期 12号会议 12月9日 15:00-16:00', { kind: 'meeting.reschedule', no: 12, whenText: '12月9日 15:00-16:00' }],
    ['改期 abc', usage('改期格式有误')],
    ['改期 12', usage('改期格式有误')],
    ['改期 12月9日15:00', usage('改期格式有误')],
    ['改期 12 尽快', usage('改期格式有误')],
    ['改期', usage('改期格式有误')],
    ['取消 12 区长赴省参加会议', { kind: 'meeting.cancel', no: 12, reason: '区长赴省参加会议' }],
    ['取消 12', { kind: 'meeting.cancel', no: 12 }],
    ['取消 第12号 改为书面报告', { kind: 'meeting.cancel', no: 12, reason: '改为书面报告' }],
    ['取消', usage('取消格式有误')],
    ['取消 会议', usage('取消格式有误')],
    ['改期 12号下午3点', usage('改期格式有误')],
    // Only the first word names a command.
    ['会议室在哪', { kind: 'help', unknownText: '会议室在哪' }],
    ['约谈是什么', { kind: 'help', unknownText: '约谈是什么' }],
    // The archive and the ranking.
    ['约谈记录', { kind: 'interview.records' }],
    ['约谈记录 鞍东区', { kind: 'interview.records', unit: '鞍东区' }],
    ['导出约谈记录', { kind: 'interview.export' }],
    ['导出约谈记录 鞍东区', { kind: 'interview.export', unit: '鞍东区' }],
    ['排名', { kind: 'ranking.show' }],
    ['排名 2026-11', { kind: 'ranking.show', period: '2026-11' }],
    ['排名 2026年11月', { kind: 'ranking.show', period: '2026-11' }],
    ['排名 上个月', usage('期别格式有误')],
  ])('%j → %j', (text, cmd) => {
    expect(parseTextCommand(text)).toEqual(cmd);
  });

  it('shows how to write the command, with an example to copy', () => {
    const bare = parseTextCommand('约谈');
    expect(bare.kind === 'usage' && bare.message).toContain('约谈 鞍东区 下周二下午3点');
    const noTime = parseTextCommand('改期 abc');
    expect(noTime.kind === 'usage' && noTime.message).toContain('改期 12 12月9日15:00');
  });
});

describe('days and periods as typed', () => {
  it.each([
    ['12月3日', { month: 12, day: 3 }],
    ['12月3号', { month: 12, day: 3 }],
    ['12-3', { month: 12, day: 3 }],
    ['12/3', { month: 12, day: 3 }],
    ['12.3', { month: 12, day: 3 }],
    ['2026-12-03', { year: 2026, month: 12, day: 3 }],
    ['2026年12月3日', { year: 2026, month: 12, day: 3 }],
    ['２０２６年１２月３日', { year: 2026, month: 12, day: 3 }],
    [' 今天 ', { offset: 0 }],
    ['明天', { offset: 1 }],
    ['后天', { offset: 2 }],
    // Without a year 2月29日 may be right; with one it is checked.
    ['2月29日', { month: 2, day: 29 }],
    ['2028-02-29', { year: 2028, month: 2, day: 29 }],
    ['2027-02-29', null],
    ['2月30日', null],
    ['4月31日', null],
    ['13月1日', null],
    ['0月1日', null],
    ['12月0日', null],
    ['12月', null],
    ['3日', null],
    ['下周', null],
    ['十二月三日', null],
  ])('parseDay(%j) → %j', (text, day) => {
    expect(parseDay(text)).toEqual(day);
  });

  it('reads 今日 and 明日 as relative days, not as a date with its 日 stripped', () => {
    expect(parseDay('今日')).toEqual({ offset: 0 });
    expect(parseDay('明日')).toEqual({ offset: 1 });
  });

  it.each([
    ['2026-11', '2026-11'],
    ['2026-1', '2026-01'],
    ['2026年11月', '2026-11'],
    ['2026年1月', '2026-01'],
    ['２０２６年１１月', '2026-11'],
    ['2026-Q4', '2026-Q4'],
    ['2026-q4', '2026-Q4'],
    ['2026年第4季度', '2026-Q4'],
    ['2026-W48', '2026-W48'],
    ['2026-W5', '2026-W05'],
    ['2026-13', null],
    ['2026-0', null],
    ['2026-Q5', null],
    ['2026-W54', null],
    ['十一月', null],
    ['11月', null],
    ['', null],
  ])('parsePeriodKey(%j) → %j', (text, key) => {
    expect(parsePeriodKey(text)).toBe(key);
  });
});

describe('card actions', () => {
  it('routes by the action name in the value, not the button text', () => {
    expect(parseCardAction({ value: { a: 'problem.submit', v: 1 }, formValue: { title: '用工', description: '缺工' } })).toEqual({
      kind: 'problem.submit', form: { title: '用工', enterprise: '', description: '缺工' },
    });
  });

  it('answers bad form input with the reason and no command', () => {
    expect(parseCardAction({ value: { a: 'problem.submit', v: 1 }, formValue: { title: '', description: '缺工' } })).toEqual({
      kind: 'invalid', message: '请填写问题标题',
    });
  });

  const R = '0b7c1a52-3f1e-4c6a-9d2e-7a1f0c9b8e21';
  const E = '5d0e9c3a-1b2f-4e8d-a7c6-2f9b0e1d3c4a';

  it('passes a collection submit on as typed entries by indicator code, decoded from the field names', () => {
    const formValue = { v_0: '1200.5', g_0: '9.5', p_0: '', f_1: '预计回升', v_1: '88', u_keywork: '青山物流园二期开工', edit_reason: '统计局更正' };
    expect(parseCardAction({ value: { a: 'report.submit', v: 1, r: R, p: 1, i: 'industrial-va,retail-sales' }, formValue })).toEqual({
      kind: 'report.submit', reportId: R, page: 1, confirm: false,
      entries: { 'industrial-va': { value: '1200.5', growth: '9.5', problems: '' }, 'retail-sales': { value: '88', outlook: '预计回升' } },
      reason: '统计局更正', sections: { keyWork: '青山物流园二期开工' },
    });
    // Feishu may omit every input: still a submit, with nothing typed.
    expect(parseCardAction({ value: { a: 'report.submit', v: 1, r: R, p: 2, i: 'gdp' } })).toEqual({
      kind: 'report.submit', reportId: R, page: 2, confirm: false, entries: {},
    });
    // A card sent before the submit carried its codes: the fields by position, for the domain's page.
    expect(parseCardAction({ value: { a: 'report.submit', v: 1, r: R, p: 1 }, formValue: { v_0: '1', m_2: '加强调度' } })).toEqual({
      kind: 'report.submit', reportId: R, page: 1, confirm: false, entries: { '#0': { value: '1' }, '#2': { measures: '加强调度' } },
    });
  });

  it("marks the submit that confirms the outliers shown (c: '1')", () => {
    expect(parseCardAction({ value: { a: 'report.submit', v: 1, r: R, p: 1, c: '1', i: 'gdp' }, formValue: { v_0: '1200.5', confirm_reason: '重大项目集中入库' } })).toEqual({
      kind: 'report.submit', reportId: R, page: 1, confirm: true, entries: { gdp: { value: '1200.5' } }, confirmReason: '重大项目集中入库',
    });
  });

  it('answers form values it cannot read with a message, and ignores malformed submit values', () => {
    expect(parseCardAction({ value: { a: 'report.submit', v: 1, r: R, p: 1 }, formValue: { v_0: 1200.5 } })).toEqual({
      kind: 'invalid', message: '填写的内容无法识别，请检查后重新提交',
    });
    expect(parseCardAction({ value: { a: 'report.submit', v: 1, r: R, p: 0 } })).toBeNull();
    expect(parseCardAction({ value: { a: 'report.submit', v: 1, r: '', p: 1 } })).toBeNull();
    expect(parseCardAction({ value: { a: 'report.submit', v: 1, p: 1 } })).toBeNull();
    expect(parseCardAction({ value: { a: 'report.submit', v: 1, r: R, p: 1, c: 'yes' } })).toBeNull();
    expect(parseCardAction({ value: { a: 'report.submit', v: 2, r: R, p: 1 } })).toBeNull();
  });

  it('answers a malformed id in a collection card as an expired card, never querying with it', () => {
    const expired = { kind: 'invalid', message: '这张卡片已过期，请发送「报送」获取最新卡片。' };
    expect(parseCardAction({ value: { a: 'report.submit', v: 1, r: 'rep-1', p: 1 }, formValue: { v_0: '1' } })).toEqual(expired);
    expect(parseCardAction({ value: { a: 'report.open', v: 1, r: "1' OR 1=1" } })).toEqual(expired);
    expect(parseCardAction({ value: { a: 'report.edit', v: 1, r: `${R}x`, p: 1 } })).toEqual(expired);
    expect(parseCardAction({ value: { a: 'report.nudge', v: 1, r: 'x' } })).toEqual(expired);
    // An organiser's approval card is not theirs to fetch again with 报送.
    expect(parseCardAction({ value: { a: 'edit.approve', v: 1, e: 'er-1' } })).toEqual({ kind: 'invalid', message: '这张卡片已过期或无法操作，请重新获取。' });
  });

  it('routes the other collection buttons', () => {
    expect(parseCardAction({ value: { a: 'report.edit', v: 1, r: R, p: 2 } })).toEqual({ kind: 'report.edit', reportId: R, page: 2 });
    expect(parseCardAction({ value: { a: 'report.open', v: 1, r: R } })).toEqual({ kind: 'report.open', reportId: R });
    expect(parseCardAction({ value: { a: 'report.nudge', v: 1, r: R } })).toEqual({ kind: 'report.nudge', reportId: R });
    expect(parseCardAction({ value: { a: 'edit.approve', v: 1, e: E } })).toEqual({ kind: 'edit.decide', editRequestId: E, approve: true });
    expect(parseCardAction({ value: { a: 'edit.reject', v: 1, e: E } })).toEqual({ kind: 'edit.decide', editRequestId: E, approve: false });
    expect(parseCardAction({ value: { a: 'edit.approve', v: 1 } })).toBeNull();
  });

  const W = '0f5b3c1e-8a2d-4c6b-9e7f-1a2b3c4d5e6f';
  const T = '6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';

  it('turns warning and meeting actions into typed commands, forms parsed and trimmed', () => {
    expect(parseCardAction({ value: { a: 'warning.open', v: 1, w: W, s: 'digest' } })).toEqual({ kind: 'warning.open', warningId: W, fromDigest: true });
    expect(parseCardAction({ value: { a: 'warning.ack', v: 1, w: W } })).toEqual({ kind: 'warning.ack', warningId: W });
    expect(parseCardAction({ value: { a: 'warning.instruct', v: 1, w: W }, formValue: { instruction: ' 请一周内报送措施 ', units: ['andong-district'] } })).toEqual({
      kind: 'warning.instruct', warningId: W, text: '请一周内报送措施', unitCodes: ['andong-district'],
    });
    expect(parseCardAction({ value: { a: 'warning.assign', v: 1, w: W }, formValue: { title: ' 复产计划 ', unit: 'andong-district', due: '2026-12-18 +0800' } })).toEqual({
      kind: 'warning.assign', warningId: W, title: '复产计划', unitCode: 'andong-district', due: '2026-12-18',
    });
    expect(parseCardAction({ value: { a: 'warning.meeting', v: 1, w: W } })).toEqual({ kind: 'meeting.propose', warningId: W, meeting: 'SPECIAL' });
    expect(parseCardAction({ value: { a: 'warning.interview', v: 1, w: W } })).toEqual({ kind: 'meeting.propose', warningId: W, meeting: 'INTERVIEW' });
    expect(parseCardAction({ value: { a: 'meeting.decline', v: 1, m: W } })).toEqual({ kind: 'meeting.decide', meetingId: W, confirm: false });
  });

  it('turns task actions into typed commands; a reminder\'s 申请销号 has no form', () => {
    expect(parseCardAction({ value: { a: 'task.open', v: 1, t: T } })).toEqual({ kind: 'task.open', taskId: T });
    expect(parseCardAction({ value: { a: 'task.progress', v: 1, t: T }, formValue: { progress: '75', note: ' 已开工 ' } })).toEqual({ kind: 'task.progress', taskId: T, progress: 75, note: '已开工' });
    expect(parseCardAction({ value: { a: 'task.request-close', v: 1, t: T } })).toEqual({ kind: 'task.request-close', taskId: T, note: '' });
    expect(parseCardAction({ value: { a: 'task.request-close', v: 1, t: T }, formValue: { progress: '100', note: '完成' } })).toEqual({ kind: 'task.request-close', taskId: T, note: '完成' });
    expect(parseCardAction({ value: { a: 'task.close', v: 1, t: T } })).toEqual({ kind: 'task.close', taskId: T });
    expect(parseCardAction({ value: { a: 'task.return', v: 1, t: T }, formValue: { reason: '补材料' } })).toEqual({ kind: 'task.return', taskId: T, reason: '补材料' });
  });

  it('answers a bad or too long form with what to fix', () => {
    const invalid = (message: string) => ({ kind: 'invalid', message });
    expect(parseCardAction({ value: { a: 'warning.instruct', v: 1, w: W }, formValue: { instruction: '  ' } })).toEqual(invalid('请填写批示内容'));
    expect(parseCardAction({ value: { a: 'warning.instruct', v: 1, w: W }, formValue: { instruction: '批'.repeat(812) } })).toEqual(invalid('「批示内容」最多 500 字，当前 812 字，请精简后重新提交'));
    expect(parseCardAction({ value: { a: 'warning.assign', v: 1, w: W }, formValue: { title: '事'.repeat(101), unit: 'u', due: '2026-12-18' } })).toEqual(invalid('「事项名称」最多 100 字，当前 101 字，请精简后重新提交'));
    expect(parseCardAction({ value: { a: 'task.progress', v: 1, t: T }, formValue: { note: 'x' } })).toEqual(invalid('请选择办理进度'));
    expect(parseCardAction({ value: { a: 'task.return', v: 1, t: T }, formValue: { reason: '退'.repeat(201) } })).toEqual(invalid('「退回原因」最多 200 字，当前 201 字，请精简后重新提交'));
    expect(parseCardAction({ value: { a: 'problem.submit', v: 1 }, formValue: { title: '题'.repeat(101), description: 'x' } })).toEqual(invalid('「问题标题」最多 100 字，当前 101 字，请精简后重新提交'));
    expect(parseCardAction({ value: { a: 'problem.submit', v: 1 }, formValue: { title: 't', enterprise: '企'.repeat(101), description: 'x' } })).toEqual(invalid('「企业或项目」最多 100 字，当前 101 字，请精简后重新提交'));
    expect(parseCardAction({ value: { a: 'problem.submit', v: 1 }, formValue: { title: 't', description: '述'.repeat(1001) } })).toEqual(invalid('「问题描述」最多 1000 字，当前 1001 字，请精简后重新提交'));
  });

  it('answers a malformed warning, task or meeting id with 「卡片已过期」', () => {
    for (const value of [{ a: 'warning.open', v: 1, w: 'w-1' }, { a: 'task.close', v: 1, t: '123' }, { a: 'meeting.confirm', v: 1, m: `${W}0` }]) {
      expect(parseCardAction({ value })).toEqual({ kind: 'invalid', message: CARD_EXPIRED });
    }
    expect(CARD_EXPIRED).toContain('卡片已过期');
  });

  it('refuses unknown actions and outdated card versions', () => {
    expect(parseCardAction({ value: { a: 'nope', v: 1 } })).toBeNull();
    expect(parseCardAction({ value: { a: 'report.delete', v: 1, r: 'rep-1' } })).toBeNull();
    expect(parseCardAction({ value: { a: 'problem.submit', v: 0 } })).toBeNull();
    expect(parseCardAction({ value: {} })).toBeNull();
  });
});
