// Meetings: the ranking at close, the seats of the monthly meeting and the draft 约谈 list.
import type { MeetingsCard, MeetingsMessage } from '../../commands/command.ts';
import { toast, type HandlerTable } from '../shared/outcome.ts';
import { reply } from '../shared/results.ts';
import { noticeCard } from '../../../cards/collection-admin.ts';

type C<K extends MeetingsCard['kind']> = Extract<MeetingsCard, { kind: K }>;
type M<K extends MeetingsMessage['kind']> = Extract<MeetingsMessage, { kind: K }>;

export const seatCards: HandlerTable<C<'seats.confirm'>> = {
  'seats.confirm': async () => toast('info', '该功能正在建设中。'),
};

export const seatMessages: HandlerTable<M<'ranking.show'>> = {
  'ranking.show': async () => reply(noticeCard('尚未开放', ['该功能正在建设中。'], 'grey')),
};
