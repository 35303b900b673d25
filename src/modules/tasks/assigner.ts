// Tasks: the leader who assigned a task (交办) hears its progress and its close-out — a short card for each
// progress report, 申请销号, 销号 and 退回 — and the warning card the task was assigned on is updated to
// the task's state (no longer 「待办理」). Written in the command's transaction; dedupe keys by update id.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Tx } from '../../platform/prisma.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { assignerNoticeCard, type AssignerEvent } from '../../../cards/task.ts';
import type { Card } from '../../../cards/card.ts';
import { dayOf } from '../shared/dates.ts';
import { beijingDateOf, beijingTimeOf, dayNumber } from '../calendar/work-calendar.ts';
import { findActor } from '../people/people.service.ts';
import { warningCardOf } from '../lights/warning-view.ts';
import { dueText } from './task-view.ts';
import type { LoadedTask } from './tasks.repo.ts';

const json = (c: Card) => c as unknown as Prisma.InputJsonValue;

/** The leader's card the task was assigned on (the message of the 交办 click), if known. */
async function assignedOnMessage(tx: Tx, taskId: string): Promise<string | null> {
  const a = await tx.auditLog.findFirst({ where: { action: 'warning.assign', entity: 'Task', entityId: taskId }, select: { data: true } });
  const m = (a?.data as { message?: unknown } | null)?.message;
  return typeof m === 'string' && m ? m : null;
}

/**
 * Tells the assigning leader what happened to a task (as loaded after the change): `updateId` is the
 * TaskUpdate just written, `by` who wrote it. Nothing when the task has no assigner or the assigner did it.
 */
export async function tellAssigner(tx: Tx, now: Date, t: LoadedTask, e: { event: AssignerEvent; updateId: string; by: { personId: string; name: string }; note: string | null }): Promise<void> {
  const leader = t.assignedBy;
  if (!leader?.active || !leader.openId || leader.id === e.by.personId) return;
  const today = beijingDateOf(now);
  const due = dayOf(t.dueDate);
  const notice = assignerNoticeCard({
    taskId: t.id,
    title: t.title,
    unitName: t.unit.name,
    event: e.event,
    by: e.by.name,
    at: `${Number(today.slice(5, 7))}月${Number(today.slice(8, 10))}日 ${beijingTimeOf(now)}`,
    progress: t.progress,
    note: e.note,
    due: dueText(due, today),
    daysLeft: dayNumber(due) - dayNumber(today),
  });
  await addOutbound(tx, { kind: 'SEND', dedupeKey: `task-${t.id}-assigner-${e.updateId}`, receiveIdType: 'open_id', receiveId: leader.openId, msgType: 'interactive', content: json(notice) });
  if (!t.warningId) return;
  const message = await assignedOnMessage(tx, t.id);
  const viewer = message ? await findActor(tx, leader.openId) : null;
  const card = viewer ? await warningCardOf(tx, t.warningId, viewer) : undefined;
  if (message && card) await addOutbound(tx, { kind: 'UPDATE_CARD', dedupeKey: `task-${t.id}-leader-card-${e.updateId}`, targetMessageId: message, content: json(card) });
}
