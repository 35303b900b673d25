// Commands: what a chat message or a card action means, independent of Feishu's wire shapes.
import type { ProblemForm } from '../../cards/problem-form.ts';
import type { ReportForm } from '../../cards/collection-form.ts';

/** The meeting confirmation card's fields, as typed (all optional: the domain says what is missing). */
export interface MeetingForm {
  title?: string;
  /** 'YYYY-MM-DD' from the date picker. */
  date?: string;
  /** 'HH:mm' from the time picker. */
  time?: string;
  durationMin?: number;
  location?: string;
  /** Unit codes. */
  units?: string[];
  /** Person codes of the leaders who host or attend. */
  people?: string[];
  agenda?: string;
  wantsChat?: boolean;
}

/** The 约谈 record form. */
export interface InterviewForm {
  interviewee?: string;
  interviewers?: string;
  commitments?: string;
  /** 'YYYY-MM-DD' */
  followUpDate?: string;
  note?: string;
}

export type MessageCommand =
  | { kind: 'help'; unknownText?: string }
  | { kind: 'whoami' }
  | { kind: 'problem.open' }
  /** 问题台账: the open problems (organisers). */
  | { kind: 'problem.list' }
  /** Organisers: messages Feishu refused for good. */
  | { kind: 'outbound.failed' }
  | { kind: 'report.cards' }
  | { kind: 'report.status' }
  /** 请假 <日> [至 <日>] [确认]: the days as typed, read against the clock by src/modules/meetings/when.ts; `confirm` keeps a leave on rest days only. */
  | { kind: 'leave'; from: string; to: string; confirm?: boolean }
  /** 取消请假: ends the liaison's leave that has not ended yet. */
  | { kind: 'leave.cancel' }
  | { kind: 'report.progress'; period?: string }
  | { kind: 'report.nudge'; unit: string }
  | { kind: 'report.extend'; unit: string; date: DayRef }
  | { kind: 'report.export'; period?: string }
  | { kind: 'schedule.preview'; cycle?: string; period?: string }
  /** 关闭报送 [周期] [期别] · 重新开放 [周期] [期别]: the confirmation card, or which period when several fit. */
  | { kind: 'period.close'; cycle?: string; period?: string }
  | { kind: 'period.reopen'; cycle?: string; period?: string }
  /** 为什么 <indicator> <unit> [period]: the light and its reasons (by default the latest period that has one). */
  | { kind: 'light.why'; indicator: string; unit: string; period?: PeriodRef }
  /** A file sent to the bot: official figures for the organisers to import. */
  | { kind: 'official.import'; fileKey: string; fileName: string }
  /**
   * 约谈 <单位> <时间> [事由] · 专题会 <议题> <时间> [单位…] · 例会 <时间>: a draft and its confirmation card.
   * `subject` is the unit (INTERVIEW) or the topic (SPECIAL), empty for MONTHLY; `whenText` is resolved
   * against the clock by the handler (src/modules/meetings/when.ts).
   */
  | { kind: 'meeting.new'; meeting: 'INTERVIEW' | 'SPECIAL' | 'MONTHLY'; subject: string; whenText: string; units: string[]; reason?: string }
  /** 会议: my upcoming meetings (organisers: all upcoming). */
  | { kind: 'meeting.list' }
  /** 改期 <编号> <时间> */
  | { kind: 'meeting.reschedule'; no: number; whenText: string }
  /** 取消 <编号> [原因] */
  | { kind: 'meeting.cancel'; no: number; reason?: string }
  /** 约谈记录 [单位]: the archive. */
  | { kind: 'interview.records'; unit?: string }
  /** 导出约谈记录 [单位]: the archive as Excel. */
  | { kind: 'interview.export'; unit?: string }
  /** 排名 [期别]: the composite ranking of the latest closed month (or the one given). */
  | { kind: 'ranking.show'; period?: string }
  /** 专报 [期别]: the monthly report's review card (organisers). */
  | { kind: 'mreport.review'; period?: string }
  /** Understood, but its arguments are wrong: answer with this and change nothing. */
  | { kind: 'usage'; title: string; message: string };

import type { DayRef } from '../modules/shared/dates.ts';
import type { PeriodRef } from '../modules/shared/period-ref.ts';
export type { DayRef };

export type CardCommand =
  | { kind: 'problem.submit'; form: ProblemForm }
  /** 问题台账: a problem's card (organisers), 交办 to a unit (its code), the unit's 答复, the organiser's 办结. */
  | { kind: 'problem.view'; problemId: string }
  | { kind: 'problem.assign'; problemId: string; unitCode: string; note: string }
  | { kind: 'problem.answer'; problemId: string; answer: string }
  | { kind: 'problem.close'; problemId: string; resolution: string }
  /** A page of a unit's form; `entries` by indicator code, free text as typed (the domain checks it). */
  | ({ kind: 'report.submit'; reportId: string; page: number; confirm: boolean } & ReportForm)
  | { kind: 'report.edit'; reportId: string; page: number }
  | { kind: 'report.open'; reportId: string }
  | { kind: 'report.nudge'; reportId: string }
  | { kind: 'edit.decide'; editRequestId: string; approve: boolean }
  /** A period chosen on the list of 关闭报送 / 重新开放: its confirmation card. */
  | { kind: 'period.pick'; periodId: string; action: 'close' | 'reopen' }
  /** 确认关闭 / 确认重新开放, for the round the card was made in. */
  | { kind: 'period.confirm'; periodId: string; action: 'close' | 'reopen'; round: number }
  | { kind: 'period.cancel'; periodId: string; action: 'close' | 'reopen' }
  /** `fromDigest`: clicked on a digest of several lights, which stays as it is. */
  | { kind: 'warning.open'; warningId: string; fromDigest?: boolean }
  | { kind: 'warning.ack'; warningId: string; fromDigest?: boolean }
  /** 批示: the text and the codes of the units it goes to (none = the warning's own unit). */
  | { kind: 'warning.instruct'; warningId: string; text: string; unitCodes: string[] }
  /** 交办: a task for a unit (its code), due on a calendar day 'YYYY-MM-DD'. */
  | { kind: 'warning.assign'; warningId: string; title: string; unitCode: string; due: string }
  /** 召集专题会 (SPECIAL) or 约谈 (INTERVIEW) on a warning: a proposal to the organisers. */
  | { kind: 'meeting.propose'; warningId: string; meeting: 'SPECIAL' | 'INTERVIEW' }
  | { kind: 'meeting.decide'; meetingId: string; confirm: boolean }
  /** The confirmation card's 确认安排: the form as typed (the domain checks it). */
  | { kind: 'meeting.confirm'; meetingId: string; form: MeetingForm; force?: boolean }
  /** The confirmation card's 放弃 (a draft) or the proposal's 暂不安排. */
  | { kind: 'meeting.discard'; meetingId: string }
  /** An invitation's 参加 / 请假并委派 (delegate named, reason optional). */
  | { kind: 'meeting.rsvp'; meetingId: string; version: number; accept: boolean; delegate?: string; reason?: string }
  /** After a meeting: 已召开 with an optional note (专题会 / 例会). */
  | { kind: 'meeting.held'; meetingId: string; note?: string }
  /** After a 约谈: the record for the archive. */
  | { kind: 'interview.record'; meetingId: string; form: InterviewForm }
  /** On the follow-up date: the outcome of a 约谈's commitments. */
  | { kind: 'interview.followup'; recordId: string; outcome: string; met: boolean | null }
  /** A unit's answer to a 批示: 收到 (no text) or 反馈措施 (text). */
  | { kind: 'instruction.reply'; instructionId: string; unitId: string; reply: 'RECEIVED' | 'MEASURES'; text?: string }
  /** The seats and 约谈 list proposed at close, as the organiser left them (unit codes). */
  | { kind: 'seats.confirm'; periodId: string; exchange: string[]; statement: string[]; interview: string[] }
  | { kind: 'task.open'; taskId: string }
  /** Progress 100 is the unit saying it is done: a close-out request. */
  | { kind: 'task.progress'; taskId: string; progress: number; note: string }
  | { kind: 'task.request-close'; taskId: string; note: string }
  | { kind: 'task.close'; taskId: string }
  | { kind: 'task.return'; taskId: string; reason: string }
  /** The 专报 review card: 保存修改 / 发送给领导 with the paragraphs as edited (by index; missing = unchanged). */
  | { kind: 'mreport.save' | 'mreport.send'; reportId: string; revisionNo: number; texts: Record<number, string> }
  /** The action was understood but its input is wrong: answer with this toast and change nothing. */
  | { kind: 'invalid'; message: string };

export type { Origin, Toast } from '../modules/shared/outcome.ts';

type Kinds<C extends { kind: string }, K extends C['kind']> = Extract<C, { kind: K }>;
/** The commands each module answers (its handler table's keys). */
export type CollectionMessage = Kinds<MessageCommand, 'report.cards' | 'report.status' | 'leave' | 'leave.cancel' | 'report.progress' | 'report.nudge' | 'report.extend' | 'report.export' | 'schedule.preview' | 'period.close' | 'period.reopen' | 'official.import'>;
export type CollectionCard = Kinds<CardCommand, 'report.submit' | 'report.edit' | 'report.open' | 'report.nudge' | 'edit.decide' | 'period.pick' | 'period.confirm' | 'period.cancel'>;
export type LightsMessage = Kinds<MessageCommand, 'light.why'>;
export type LightsCard = Kinds<CardCommand, 'warning.open' | 'warning.ack' | 'warning.instruct' | 'warning.assign' | 'instruction.reply'>;
export type MeetingsCard = Kinds<CardCommand, 'meeting.propose' | 'meeting.decide' | 'meeting.confirm' | 'meeting.discard' | 'meeting.rsvp' | 'meeting.held' | 'interview.record' | 'interview.followup' | 'seats.confirm'>;
export type MeetingsMessage = Kinds<MessageCommand, 'meeting.new' | 'meeting.list' | 'meeting.reschedule' | 'meeting.cancel' | 'interview.records' | 'interview.export' | 'ranking.show'>;
export type TasksCard = Kinds<CardCommand, 'task.open' | 'task.progress' | 'task.request-close' | 'task.close' | 'task.return'>;
export type ProblemsMessage = Kinds<MessageCommand, 'problem.open' | 'problem.list'>;
export type ProblemsCard = Kinds<CardCommand, 'problem.submit' | 'problem.view' | 'problem.assign' | 'problem.answer' | 'problem.close'>;
export type ReportMessage = Kinds<MessageCommand, 'mreport.review'>;
export type ReportCard = Kinds<CardCommand, 'mreport.save' | 'mreport.send'>;
