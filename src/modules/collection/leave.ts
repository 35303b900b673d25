// Domain: a liaison's leave — 请假 (the backup liaison covers the unit on those days), 取消请假, and the
// notice to the backup on the leave's first day (a follow-up job at 09:00, one message per leave and backup).
import type { Prisma } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import type { Card } from '../../../cards/card.ts';
import { coverStartCard, leaveCard } from '../../../cards/collection-status.ts';
import { noticeCard } from '../../../cards/collection-admin.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { addFollowUp } from '../../outbox/follow-ups.ts';
import { loadWorkCalendar } from '../calendar/calendar.load.ts';
import { addDays, beijingDateOf, beijingInstant, MissingCalendarError, parseDate, weekdayName } from '../calendar/work-calendar.ts';
import type { CollectionMessage } from '../../commands/command.ts';
import { parseDayOnly } from '../meetings/when.ts';
import type { Outcome, UseCase } from '../shared/outcome.ts';
import { asDate, dayOf } from '../shared/dates.ts';
import { reply } from '../shared/results.ts';

type Cmd<K extends CollectionMessage['kind']> = Extract<CollectionMessage, { kind: K }>;
type Db = PrismaClient | Tx;

const notice = (title: string, lines: string[], template: Parameters<typeof noticeCard>[2] = 'blue'): Outcome => reply(noticeCard(title, lines, template));
const json = (c: unknown) => c as Prisma.InputJsonValue;

/** 「12月8日（周一）」 */
export function dayText(date: string): string {
  const [, m, d] = parseDate(date);
  return `${m}月${d}日（${weekdayName(date)}）`;
}

/** The backup hears at 09:00 of the first day (or at once when the leave starts today, later than that). */
const COVER_NOTICE_HOUR = 9;
/** A leave longer than this is surely a typing mistake (a year typed wrong). */
const MAX_LEAVE_DAYS = 92;

const backupOf = (db: Db, unitId: string) =>
  db.person.findFirst({ where: { active: true, roles: { some: { unitId, role: 'BACKUP_LIAISON', active: true } } }, orderBy: { code: 'asc' } });

/** Every day from `from` to `to` is a rest day (weekend or holiday); false when the calendar does not know a day. */
async function restDaysOnly(db: Db, from: string, to: string): Promise<boolean> {
  const cal = await loadWorkCalendar(db);
  try {
    for (let d = from; d <= to; d = addDays(d, 1)) if (cal.isWorkday(d)) return false;
    return true;
  } catch (err) {
    if (err instanceof MissingCalendarError) return false;
    throw err;
  }
}

/** 请假 12月3日 至 12月5日 · 请假 下周一 · 请假 下周一到下周三: the backup liaison covers the unit on those days. */
export const requestLeave: UseCase<Cmd<'leave'>> = async (cmd, { tx, actor, now, origin }) => {
  const from = parseDayOnly(cmd.from, now);
  if (!from.ok) return notice('请假日期有误', [from.message], 'orange');
  const to = parseDayOnly(cmd.to, now);
  if (!to.ok) return notice('请假日期有误', [to.message], 'orange');
  const liaisonOf = actor.roles.filter((r) => r.role === 'LIAISON');
  if (!liaisonOf.length) return notice('无需请假登记', ['「请假」用于联络员休假期间由备用联络员代为报送。您目前不是任何单位的联络员。'], 'grey');
  const [start, end] = [from.date, to.date];
  const typed = `请假 ${cmd.from}${cmd.to !== cmd.from ? ` 至 ${cmd.to}` : ''}`;
  if (end < start) return notice('请假日期有误', [`结束日期 ${dayText(end)} 早于开始日期 ${dayText(start)}。请按「请假 12月3日 至 12月5日」的格式重新发送。`], 'orange');
  const today = beijingDateOf(now);
  if (end < today) return notice('请假日期有误', [`${dayText(start)} 至 ${dayText(end)} 已经过去。请假只能登记今天及以后的日期。`], 'orange');
  if (addDays(start, MAX_LEAVE_DAYS) < end) return notice('请假日期有误', [`${dayText(start)} 至 ${dayText(end)} 超过 ${MAX_LEAVE_DAYS} 天，请检查日期是否写错。`], 'orange');
  if (!cmd.confirm && (await restDaysOnly(tx, start, end))) {
    const span = start === end ? dayText(start) : `${dayText(start)} 至 ${dayText(end)}`;
    return notice(
      '请确认请假日期',
      [`${span} 都是休息日，休息日不发送填报卡片和报送提醒，一般无需请假。`, `请检查日期是否写错；如确需登记，请发送「${typed} 确认」。`],
      'orange',
    );
  }
  const leave = await tx.leave.create({ data: { personId: actor.personId, startDate: asDate(start), endDate: asDate(end), createdAt: now, requestKey: origin.key } });
  await tx.auditLog.create({ data: { at: now, actorId: actor.personId, action: 'leave.register', entity: 'Leave', entityId: leave.id, data: { from: start, to: end, key: origin.key } } });
  const at = beijingInstant(start, COVER_NOTICE_HOUR);
  await addFollowUp(tx, { name: 'collection.leave-start.v1', payload: { leaveId: leave.id }, jobId: `leave-start-${leave.id}`, ...(at > now ? { runAt: at } : {}) });
  const cards: Card[] = [];
  for (const role of liaisonOf) {
    const backup = await backupOf(tx, role.unitId);
    cards.push(leaveCard({ personName: actor.name, from: dayText(start), to: dayText(end), backupName: backup?.name ?? null, unitName: role.unitName }));
  }
  return { replies: cards };
};

/** 取消请假: the liaison's leaves not yet ended are cancelled; a backup already covering is told it is over. */
export const cancelLeave: UseCase<Cmd<'leave.cancel'>> = async (_cmd, { tx, actor, now }) => {
  const today = beijingDateOf(now);
  const leaves = await tx.leave.findMany({ where: { personId: actor.personId, cancelledAt: null, endDate: { gte: asDate(today) } }, orderBy: { startDate: 'asc' } });
  if (!leaves.length) return notice('没有可取消的请假', ['您目前没有登记中的请假。请假请发送「请假 12月3日 至 12月5日」或「请假 下周一」。'], 'grey');
  await tx.leave.updateMany({ where: { id: { in: leaves.map((l) => l.id) } }, data: { cancelledAt: now } });
  const started = leaves.filter((l) => dayOf(l.startDate) <= today);
  for (const l of leaves) {
    await tx.auditLog.create({ data: { at: now, actorId: actor.personId, action: 'leave.cancel', entity: 'Leave', entityId: l.id, data: { from: dayOf(l.startDate), to: dayOf(l.endDate) } } });
  }
  if (started.length) {
    for (const role of actor.roles.filter((r) => r.role === 'LIAISON')) {
      const backup = await backupOf(tx, role.unitId);
      if (!backup?.openId) continue;
      const card = noticeCard('代为报送结束', [`${actor.name} 已销假，${role.unitName} 的填报卡片和报送提醒恢复发给联络员 ${actor.name}，您无需再代为报送。`], 'grey');
      await addOutbound(tx, { kind: 'SEND', dedupeKey: `leave-end-${started[0]!.id}-${backup.id}`, receiveIdType: 'open_id', receiveId: backup.openId, msgType: 'interactive', content: json(card) });
    }
  }
  const lines = leaves.map((l) => `已取消 ${dayText(dayOf(l.startDate))} 至 ${dayText(dayOf(l.endDate))} 的请假。`);
  return notice('请假已取消', [...lines, '本单位的填报卡片和报送提醒仍发给您本人。'], 'green');
};

/** The leave's first day: each unit's backup liaison is told they now receive the cards. Idempotent per leave and backup. */
export async function leaveStarted(db: PrismaClient, leaveId: string): Promise<string[]> {
  const leave = await db.leave.findUnique({ where: { id: leaveId }, include: { person: { include: { roles: { where: { role: 'LIAISON', active: true }, include: { unit: true } } } } } });
  if (!leave || leave.cancelledAt) return [];
  const ids: string[] = [];
  for (const role of leave.person.roles) {
    const backup = await backupOf(db, role.unitId);
    if (!backup?.openId) continue;
    const card = coverStartCard({ backupName: backup.name, liaisonName: leave.person.name, unitName: role.unit.name, from: dayText(dayOf(leave.startDate)), to: dayText(dayOf(leave.endDate)) });
    const row = await addOutbound(db, { kind: 'SEND', dedupeKey: `leave-start-${leave.id}-${backup.id}`, receiveIdType: 'open_id', receiveId: backup.openId, msgType: 'interactive', content: json(card) });
    if (row.created) ids.push(row.id);
  }
  return ids;
}
