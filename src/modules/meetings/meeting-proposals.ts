// Meetings: 召集专题会 and 约谈 on a warning. A proposal only: the organisers receive it and confirm before
// anything is scheduled (no meeting moves without their consent).
import type { Prisma } from '../../generated/prisma/client.ts';
import type { MeetingsCard } from '../../commands/command.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { organisers } from '../people/people.service.ts';
import type { Card } from '../../../cards/card.ts';
import { meetingProposalCard, MEETING_AGENDA_MAX_LENGTH } from '../../../cards/warning.ts';
import { periodLabel } from '../collection/schedule.ts';
import { mayActOnWarning } from '../lights/warning-access.ts';
import { warningCardOf } from '../lights/warning-view.ts';
import { toast, type Outcome, type UseCaseContext } from '../shared/outcome.ts';

const json = (c: Card) => c as unknown as Prisma.InputJsonValue;

/** The agenda is written from the warning's reasons, which can be many: kept within the limit. */
function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

export async function proposeMeeting(cmd: Extract<MeetingsCard, { kind: 'meeting.propose' }>, ctx: UseCaseContext): Promise<Outcome> {
  const w = await ctx.tx.warning.findUnique({ where: { id: cmd.warningId }, include: { indicator: true, unit: true, period: { include: { cycle: true } } } });
  if (!w) return toast('warning', '找不到这条预警，请刷新后重试。');
  if (!(await mayActOnWarning(ctx.tx, ctx.actor, w))) return toast('error', '只有分管该指标的领导或经济运行例会办公室可以处理这条预警。');
  const kind = cmd.meeting;
  const label = periodLabel(w.period.cycle.frequency, w.period.periodKey);
  const title = kind === 'SPECIAL' ? `${w.indicator.name}专题会议` : `${w.unit.name}约谈`;
  const agenda = clip(`${label} ${w.unit.name} ${w.indicator.name}：${(w.reasons as string[]).join('；')}`, MEETING_AGENDA_MAX_LENGTH);
  const lead = w.indicator.leadUnitId ? await ctx.tx.unit.findUnique({ where: { id: w.indicator.leadUnitId } }) : null;
  const attendees = [w.unit.name, ...(lead && lead.id !== w.unitId ? [lead.name] : [])];
  const m = await ctx.tx.meeting.create({
    data: { kind, title, agenda, status: 'PROPOSED', organiserId: ctx.actor.personId, unitId: w.unitId, periodId: w.periodId, warningId: w.id, startsAt: ctx.now, endsAt: ctx.now, requestKey: ctx.origin.key },
  });
  await ctx.tx.auditLog.create({ data: { at: ctx.now, actorId: ctx.actor.personId, action: kind === 'SPECIAL' ? 'warning.meeting' : 'warning.interview', entity: 'Meeting', entityId: m.id, data: { warning: w.id } } });
  const content = json(meetingProposalCard({ kind, title, agenda, units: attendees, proposedBy: ctx.actor.name, warningId: w.id, meetingId: m.id }));
  for (const o of await organisers(ctx.tx)) {
    await addOutbound(ctx.tx, { kind: 'SEND', dedupeKey: `meeting-${m.id}-${o.id}`, receiveIdType: 'open_id', receiveId: o.openId!, msgType: 'interactive', content });
  }
  const card = await warningCardOf(ctx.tx, w.id);
  return { toast: { type: 'success', content: kind === 'SPECIAL' ? '已请例会办公室安排专题会议' : '已请例会办公室安排约谈' }, ...(card ? { card } : {}) };
}
