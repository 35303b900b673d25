// Commands: text and card actions → typed commands. Card actions are routed by the action name
// carried in the button's value (`a`), never by button text.
import type { z } from 'zod';
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
import { badForm, byId, isUuid, reportExpired, type CardRoute, type RawCardAction } from './card-route.ts';
import { schedulingRoutes } from './routes/meetings-scheduling.ts';
import { invitationRoutes } from './routes/meetings-invitations.ts';
import { archiveRoutes } from './routes/meetings-archive.ts';
import { seatRoutes } from './routes/meetings-seats.ts';
import { instructionRoutes } from './routes/instructions.ts';

export { CARD_EXPIRED } from './card-route.ts';
export type { RawCardAction } from './card-route.ts';

const TEXT_COMMANDS: [RegExp, MessageCommand][] = [
  [/^(帮助|help|\/help|\?|？|菜单|指令)$/i, { kind: 'help' }],
  [/^(我是谁|whoami|\/whoami|我的角色|我的信息)$/i, { kind: 'whoami' }],
  [/^(登记问题|问题登记|反映问题|\/problem)$/i, { kind: 'problem.open' }],
  [/^(发送失败|送达失败|失败消息)$/, { kind: 'outbound.failed' }],
  [/^(报送|填报|我要报送|报送卡片|我的报送)$/, { kind: 'report.cards' }],
  [/^(状态|报送状态|我的状态|进度)$/, { kind: 'report.status' }],
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

const DATE_HINT = '日期可以写成「12月3日」「2026-12-03」或「明天」。';

/** Commands with arguments: the first word names the command, the rest are its arguments. */
function parseWithArgs(t: string): MessageCommand | null {
  const [head, ...rest] = t.split(' ');
  const args = rest.join(' ').trim();
  switch (head) {
    case '请假': {
      const parts = args.split(/\s*(?:至|到|~|～|—|－)\s*|\s+/).filter(Boolean);
      const from = parts[0] ? parseDay(parts[0]) : null;
      const to = parts[1] ? parseDay(parts[1]) : from && parts.length === 1 ? from : null;
      if (!from || !to || parts.length > 2) return { kind: 'usage', title: '请假格式有误', message: `请按「请假 12月3日 至 12月5日」发送（只请一天：「请假 12月3日」）。${DATE_HINT}` };
      return { kind: 'leave', from, to };
    }
    case '报送情况':
    case '导出':
    case '关闭报送': {
      const period = args ? parsePeriodKey(args) : undefined;
      if (period === null) return { kind: 'usage', title: '期别格式有误', message: `请按「${head} 2026-11」发送，或不带期别表示当前一期。` };
      const kind = head === '报送情况' ? 'report.progress' : head === '导出' ? 'report.export' : 'period.close';
      return { kind, ...(period ? { period } : {}) };
    }
    case '为什么': {
      const words = args.split(' ').filter(Boolean);
      if (words.length < 2) return { kind: 'usage', title: '请写出指标和单位', message: '请按「为什么 规上工业增加值 鞍东区」发送。' };
      return { kind: 'light.why', indicator: words.slice(0, -1).join(' '), unit: words.at(-1)! };
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
    default:
      return null;
  }
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
