// Meetings: the organiser confirms (the meeting is to be scheduled) or declines a proposal; the leader
// who proposed it is told.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { MeetingsCard } from '../../commands/command.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { noticeCard } from '../../../cards/collection-admin.ts';
import { isOrganiser } from '../shared/results.ts';
import { toast, type Outcome, type UseCaseContext } from '../shared/outcome.ts';

export async function decideMeeting(cmd: Extract<MeetingsCard, { kind: 'meeting.decide' }>, ctx: UseCaseContext): Promise<Outcome> {
  const { tx, actor, now } = ctx;
  if (!isOrganiser(actor)) return toast('error', '只有经济运行例会办公室可以安排会议。');
  // Locked: two organisers deciding at once are ordered, the second sees the first's decision.
  await tx.$queryRaw`SELECT id FROM "Meeting" WHERE id = ${cmd.meetingId}::uuid FOR UPDATE`;
  const m = await tx.meeting.findUnique({ where: { id: cmd.meetingId }, include: { organiser: true } });
  if (!m) return toast('warning', '找不到这项会议安排。');
  if (m.status !== 'PROPOSED') return toast('info', m.status === 'CANCELLED' ? '该安排已取消' : '该安排已确认');
  const confirm = cmd.confirm;
  await tx.meeting.update({ where: { id: m.id }, data: { status: confirm ? 'SCHEDULED' : 'CANCELLED' } });
  await tx.auditLog.create({ data: { at: now, actorId: actor.personId, action: confirm ? 'meeting.confirm' : 'meeting.decline', entity: 'Meeting', entityId: m.id } });
  if (m.organiser?.openId && m.organiser.id !== actor.personId) {
    const notice = noticeCard(confirm ? '会议已确认安排' : '会议暂不安排', [`「${m.title}」${confirm ? `已由 ${actor.name} 确认，时间和参会单位将另行通知。` : `经 ${actor.name} 研究，暂不安排。`}`], confirm ? 'green' : 'grey');
    await addOutbound(tx, { kind: 'SEND', dedupeKey: `meeting-decided-${m.id}`, receiveIdType: 'open_id', receiveId: m.organiser.openId, msgType: 'interactive', content: notice as unknown as Prisma.InputJsonValue });
  }
  const card = noticeCard(confirm ? '已确认安排' : '已暂不安排', [`「${m.title}」${confirm ? '已确认，请在会议日程中安排时间。' : '暂不安排，已告知提议人。'}`], confirm ? 'green' : 'grey');
  return { toast: { type: 'success', content: confirm ? '已确认' : '已暂不安排' }, card };
}
