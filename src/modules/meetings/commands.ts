// Meetings: the handler tables of 约谈, 专题会 and 例会 — scheduling, invitations, the record and the
// 约谈 archive, ranking and seats. Each feature owns its file; this only puts the tables together.
import type { MeetingsCard, MeetingsMessage } from '../../commands/command.ts';
import type { HandlerTable } from '../shared/outcome.ts';
import { schedulingCards, schedulingMessages } from './scheduling.commands.ts';
import { invitationCards } from './invitations.commands.ts';
import { archiveCards, archiveMessages } from './archive.commands.ts';
import { seatCards, seatMessages } from './seats.commands.ts';

export const meetingsCards: HandlerTable<MeetingsCard> = { ...schedulingCards, ...invitationCards, ...archiveCards, ...seatCards };
export const meetingsMessages: HandlerTable<MeetingsMessage> = { ...schedulingMessages, ...archiveMessages, ...seatMessages };
