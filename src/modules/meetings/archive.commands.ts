// Meetings: after a meeting — 已召开, the 约谈 record (记入档案), its follow-up, 约谈记录 and its export.
import type { MeetingsCard, MeetingsMessage } from '../../commands/command.ts';
import { toast, type HandlerTable } from '../shared/outcome.ts';
import { reply } from '../shared/results.ts';
import { noticeCard } from '../../../cards/collection-admin.ts';

type C<K extends MeetingsCard['kind']> = Extract<MeetingsCard, { kind: K }>;
type M<K extends MeetingsMessage['kind']> = Extract<MeetingsMessage, { kind: K }>;
const notYet = async () => reply(noticeCard('尚未开放', ['该功能正在建设中。'], 'grey'));

export const archiveCards: HandlerTable<C<'meeting.held' | 'interview.record' | 'interview.followup'>> = {
  'meeting.held': async () => toast('info', '该功能正在建设中。'),
  'interview.record': async () => toast('info', '该功能正在建设中。'),
  'interview.followup': async () => toast('info', '该功能正在建设中。'),
};

export const archiveMessages: HandlerTable<M<'interview.records' | 'interview.export'>> = {
  'interview.records': notYet,
  'interview.export': notYet,
};
