// Meetings: 召集专题会 and 约谈 on a warning. A proposal only: every organiser gets the scheduling card,
// prefilled with the indicator, the units and the reasons, and sets the time (nothing moves without them).
import type { MeetingsCard } from '../../commands/command.ts';
import { MEETING_AGENDA_MAX_LENGTH } from '../../../cards/warning.ts';
import { periodLabel } from '../collection/schedule.ts';
import { mayActOnWarning } from '../lights/warning-access.ts';
import { warningCardOf } from '../lights/warning-view.ts';
import { toast, type Outcome, type UseCaseContext } from '../shared/outcome.ts';
import { attendeesFor, auditMeeting, defaultHosts, setAttendees } from './scheduling.ts';
import { offerToOrganisers } from './offers.ts';

/** The agenda is written from the warning's reasons, which can be many: kept within the limit. */
function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

export async function proposeMeeting(cmd: Extract<MeetingsCard, { kind: 'meeting.propose' }>, ctx: UseCaseContext): Promise<Outcome> {
  const w = await ctx.tx.warning.findUnique({ where: { id: cmd.warningId }, include: { indicator: true, unit: true, period: { include: { cycle: true } }, leader: true } });
  if (!w) return toast('warning', '找不到这条预警，请刷新后重试。');
  if (!(await mayActOnWarning(ctx.tx, ctx.actor, w))) return toast('error', '只有分管该指标的领导或经济运行例会办公室可以处理这条预警。');
  const kind = cmd.meeting;
  const label = periodLabel(w.period.cycle.frequency, w.period.periodKey);
  const unitName = w.unit.shortName ?? w.unit.name;
  const title = kind === 'SPECIAL' ? `${w.indicator.name}专题会议` : `${unitName}约谈`;
  const reasons = (w.reasons as string[]).map((r) => `${label} ${w.indicator.name}：${r}`);
  const agenda = clip(kind === 'SPECIAL' ? `研究${unitName}${w.indicator.name}${label}运行情况及应对措施` : `${label}${w.indicator.name}：${(w.reasons as string[]).join('；')}`, MEETING_AGENDA_MAX_LENGTH);
  const lead = kind === 'SPECIAL' && w.indicator.leadUnitId && w.indicator.leadUnitId !== w.unitId ? [w.indicator.leadUnitId] : [];
  // The leader who asked hosts; an organiser asking on a leader's behalf puts the leader in charge.
  const proposer = ctx.actor.personId;
  const hosts = ctx.actor.leader ? [proposer] : w.leader ? [w.leader.personId] : await defaultHosts(ctx.tx);
  const m = await ctx.tx.meeting.create({
    data: { kind, title, agenda, reasons, status: 'PROPOSED', proposedById: proposer, unitId: w.unitId, periodId: w.periodId, warningId: w.id, startsAt: ctx.now, endsAt: ctx.now, createdAt: ctx.now, requestKey: ctx.origin.key },
  });
  await setAttendees(ctx.tx, m.id, await attendeesFor(ctx.tx, kind, [w.unitId, ...lead], hosts));
  await auditMeeting(ctx, kind === 'SPECIAL' ? 'warning.meeting' : 'warning.interview', m.id, { warning: w.id });
  await offerToOrganisers(ctx.tx, m.id, { now: ctx.now, by: ctx.actor.name });
  const card = await warningCardOf(ctx.tx, w.id, ctx.actor);
  return { toast: { type: 'success', content: kind === 'SPECIAL' ? '已请例会办公室安排专题会议' : '已请例会办公室安排约谈' }, ...(card ? { card } : {}) };
}
