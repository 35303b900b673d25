// Tasks: reading tasks and their people — a task with everything its cards show, the row lock that
// orders concurrent decisions, who receives a unit's task cards, and overdue counts.
import type { Prisma, TaskStatus } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import { responsiblePeople } from '../collection/collection.repo.ts';
import { asDate } from '../shared/dates.ts';

type Db = PrismaClient | Tx;

/** States in which the unit still works on a task (reminders, overdue counts). */
export const WORKING_STATES: TaskStatus[] = ['OPEN', 'IN_PROGRESS'];
/** States of a task not yet closed: reminders are planned for them (fired only while still working). */
export const UNCLOSED_STATES: TaskStatus[] = ['OPEN', 'IN_PROGRESS', 'AWAITING_CLOSE'];

export const TASK_INCLUDE = {
  unit: true,
  assignedBy: true,
  warning: { include: { indicator: true, unit: true } },
  instruction: { include: { author: true, warning: { include: { indicator: true, unit: true } } } },
  meeting: true,
  updates: { include: { author: true }, orderBy: { at: 'asc' as const } },
} satisfies Prisma.TaskInclude;

export type LoadedTask = Prisma.TaskGetPayload<{ include: typeof TASK_INCLUDE }>;
export type LoadedUpdate = LoadedTask['updates'][number];

export async function loadTask(db: Db, taskId: string): Promise<LoadedTask | null> {
  if (!/^[0-9a-f-]{36}$/i.test(taskId)) return null;
  return db.task.findUnique({ where: { id: taskId }, include: TASK_INCLUDE });
}

/** The task, locked until the transaction ends: two organisers deciding at once are ordered. */
export async function lockTask(tx: Tx, taskId: string): Promise<LoadedTask | null> {
  await tx.$queryRaw`SELECT id FROM "Task" WHERE id = ${taskId}::uuid FOR UPDATE`;
  return loadTask(tx, taskId);
}

export async function unitHeads(db: Db, unitId: string) {
  return db.person.findMany({ where: { active: true, openId: { not: null }, roles: { some: { unitId, role: 'HEAD', active: true } } }, orderBy: { code: 'asc' } });
}

/** Who receives a unit's task cards today: the liaison, or the backup while the liaison is on leave; else the owner. */
export async function ownerRecipient(db: Db, t: { unitId: string; ownerId: string | null }, today: string): Promise<{ personId: string; openId: string } | null> {
  const who = (await responsiblePeople(db, [t.unitId], asDate(today))).get(t.unitId);
  if (who?.openId) return { personId: who.personId, openId: who.openId };
  if (!t.ownerId) return null;
  const owner = await db.person.findUnique({ where: { id: t.ownerId } });
  return owner?.active && owner.openId ? { personId: owner.id, openId: owner.openId } : null;
}

/** Overdue tasks of a unit: still being worked on (not awaiting close-out) after their due day. */
export async function overdueTaskCount(db: Db, unitId: string, today: string): Promise<number> {
  return db.task.count({ where: { unitId, status: { in: WORKING_STATES }, dueDate: { lt: asDate(today) } } });
}

/** The same for many units at once (units without overdue tasks are absent). */
export async function overdueTaskCounts(db: Db, unitIds: string[], today: string): Promise<Map<string, number>> {
  if (!unitIds.length) return new Map();
  const rows = await db.task.groupBy({
    by: ['unitId'],
    where: { unitId: { in: unitIds }, status: { in: WORKING_STATES }, dueDate: { lt: asDate(today) } },
    _count: { _all: true },
  });
  return new Map(rows.map((r) => [r.unitId, r._count._all]));
}
