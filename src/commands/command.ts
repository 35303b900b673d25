// Commands: what a chat message or a card action means, independent of Feishu's wire shapes.
import type { ProblemForm } from '../../cards/problem-form.ts';
import type { ReportForm } from '../../cards/collection-form.ts';

export type MessageCommand =
  | { kind: 'help'; unknownText?: string }
  | { kind: 'whoami' }
  | { kind: 'problem.open' }
  /** Organisers: messages Feishu refused for good. */
  | { kind: 'outbound.failed' }
  | { kind: 'report.cards' }
  | { kind: 'report.status' }
  | { kind: 'leave'; from: DayRef; to: DayRef }
  | { kind: 'report.progress'; period?: string }
  | { kind: 'report.nudge'; unit: string }
  | { kind: 'report.extend'; unit: string; date: DayRef }
  | { kind: 'report.export'; period?: string }
  | { kind: 'schedule.preview'; cycle?: string; period?: string }
  | { kind: 'period.close'; period?: string }
  /** 为什么 <indicator> <unit>: the light and its reasons. */
  | { kind: 'light.why'; indicator: string; unit: string }
  /** A file sent to the bot: official figures for the organisers to import. */
  | { kind: 'official.import'; fileKey: string; fileName: string }
  /** Understood, but its arguments are wrong: answer with this and change nothing. */
  | { kind: 'usage'; title: string; message: string };

import type { DayRef } from '../modules/shared/dates.ts';
export type { DayRef };

export type CardCommand =
  | { kind: 'problem.submit'; form: ProblemForm }
  /** A page of a unit's form; `entries` by indicator code, free text as typed (the domain checks it). */
  | ({ kind: 'report.submit'; reportId: string; page: number; confirm: boolean } & ReportForm)
  | { kind: 'report.edit'; reportId: string; page: number }
  | { kind: 'report.open'; reportId: string }
  | { kind: 'report.nudge'; reportId: string }
  | { kind: 'edit.decide'; editRequestId: string; approve: boolean }
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
  | { kind: 'task.open'; taskId: string }
  /** Progress 100 is the unit saying it is done: a close-out request. */
  | { kind: 'task.progress'; taskId: string; progress: number; note: string }
  | { kind: 'task.request-close'; taskId: string; note: string }
  | { kind: 'task.close'; taskId: string }
  | { kind: 'task.return'; taskId: string; reason: string }
  /** The action was understood but its input is wrong: answer with this toast and change nothing. */
  | { kind: 'invalid'; message: string };

export type { Origin, Toast } from '../modules/shared/outcome.ts';

type Kinds<C extends { kind: string }, K extends C['kind']> = Extract<C, { kind: K }>;
/** The commands each module answers (its handler table's keys). */
export type CollectionMessage = Kinds<MessageCommand, 'report.cards' | 'report.status' | 'leave' | 'report.progress' | 'report.nudge' | 'report.extend' | 'report.export' | 'schedule.preview' | 'period.close' | 'official.import'>;
export type CollectionCard = Kinds<CardCommand, 'report.submit' | 'report.edit' | 'report.open' | 'report.nudge' | 'edit.decide'>;
export type LightsMessage = Kinds<MessageCommand, 'light.why'>;
export type LightsCard = Kinds<CardCommand, 'warning.open' | 'warning.ack' | 'warning.instruct' | 'warning.assign'>;
export type MeetingsCard = Kinds<CardCommand, 'meeting.propose' | 'meeting.decide'>;
export type TasksCard = Kinds<CardCommand, 'task.open' | 'task.progress' | 'task.request-close' | 'task.close' | 'task.return'>;
export type ProblemsMessage = Kinds<MessageCommand, 'problem.open'>;
export type ProblemsCard = Kinds<CardCommand, 'problem.submit'>;
