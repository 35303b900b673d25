// Tasks: creating an assigned task (交办) — for a unit, owned by its liaison, with its first update, an
// audit entry and the task card to the person receiving the unit's cards today, all in the caller's
// transaction.
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../platform/prisma.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { taskCard, TASK_FIELD_MAX_LENGTH } from '../../../cards/task.ts';
import { charCount } from '../../../cards/text-limits.ts';
import { asDate } from '../shared/dates.ts';
import { beijingDateOf, isDateString } from '../calendar/work-calendar.ts';
import { loadTask, ownerRecipient } from './tasks.repo.ts';
import { json, snapshot } from './task-view.ts';

export interface CreateTaskInput {
  title: string;
  description?: string | null;
  unitId: string;
  /** YYYY-MM-DD, Beijing. */
  dueDate: string;
  warningId?: string;
  instructionId?: string;
  meetingId?: string;
  assignedById: string;
  requestKey: string;
}

/** Idempotent by requestKey: a second call returns the first task and writes nothing. */
export async function createTask(tx: Tx, now: Date, input: CreateTaskInput): Promise<{ taskId: string; created: boolean }> {
  const title = input.title.trim();
  if (!title) throw new Error('createTask: the title is empty');
  // The edge refuses longer titles with a message; this guards other callers.
  if (charCount(title) > TASK_FIELD_MAX_LENGTH.title) throw new Error(`createTask: the title is longer than ${TASK_FIELD_MAX_LENGTH.title} characters`);
  if (!isDateString(input.dueDate)) throw new Error(`createTask: not a date (expected YYYY-MM-DD): "${input.dueDate}"`);
  const existing = await tx.task.findUnique({ where: { requestKey: input.requestKey }, select: { id: true } });
  if (existing) return { taskId: existing.id, created: false };
  const unit = await tx.unit.findUnique({ where: { id: input.unitId } });
  if (!unit || !unit.active) throw new Error(`createTask: no active unit ${input.unitId}`);
  const today = beijingDateOf(now);
  const liaison = await tx.unitRole.findFirst({
    where: { unitId: unit.id, role: 'LIAISON', active: true, person: { active: true } },
    orderBy: { person: { code: 'asc' } },
  });
  const recipient = await ownerRecipient(tx, { unitId: unit.id, ownerId: null }, today);
  const ownerId = liaison?.personId ?? recipient?.personId ?? null;
  const id = randomUUID();
  // ON CONFLICT DO NOTHING: a concurrent call with the same key neither inserts twice nor fails the transaction.
  const { count } = await tx.task.createMany({
    data: [{
      id,
      title,
      description: input.description?.trim() || null,
      unitId: unit.id,
      ownerId,
      assignedById: input.assignedById,
      dueDate: asDate(input.dueDate),
      status: 'OPEN',
      progress: 0,
      warningId: input.warningId ?? null,
      instructionId: input.instructionId ?? null,
      meetingId: input.meetingId ?? null,
      requestKey: input.requestKey,
      createdAt: now,
    }],
    skipDuplicates: true,
  });
  if (count === 0) {
    const row = await tx.task.findUniqueOrThrow({ where: { requestKey: input.requestKey }, select: { id: true } });
    return { taskId: row.id, created: false };
  }
  await tx.taskUpdate.create({ data: { taskId: id, authorId: input.assignedById, status: 'OPEN', progress: 0, note: null, at: now } });
  await tx.auditLog.create({
    data: {
      at: now,
      actorId: input.assignedById,
      action: 'task.create',
      entity: 'Task',
      entityId: id,
      data: {
        unit: unit.code,
        title,
        dueDate: input.dueDate,
        owner: ownerId,
        ...(input.warningId ? { warning: input.warningId } : {}),
        ...(input.instructionId ? { instruction: input.instructionId } : {}),
        ...(input.meetingId ? { meeting: input.meetingId } : {}),
      },
    },
  });
  if (recipient) {
    const t = (await loadTask(tx, id))!;
    await addOutbound(tx, {
      kind: 'SEND',
      dedupeKey: `task-${id}-assigned`,
      receiveIdType: 'open_id',
      receiveId: recipient.openId,
      msgType: 'interactive',
      content: json(taskCard(snapshot(t, today).view)),
    });
  }
  return { taskId: id, created: true };
}
