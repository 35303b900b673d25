// Commands: text and card actions → typed commands. Card actions are routed by the action name
// carried in the button's value (`a`), never by button text.
import { PROBLEM_SUBMIT, ProblemFormValue, ProblemSubmitValue } from '../../cards/problem-form.ts';
import {
  EDIT_APPROVE,
  EDIT_REJECT,
  EditApproveValue,
  EditRejectValue,
  REPORT_EDIT,
  REPORT_NUDGE,
  REPORT_OPEN,
  REPORT_SUBMIT,
  ReportEditValue,
  ReportFormValue,
  ReportNudgeValue,
  ReportOpenValue,
  ReportSubmitValue,
  readReportForm,
} from '../../cards/collection-form.ts';
import {
  MEETING_CONFIRM,
  MEETING_DECLINE,
  MeetingConfirmValue,
  MeetingDeclineValue,
  WARNING_ACK,
  WARNING_ASSIGN,
  WARNING_INSTRUCT,
  WARNING_INTERVIEW,
  WARNING_MEETING,
  WARNING_OPEN,
  WarningAckValue,
  WarningAssignFormValue,
  WarningAssignValue,
  WarningInstructFormValue,
  WarningInstructValue,
  WarningInterviewValue,
  WarningMeetingValue,
  WarningOpenValue,
} from '../../cards/warning.ts';
import {
  TASK_CLOSE,
  TASK_OPEN,
  TASK_PROGRESS,
  TASK_REQUEST_CLOSE,
  TASK_RETURN,
  TaskCloseValue,
  TaskOpenValue,
  TaskProgressFormValue,
  TaskProgressValue,
  TaskRequestCloseFormValue,
  TaskRequestCloseValue,
  TaskReturnFormValue,
  TaskReturnValue,
} from '../../cards/task.ts';
import type { CardCommand, DayRef, MessageCommand } from './command.ts';
import type { PeriodRef } from '../modules/shared/period-ref.ts';
import { badForm, byId, isUuid, reportExpired, type CardRoute, type RawCardAction } from './card-route.ts';
import { schedulingRoutes } from './routes/meetings-scheduling.ts';
import { invitationRoutes } from './routes/meetings-invitations.ts';
import { archiveRoutes } from './routes/meetings-archive.ts';
import { seatRoutes } from './routes/meetings-seats.ts';
import { instructionRoutes } from './routes/instructions.ts';
import { periodStateRoutes } from './routes/collection-close.ts';
import { reportRoutes } from './routes/report.ts';
import { problemRoutes } from './routes/problems.ts';
import { findWhen, isDayPhrase, WHEN_EXAMPLES } from '../modules/meetings/when.ts';

export { CARD_EXPIRED } from './card-route.ts';
export type { RawCardAction } from './card-route.ts';

const TEXT_COMMANDS: [RegExp, MessageCommand][] = [
  [/^(帮助|help|\/help|\?|？|菜单|指令)$/i, { kind: 'help' }],
  [/^(我是谁|whoami|\/whoami|我的角色|我的信息)$/i, { kind: 'whoami' }],
  [/^(登记问题|问题登记|反映问题|\/problem)$/i, { kind: 'problem.open' }],
  [/^(问题台账|台账|问题清单)$/, { kind: 'problem.list' }],
  [/^(取消请假|撤销请假|销假)$/, { kind: 'leave.cancel' }],
  [/^(发送失败|送达失败|失败消息)$/, { kind: 'outbound.failed' }],
  [/^(报送|填报|我要报送|报送卡片|我的报送)$/, { kind: 'report.cards' }],
  [/^(状态|报送状态|我的状态|进度)$/, { kind: 'report.status' }],
  [/^(会议|我的会议|近期会议|会议日程|会议安排)$/, { kind: 'meeting.list' }],
  [/^(专报|经济运行专报|月度专报)$/, { kind: 'mreport.review' }],
];

const FULL_WIDTH_DIGITS = /[０-９]/g;
const toHalf = (s: string) => s.replace(FULL_WIDTH_DIGITS, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/** '2026-12-03', '2026年12月3日', '12月3日', '12-3', '12/3', '12.3', '今天', '明天', '后天'. */
export function parseDay(text: string): DayRef | null {
  const rel: Record<string, number> = { 今天: 0, 今日: 0, 明天: 1, 明日: 1, 后天: 2 };
  const word = text.trim();
  if (word in rel) return { offset: rel[word]! };
  const t = toHalf(word).replace(/[号日]$/, '');
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})$/.exec(t);
  if (m) return valid({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) });
  m = /^(\d{1,2})[-/.月](\d{1,2})$/.exec(t);
  if (m) return valid({ month: Number(m[1]), day: Number(m[2]) });
  return null;
}

function valid(d: { year?: number; month: number; day: number }): DayRef | null {
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31) return null;
  const y = d.year ?? 2024; // a leap year, so 2月29日 passes here and is checked once the year is known
  const probe = new Date(Date.UTC(y, d.month - 1, d.day));
  return probe.getUTCMonth() === d.month - 1 ? d : null;
}

/** '2026-11', '2026年11月', '2026-Q4', '2026年第4季度', '2026-W48'; null for anything else. */
export function parsePeriodKey(text: string): string | null {
  const t = toHalf(text.trim()).toUpperCase();
  let m = /^(\d{4})[-年](\d{1,2})月?$/.exec(t);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return `${m[1]}-${m[2]!.padStart(2, '0')}`;
  m = /^(\d{4})(?:-Q|年第?)([1-4])(?:季度)?$/.exec(t);
  if (m) return `${m[1]}-Q${m[2]}`;
  m = /^(\d{4})-?W(\d{1,2})$/.exec(t);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 53) return `${m[1]}-W${m[2]!.padStart(2, '0')}`;
  return null;
}

const WHY_USAGE = '请按「为什么 规上工业增加值 鞍东区」发送；问某一期，在后面写期别，如「为什么 规上工业增加值 鞍东区 10月」。';

const CN_DIGIT: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 1: 1, 2: 2, 3: 3, 4: 4 };

/**
 * A period as officials write it: '10月', '10月份', '2026年10月', '2026-10', '1-10月', '2026年1-10月',
 * '三季度', '第三季度', '前三季度', '2026年第3季度', '2026-Q3', '一季度', '上半年'; null for anything else.
 */
export function parsePeriodRef(text: string): PeriodRef | null {
  const raw = text.trim();
  const t = toHalf(raw).toUpperCase().replace(/[－—–~～至到]/g, '-');
  const year = (y: string | undefined) => (y ? { year: Number(y) } : {});
  // 1-10月 is the cumulative through October: the period is October.
  let m = /^(?:(\d{4})年)?(?:1-)?(\d{1,2})月份?$/.exec(t) ?? /^(\d{4})[-/.](\d{1,2})$/.exec(t);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return { text: raw, ...year(m[1]), month: Number(m[2]) };
  m = /^(?:(\d{4})年)?(?:第|前)?([一二三四1-4])季度?$/.exec(t) ?? /^(?:(\d{4})-?)?Q([1-4])$/.exec(t);
  if (m && (m[0].includes('季') || m[0].includes('Q'))) return { text: raw, ...year(m[1]), quarter: CN_DIGIT[m[2]!]! };
  m = /^(?:(\d{4})年)?上半年$/.exec(t);
  if (m) return { text: raw, ...year(m[1]), quarter: 2 };
  return null;
}

const DATE_HINT = '日期可以写成「12月3日」「2026-12-03」或「明天」。';
const LEAVE_DATE_HINT = '日期可以写成「12月3日」「明天」「下周一」，连续几天写「下周一到下周三」。';

/** Commands with arguments: the first word names the command, the rest are its arguments. */
function parseWithArgs(t: string): MessageCommand | null {
  const [head, ...rest] = t.split(' ');
  const args = rest.join(' ').trim();
  switch (head) {
    case '请假': {
      // Days are read by the meeting-time grammar (src/modules/meetings/when.ts); a trailing 确认 keeps a leave on rest days.
      const confirm = /(?:^|\s)确认$/.test(args);
      const days = confirm ? args.replace(/\s*确认$/, '') : args;
      const parts = days.split(/\s*(?:至|到|~|～|—|－)\s*|\s+/).filter(Boolean);
      if (!parts.length || parts.length > 2 || !parts.every(isDayPhrase)) {
        return { kind: 'usage', title: '请假格式有误', message: `请按「请假 12月3日 至 12月5日」发送（只请一天：「请假 12月3日」）。${LEAVE_DATE_HINT}` };
      }
      return { kind: 'leave', from: parts[0]!, to: parts[1] ?? parts[0]!, ...(confirm ? { confirm: true } : {}) };
    }
    case '报送情况':
    case '导出': {
      const period = args ? parsePeriodKey(args) : undefined;
      if (period === null) return { kind: 'usage', title: '期别格式有误', message: `请按「${head} 2026-11」发送，或不带期别表示当前一期。` };
      return { kind: head === '报送情况' ? 'report.progress' : 'report.export', ...(period ? { period } : {}) };
    }
    case '关闭报送':
    case '重新开放':
      return periodStateCommand(head, args);
    case '为什么': {
      const words = args.split(' ').filter(Boolean);
      const period = words.length >= 3 ? parsePeriodRef(words.at(-1)!) : null;
      if (period) words.pop();
      else if (words.length >= 3 && /^[\d０-９一二三四上前第]/.test(words.at(-1)!) && /[月季年Qq]/.test(words.at(-1)!)) {
        return { kind: 'usage', title: '期别格式有误', message: `看不懂期别「${words.at(-1)}」。期别可以写成「10月」「2026年10月」「1-10月」「三季度」。` };
      }
      if (words.length < 2) return { kind: 'usage', title: '请写出指标和单位', message: WHY_USAGE };
      return { kind: 'light.why', indicator: words.slice(0, -1).join(' '), unit: words.at(-1)!, ...(period ? { period } : {}) };
    }
    case '催报':
      if (!args) return { kind: 'usage', title: '请写出单位', message: '请按「催报 单位名称」发送，例如「催报 鞍东区」。' };
      return { kind: 'report.nudge', unit: args };
    case '延期': {
      const words = args.split(' ').filter(Boolean);
      const date = words.length >= 2 ? parseDay(words.at(-1)!) : null;
      if (!date) return { kind: 'usage', title: '延期格式有误', message: `请按「延期 单位名称 12月18日」发送。${DATE_HINT}` };
      return { kind: 'report.extend', unit: words.slice(0, -1).join(' '), date };
    }
    case '预览': {
      const words = args.split(' ').filter(Boolean);
      const period = words.length ? parsePeriodKey(words.at(-1)!) : null;
      const cycle = (period ? words.slice(0, -1) : words).join(' ');
      return { kind: 'schedule.preview', ...(cycle ? { cycle } : {}), ...(period ? { period } : {}) };
    }
    case '约谈':
    case '专题会':
    case '例会':
      return newMeeting(head, args);
    case '改期':
    case '取消':
      return changeMeeting(head, args);
    case '约谈记录':
    case '导出约谈记录':
      return { kind: head === '约谈记录' ? 'interview.records' : 'interview.export', ...(args ? { unit: args } : {}) };
    case '专报': {
      const period = args ? parsePeriodKey(args) : undefined;
      if (period === null || (period && !/^\d{4}-\d{2}$/.test(period))) return { kind: 'usage', title: '期别格式有误', message: '请按「专报 2026-11」发送，或只发「专报」查看最近一期。' };
      return { kind: 'mreport.review', ...(period ? { period } : {}) };
    }
    case '排名': {
      const period = args ? parsePeriodKey(args) : undefined;
      if (period === null) return { kind: 'usage', title: '期别格式有误', message: '请按「排名 2026-11」发送，或只发「排名」查看最近一期。' };
      return { kind: 'ranking.show', ...(period ? { period } : {}) };
    }
    default:
      return gluedMeeting(t);
  }
}

/** 关闭报送 / 重新开放 [周期] [期别]: the period last (a word with digits that is not one is refused), the cycle before it. */
function periodStateCommand(head: '关闭报送' | '重新开放', args: string): MessageCommand {
  const words = args.split(' ').filter(Boolean);
  const last = words.at(-1);
  const period = last ? parsePeriodKey(last) : null;
  if (last && !period && /[\d０-９]/.test(last)) {
    return { kind: 'usage', title: '期别格式有误', message: `请按「${head} 月度经济运行报送 2026-11」发送（周期、期别都可不写，不写时列出可选的报送），期别写成 2026-11、2026-Q4 或 2026-W48。` };
  }
  const cycle = (period ? words.slice(0, -1) : words).join(' ');
  return { kind: head === '关闭报送' ? 'period.close' : 'period.reopen', ...(cycle ? { cycle } : {}), ...(period ? { period } : {}) };
}

const MEETING_USAGE = {
  约谈: { title: '请写出约谈单位和时间', example: '约谈 鞍东区 下周二下午3点 规上工业增加值连续两月末位', shape: '约谈 单位 时间 事由（事由可不写）' },
  专题会: { title: '请写出专题会议题和时间', example: '专题会 工业运行 12月10日15:00 鞍东区 市经信局', shape: '专题会 议题 时间 参会单位（单位可不写，多个用空格或顿号分开）' },
  例会: { title: '请写出例会时间', example: '例会 12月15日上午9点', shape: '例会 时间' },
} as const;
const WHEN_HINT = `时间可以写成${WHEN_EXAMPLES.slice(0, 4).map((e) => `「${e}」`).join('')}。`;
const meetingUsage = (head: keyof typeof MEETING_USAGE, title: string = MEETING_USAGE[head].title): MessageCommand => ({
  kind: 'usage',
  title,
  message: `请按「${MEETING_USAGE[head].shape}」发送，例如「${MEETING_USAGE[head].example}」。${WHEN_HINT}`,
});
const trimPunct = (s: string) => s.replace(/^[\s,，、;；:：]+|[\s,，、;；:：]+$/g, '');

/** 约谈 <单位> <时间> [事由] · 专题会 <议题> <时间> [单位…] · 例会 <时间>: the time phrase splits the line. */
function newMeeting(head: keyof typeof MEETING_USAGE, args: string): MessageCommand {
  const w = args ? findWhen(args) : null;
  if (!w) return meetingUsage(head, args ? '没有找到时间' : MEETING_USAGE[head].title);
  const before = trimPunct(args.slice(0, w.index));
  const whenText = args.slice(w.index, w.index + w.length);
  const after = trimPunct(args.slice(w.index + w.length));
  if (head === '例会') {
    // Anything after the time goes to the time parser, which says what it did not understand.
    return { kind: 'meeting.new', meeting: 'MONTHLY', subject: '', whenText: before ? args : args.slice(w.index), units: [] };
  }
  if (head === '约谈') {
    // 「约谈 下周二下午3点 鞍东区 事由」: the unit after the time.
    const [unit, reason] = before ? [before, after] : [after.split(' ')[0] ?? '', after.split(' ').slice(1).join(' ')];
    if (!unit) return meetingUsage(head, '请写出约谈单位');
    return { kind: 'meeting.new', meeting: 'INTERVIEW', subject: unit, units: [unit], whenText, ...(reason ? { reason } : {}) };
  }
  if (!before) return meetingUsage(head, '请写出专题会议题');
  const units = after.split(/[\s、,，;；]+/).filter(Boolean);
  return { kind: 'meeting.new', meeting: 'SPECIAL', subject: before, units, whenText };
}

/** 改期 <编号> <时间> · 取消 <编号> [原因]: the number shown on the meeting's cards. */
function changeMeeting(head: '改期' | '取消', args: string): MessageCommand {
  // 「12号会议」「第12号 …」 name the meeting; 「12号下午3点」 does not (the 12th).
  const m = /^(?:编号|第|#|＃|No\.?)?\s*(\d{1,9})(?:号会议|号(?=\s|$))?(?![\d月日号点时:./-])[\s,，:：]*(.*)$/i.exec(args);
  const no = m ? Number(m[1]) : 0;
  const rest = m ? m[2]!.trim() : '';
  if (head === '改期') {
    const usage: MessageCommand = { kind: 'usage', title: '改期格式有误', message: `请按「改期 编号 新时间」发送，例如「改期 12 12月9日15:00」。编号见会议卡片，或发送「会议」查看。${WHEN_HINT}` };
    if (!no || !rest || !findWhen(rest)) return usage;
    return { kind: 'meeting.reschedule', no, whenText: rest };
  }
  if (!no) return { kind: 'usage', title: '取消格式有误', message: '请按「取消 编号 原因」发送，例如「取消 12 区长赴省参加会议」（原因可不写）。编号见会议卡片，或发送「会议」查看。' };
  return { kind: 'meeting.cancel', no, ...(rest ? { reason: rest } : {}) };
}

/** 「约谈鞍东区 下周二下午3点」, typed without the space: a meeting word, then a line with a time in it. */
function gluedMeeting(t: string): MessageCommand | null {
  const m = /^(约谈|专题会|例会)(?!记录)(\S.*)$/.exec(t);
  if (!m || !findWhen(m[2]!)) return null;
  return newMeeting(m[1] as keyof typeof MEETING_USAGE, m[2]!.trim());
}

/** Strips @mentions (`@_user_1`), full-width spaces and surrounding punctuation. */
export function normaliseText(text: string): string {
  return text
    .replace(/@_user_\d+/g, ' ')
    .replace(/\u3000/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[。！!.？?]+$/, '');
}

export function parseTextCommand(text: string): MessageCommand {
  const t = normaliseText(text);
  for (const [re, cmd] of TEXT_COMMANDS) if (re.test(t)) return cmd;
  const withArgs = parseWithArgs(t);
  if (withArgs) return withArgs;
  return t ? { kind: 'help', unknownText: t } : { kind: 'help' };
}

const CARD_ROUTES: Record<string, CardRoute> = {
  [PROBLEM_SUBMIT]: {
    value: ProblemSubmitValue,
    toCommand: (a) => {
      const form = ProblemFormValue.safeParse(a.formValue ?? {});
      if (!form.success) return { kind: 'invalid', message: form.error.issues[0]?.message ?? '填写的内容有误，请检查后重新提交' };
      return { kind: 'problem.submit', form: form.data };
    },
  },
  [REPORT_SUBMIT]: {
    value: ReportSubmitValue,
    toCommand: (a) => {
      const v = ReportSubmitValue.parse(a.value);
      if (!isUuid(v.r)) return reportExpired;
      const form = ReportFormValue.safeParse(a.formValue ?? {});
      if (!form.success) return { kind: 'invalid', message: '填写的内容无法识别，请检查后重新提交' };
      return { kind: 'report.submit', reportId: v.r, page: v.p, confirm: v.c === '1', ...readReportForm(form.data, v.i?.split(',')) };
    },
  },
  [REPORT_EDIT]: byId(ReportEditValue, 'r', (reportId, a) => ({ kind: 'report.edit', reportId, page: Number(a.value.p) }), reportExpired),
  [REPORT_OPEN]: byId(ReportOpenValue, 'r', (reportId) => ({ kind: 'report.open', reportId }), reportExpired),
  [REPORT_NUDGE]: byId(ReportNudgeValue, 'r', (reportId) => ({ kind: 'report.nudge', reportId }), reportExpired),
  [EDIT_APPROVE]: byId(EditApproveValue, 'e', (editRequestId) => ({ kind: 'edit.decide', editRequestId, approve: true })),
  [EDIT_REJECT]: byId(EditRejectValue, 'e', (editRequestId) => ({ kind: 'edit.decide', editRequestId, approve: false })),
  ...warningRoutes(),
  ...taskRoutes(),
  ...schedulingRoutes,
  ...invitationRoutes,
  ...archiveRoutes,
  ...seatRoutes,
  ...instructionRoutes,
  ...periodStateRoutes,
  ...problemRoutes,
  ...reportRoutes,
};

function warningRoutes(): Record<string, CardRoute> {
  const digest = (a: RawCardAction) => (a.value.s === 'digest' ? { fromDigest: true } : {});
  return {
    [WARNING_OPEN]: byId(WarningOpenValue, 'w', (warningId, a) => ({ kind: 'warning.open', warningId, ...digest(a) })),
    [WARNING_ACK]: byId(WarningAckValue, 'w', (warningId, a) => ({ kind: 'warning.ack', warningId, ...digest(a) })),
    [WARNING_INSTRUCT]: byId(WarningInstructValue, 'w', (warningId, a) => {
      const f = WarningInstructFormValue.safeParse(a.formValue ?? {});
      return f.success ? { kind: 'warning.instruct', warningId, text: f.data.instruction, unitCodes: f.data.units } : badForm(f.error, '请填写批示内容');
    }),
    [WARNING_ASSIGN]: byId(WarningAssignValue, 'w', (warningId, a) => {
      const f = WarningAssignFormValue.safeParse(a.formValue ?? {});
      return f.success ? { kind: 'warning.assign', warningId, title: f.data.title, unitCode: f.data.unit, due: f.data.due } : badForm(f.error, '请填写交办事项');
    }),
    [WARNING_MEETING]: byId(WarningMeetingValue, 'w', (warningId) => ({ kind: 'meeting.propose', warningId, meeting: 'SPECIAL' })),
    [WARNING_INTERVIEW]: byId(WarningInterviewValue, 'w', (warningId) => ({ kind: 'meeting.propose', warningId, meeting: 'INTERVIEW' })),
    [MEETING_CONFIRM]: byId(MeetingConfirmValue, 'm', (meetingId) => ({ kind: 'meeting.decide', meetingId, confirm: true })),
    [MEETING_DECLINE]: byId(MeetingDeclineValue, 'm', (meetingId) => ({ kind: 'meeting.decide', meetingId, confirm: false })),
  };
}

function taskRoutes(): Record<string, CardRoute> {
  return {
    [TASK_OPEN]: byId(TaskOpenValue, 't', (taskId) => ({ kind: 'task.open', taskId })),
    [TASK_PROGRESS]: byId(TaskProgressValue, 't', (taskId, a) => {
      const f = TaskProgressFormValue.safeParse(a.formValue ?? {});
      return f.success ? { kind: 'task.progress', taskId, progress: f.data.progress, note: f.data.note } : badForm(f.error, '请选择办理进度');
    }),
    // From the task card's form (progress and note) or a reminder's button (no form).
    [TASK_REQUEST_CLOSE]: byId(TaskRequestCloseValue, 't', (taskId, a) => {
      const f = TaskRequestCloseFormValue.safeParse(a.formValue ?? {});
      return f.success ? { kind: 'task.request-close', taskId, note: f.data.note } : badForm(f.error, '填写的内容有误，请检查后重新提交');
    }),
    [TASK_CLOSE]: byId(TaskCloseValue, 't', (taskId) => ({ kind: 'task.close', taskId })),
    [TASK_RETURN]: byId(TaskReturnValue, 't', (taskId, a) => {
      const f = TaskReturnFormValue.safeParse(a.formValue ?? {});
      return f.success ? { kind: 'task.return', taskId, reason: f.data.reason } : badForm(f.error, '请填写退回原因');
    }),
  };
}

/** null when the action is not ours (an unknown or outdated card). */
export function parseCardAction(a: RawCardAction): CardCommand | null {
  const name = typeof a.value.a === 'string' ? a.value.a : undefined;
  const route = name ? CARD_ROUTES[name] : undefined;
  if (!route || !route.value.safeParse(a.value).success) return null;
  return route.toCommand(a);
}
