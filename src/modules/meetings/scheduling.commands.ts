// Meetings: scheduling — drafts typed in chat, the confirmation card, proposals from warnings, 会议,
// 改期 and 取消.
import type { MeetingsCard, MeetingsMessage } from '../../commands/command.ts';
import { toast, type HandlerTable } from '../shared/outcome.ts';
import { reply } from '../shared/results.ts';
import { noticeCard } from '../../../cards/collection-admin.ts';
import { decideMeeting } from './meeting-decisions.ts';
import { proposeMeeting } from './meeting-proposals.ts';

type C<K extends MeetingsCard['kind']> = Extract<MeetingsCard, { kind: K }>;
type M<K extends MeetingsMessage['kind']> = Extract<MeetingsMessage, { kind: K }>;

// TODO(issue 10): replaced by the scheduling service.
const notYet = async () => reply(noticeCard('尚未开放', ['该功能正在建设中。'], 'grey'));

export const schedulingCards: HandlerTable<C<'meeting.propose' | 'meeting.decide' | 'meeting.confirm' | 'meeting.discard'>> = {
  'meeting.propose': proposeMeeting,
  'meeting.decide': decideMeeting,
  'meeting.confirm': async () => toast('info', '该功能正在建设中。'),
  'meeting.discard': async () => toast('info', '该功能正在建设中。'),
};

export const schedulingMessages: HandlerTable<M<'meeting.new' | 'meeting.list' | 'meeting.reschedule' | 'meeting.cancel'>> = {
  'meeting.new': notYet,
  'meeting.list': notYet,
  'meeting.reschedule': notYet,
  'meeting.cancel': notYet,
};
