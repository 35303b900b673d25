// Meetings: invitations — 参加 / 请假并委派 on an invitation card.
import type { MeetingsCard } from '../../commands/command.ts';
import { toast, type HandlerTable } from '../shared/outcome.ts';

type C<K extends MeetingsCard['kind']> = Extract<MeetingsCard, { kind: K }>;

export const invitationCards: HandlerTable<C<'meeting.rsvp'>> = {
  'meeting.rsvp': async () => toast('info', '该功能正在建设中。'),
};
