// Meetings: the handlers of 召集专题会 / 约谈 on a warning card and of the organisers' decision.
import type { MeetingsCard } from '../../commands/command.ts';
import type { HandlerTable } from '../shared/outcome.ts';
import { decideMeeting } from './meeting-decisions.ts';
import { proposeMeeting } from './meeting-proposals.ts';

export const meetingsCards: HandlerTable<MeetingsCard> = {
  'meeting.propose': proposeMeeting,
  'meeting.decide': decideMeeting,
};
