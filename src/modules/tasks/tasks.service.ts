// Domain: assigned follow-up tasks (交办事项, 推动) — created for a unit and owned by its liaison, progress
// reported by the unit, close-out (销号) requested by the unit and decided by the organisers, reminders
// before, on and after the due day (work calendar), and the monthly 问效 bulletin. Every message is an
// outbox row written in the transaction of the change; every change leaves an audit entry.
import { randomUUID } from 'node:crypto';
import type { Prisma, TaskStatus } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import type { Clock } from '../../platform/clock.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { organisers, type Actor } from '../people/people.service.ts';
import type { Card } from '../../../cards/card.ts';
import {
  bulletinCard,
  taskCard,
  taskReminderCard,
  taskReviewCard,
  TaskProgressFormValue,
  TaskReturnFormValue,
  TASK_FIELD_MAX_LENGTH,
  TASK_FIELDS,
  type BulletinView,
  type TaskReminderView,
  type TaskState,
  type TaskView,
} from '../../../cards/task.ts';
import { responsiblePeople } from '../collection/collection.repo.ts';
import { asDate, dayOf, isOrganiser, type CardAnswer } from '../collection/collection.service.ts';
import { LATE_GRACE_MS } from '../collection/reminders.service.ts';
import { periodLabel } from '../collection/schedule.ts';
import { loadWorkCalendar } from '../calendar/calendar.load.ts';
import {
  addDays,
  beijingDateOf,
  beijingInstant,
  beijingTimeOf,
  dayNumber,
  isDateString,
  MissingCalendarError,
  type WorkCalendar,
} from '../calendar/work-calendar.ts';

type Db = PrismaClient | Tx;
export interface TasksDeps {
  prisma: PrismaClient;
  clock: Clock;
}

export type TaskActionKind = 'open' | 'progress' | 'request-close' | 'close' | 'return';
export type TaskReminderKind = 'before' | 'due' | 'overdue';

/** States in which the unit still works on a task (reminders, overdue counts). */
export const WORKING_STATES: TaskStatus[] = ['OPEN', 'IN_PROGRESS'];
/** States of a task not yet closed: reminders are planned for them (fired only while still working). */
const UNCLOSED_STATES: TaskStatus[] = ['OPEN', 'IN_PROGRESS', 'AWAITING_CLOSE'];

/** Reminders go out at this hour (Beijing). */
export const TASK_REMIND_HOUR = 9;
/** The plan holds only the next week's reminders in the queue; it runs again well before the rest are due. */
export const TASK_PLAN_HORIZON_MS = 7 * 24 * 3600_000;

const json = (c: Card) => c as unknown as Prisma.InputJsonValue;
const todayOf = (now: Date) => beijingDateOf(now);

/** '12月31日', with the year when it is not this year: '2027年1月5日'. */
export function dueText(date: string, today: string): string {
  const md = `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
  return date.slice(0, 4) === today.slice(0, 4) ? md : `${date.slice(0, 4)}年${md}`;
}

/** '11月30日 10:05' in Beijing time. */
function shortDateTime(d: Date): string {
  const date = beijingDateOf(d);
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日 ${beijingTimeOf(d)}`;
}

const personLabel = (p: { name: string; title: string | null } | null | undefined) => (p ? (p.title ? `${p.name}（${p.title}）` : p.name) : '—');

// ───────────────────────────── Reading a task ─────────────────────────────

const TASK_INCLUDE = {
  unit: true,
  assignedBy: true,
  warning: { include: { indicator: true, unit: true } },
  instruction: { include: { author: true, warning: { include: { indicator: true, unit: true } } } },
  meeting: true,
  updates: { include: { author: true }, orderBy: { at: 'asc' as const } },
} satisfies Prisma.TaskInclude;

type LoadedTask = Prisma.TaskGetPayload<{ include: typeof TASK_INCLUDE }>;
type LoadedUpdate = LoadedTask['updates'][number];

async function loadTask(db: Db, taskId: string): Promise<LoadedTask | null> {
  if (!/^[0-9a-f-]{36}$/i.test(taskId)) return null;
  return db.task.findUnique({ where: { id: taskId }, include: TASK_INCLUDE });
}

/** What each update was, read from the sequence of states (updates are strictly ordered in time). */
type UpdateKind = 'create' | 'progress' | 'request-close' | 'close' | 'return' | 'cancel';
function updateKinds(updates: LoadedUpdate[]): UpdateKind[] {
  return updates.map((u, i) => {
    const prev = updates[i - 1];
    if (!prev) return 'create';
    if (u.status === 'AWAITING_CLOSE') return 'request-close';
    if (u.status === 'DONE') return 'close';
    if (u.status === 'CANCELLED') return 'cancel';
    if (prev.status === 'AWAITING_CLOSE') return 'return';
    return 'progress';
  });
}

function sourceOf(t: LoadedTask): string {
  if (t.instruction) {
    const w = t.instruction.warning;
    return `来自领导批示：${t.instruction.author.name} · ${w.indicator.name} · ${w.unit.shortName ?? w.unit.name}`;
  }
  if (t.warning) return `来自预警：${t.warning.indicator.name} · ${t.warning.unit.shortName ?? t.warning.unit.name}`;
  if (t.meeting) return `来自会议：${t.meeting.title}`;
  return '交办事项';
}

interface TaskSnapshot {
  task: LoadedTask;
  view: TaskView;
  kinds: UpdateKind[];
  /** The latest close-out request, while it is the one in force or was decided. */
  lastRequest: LoadedUpdate | null;
}

function snapshot(t: LoadedTask, today: string): TaskSnapshot {
  const kinds = updateKinds(t.updates);
  const lastKind = kinds[kinds.length - 1];
  const returned = t.status === 'IN_PROGRESS' && lastKind === 'return';
  const state: TaskState = t.status === 'IN_PROGRESS' ? (returned ? 'RETURNED' : 'IN_PROGRESS') : t.status === 'CANCELLED' ? 'DONE' : t.status;
  const due = dayOf(t.dueDate);
  const requestIdx = kinds.lastIndexOf('request-close');
  const view: TaskView = {
    taskId: t.id,
    title: t.title,
    description: t.description,
    source: sourceOf(t),
    unitName: t.unit.name,
    assignedBy: personLabel(t.assignedBy),
    due: dueText(due, today),
    daysLeft: dayNumber(due) - dayNumber(today),
    state,
    progress: t.progress,
    updates: t.updates.map((u, i) => {
      const note = u.note?.trim() || null;
      const k = kinds[i];
      const words =
        k === 'create' ? '交办'
          : k === 'request-close' ? `申请销号${note ? `：${note}` : ''}`
            : k === 'close' ? '销号'
              : k === 'return' ? `退回：${note ?? ''}`
                : k === 'cancel' ? '撤销'
                  : note;
      return { at: shortDateTime(u.at), by: u.author?.name ?? '—', progress: u.progress, note: words };
    }),
    ...(returned ? { returnReason: t.updates[t.updates.length - 1]!.note ?? '' } : {}),
  };
  return { task: t, view, kinds, lastRequest: requestIdx >= 0 ? t.updates[requestIdx]! : null };
}

function reviewCardOf(s: TaskSnapshot): Card {
  return taskReviewCard({ ...s.view, requestedBy: s.lastRequest?.author?.name ?? '—' });
}

/** The time of a new update: now, but strictly after the task's last update (the order of updates carries meaning). */
function nextAt(t: LoadedTask, now: Date): Date {
  const last = t.updates[t.updates.length - 1];
  return last && last.at.getTime() >= now.getTime() ? new Date(last.at.getTime() + 1) : now;
}

// ───────────────────────────── Who ─────────────────────────────

/** The unit's liaison, backup or head: they report progress and ask for close-out. */
const isUnitMember = (actor: Actor, unitId: string) => actor.roles.some((r) => r.unitId === unitId && r.role !== 'ORGANISER');

async function unitHeads(db: Db, unitId: string) {
  return db.person.findMany({ where: { active: true, openId: { not: null }, roles: { some: { unitId, role: 'HEAD', active: true } } }, orderBy: { code: 'asc' } });
}

/** Who receives a unit's task cards today: the liaison, or the backup while the liaison is on leave; else the owner. */
async function ownerRecipient(db: Db, t: { unitId: string; ownerId: string | null }, today: string): Promise<{ personId: string; openId: string } | null> {
  const who = (await responsiblePeople(db, [t.unitId], asDate(today))).get(t.unitId);
  if (who?.openId) return { personId: who.personId, openId: who.openId };
  if (!t.ownerId) return null;
  const owner = await db.person.findUnique({ where: { id: t.ownerId } });
  return owner?.active && owner.openId ? { personId: owner.id, openId: owner.openId } : null;
}

async function lockTask(tx: Tx, taskId: string): Promise<LoadedTask | null> {
  await tx.$queryRaw`SELECT id FROM "Task" WHERE id = ${taskId}::uuid FOR UPDATE`;
  return loadTask(tx, taskId);
}

// ───────────────────────────── Creating ─────────────────────────────

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

/**
 * In the caller's transaction: a task for a unit, owned by its liaison, with its first update, an audit
 * entry and the task card to the person receiving the unit's cards today. Idempotent by requestKey: a
 * second call returns the first task and writes nothing.
 */
export async function createTask(tx: Tx, clock: Clock, input: CreateTaskInput): Promise<{ taskId: string; created: boolean; outbound: string[] }> {
  const title = input.title.trim();
  if (!title) throw new Error('createTask: the title is empty');
  if (!isDateString(input.dueDate)) throw new Error(`createTask: not a date (expected YYYY-MM-DD): "${input.dueDate}"`);
  const existing = await tx.task.findUnique({ where: { requestKey: input.requestKey }, select: { id: true } });
  if (existing) return { taskId: existing.id, created: false, outbound: [] };
  const unit = await tx.unit.findUnique({ where: { id: input.unitId } });
  if (!unit || !unit.active) throw new Error(`createTask: no active unit ${input.unitId}`);
  const now = clock.now();
  const today = todayOf(now);
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
    return { taskId: row.id, created: false, outbound: [] };
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
  const outbound: string[] = [];
  if (recipient) {
    const t = (await loadTask(tx, id))!;
    const row = await addOutbound(tx, {
      kind: 'SEND',
      dedupeKey: `task-${id}-assigned`,
      receiveIdType: 'open_id',
      receiveId: recipient.openId,
      msgType: 'interactive',
      content: json(taskCard(snapshot(t, today).view)),
    });
    if (row.created) outbound.push(row.id);
  }
  return { taskId: id, created: true, outbound };
}

// ───────────────────────────── Card actions ─────────────────────────────

const toastOf = (type: CardAnswer['toast']['type'], content: string): CardAnswer['toast'] => ({ type, content });

/** The 办理情况 note sent with 申请销号: optional (a reminder's button sends no form). */
function closeNoteOf(formValue: Record<string, unknown> | undefined): { ok: true; note: string } | { ok: false; message: string } {
  const raw = formValue?.[TASK_FIELDS.note];
  const note = typeof raw === 'string' ? raw.trim() : '';
  if (note.length > TASK_FIELD_MAX_LENGTH.note) return { ok: false, message: `办理情况不能超过 ${TASK_FIELD_MAX_LENGTH.note} 个字` };
  return { ok: true, note };
}

type Outcome =
  | { kind: 'done'; toast: CardAnswer['toast']; outbound: string[] }
  | { kind: 'duplicate' }
  | { kind: 'refused'; toast: CardAnswer['toast'] };

/**
 * A card action on a task. 'open' shows the card again; 'progress' and 'request-close' are for the owner
 * unit's liaison, backup or head; 'close' and 'return' for the organisers. Anyone else is refused and
 * nothing changes. Idempotent on `key`: a double click does one thing.
 */
export async function taskAction(
  deps: TasksDeps,
  actor: Actor,
  req: { kind: TaskActionKind; taskId: string; formValue?: Record<string, unknown>; key: string },
): Promise<CardAnswer> {
  const now = deps.clock.now();
  const today = todayOf(now);
  const t = await loadTask(deps.prisma, req.taskId);
  if (!t) return { toast: toastOf('warning', '找不到这项交办事项，可能已被撤销。') };
  if (t.status === 'CANCELLED') return { toast: toastOf('info', `「${t.title}」已撤销，无需办理。`) };
  const member = isUnitMember(actor, t.unitId);
  const organiser = isOrganiser(actor);
  const ownerSide = req.kind === 'open' || req.kind === 'progress' || req.kind === 'request-close';

  if (req.kind === 'open') {
    const s = snapshot(t, today);
    if (member) return { toast: toastOf('info', `${t.title} · ${s.view.due}到期`), card: taskCard(s.view) };
    if (organiser || actor.leader || actor.personId === t.assignedById) {
      const reviewed = s.lastRequest !== null && s.view.state !== 'IN_PROGRESS' && s.view.state !== 'OPEN';
      return { toast: toastOf('info', `${t.unit.name} · ${t.title}`), card: reviewed ? reviewCardOf(s) : taskCard(s.view) };
    }
    return { toast: toastOf('error', `您不是${t.unit.name}的联络员、备用联络员或主要负责人，无法查看该交办事项。`) };
  }
  if (ownerSide && !member) {
    return { toast: toastOf('error', `您不是${t.unit.name}的联络员、备用联络员或主要负责人，不能办理该交办事项。如有疑问，请联系经济运行例会办公室。`) };
  }
  if (!ownerSide && !organiser) return { toast: toastOf('error', '只有经济运行例会办公室可以销号或退回交办事项。') };

  // Validate the form before anything is written: a wrong form changes nothing and keeps the key free.
  let progress: number | null = null;
  let note = '';
  let reason = '';
  if (req.kind === 'progress') {
    const form = TaskProgressFormValue.safeParse(req.formValue ?? {});
    if (!form.success) return { toast: toastOf('warning', form.error.issues[0]?.message ?? '请选择办理进度') };
    progress = form.data.progress;
    note = form.data.note;
  } else if (req.kind === 'request-close') {
    const n = closeNoteOf(req.formValue);
    if (!n.ok) return { toast: toastOf('warning', n.message) };
    note = n.note;
  } else if (req.kind === 'return') {
    const form = TaskReturnFormValue.safeParse(req.formValue ?? {});
    if (!form.success) return { toast: toastOf('warning', form.error.issues[0]?.message ?? '请填写退回原因') };
    reason = form.data.reason;
  }
  // 100 % is the unit saying it is done: that is a close-out request.
  const kind: TaskActionKind = req.kind === 'progress' && progress === 100 ? 'request-close' : req.kind;

  const outcome = await deps.prisma.$transaction(async (tx): Promise<Outcome> => {
    const cur = await lockTask(tx, t.id);
    if (!cur) return { kind: 'refused', toast: toastOf('warning', '找不到这项交办事项，可能已被撤销。') };
    // A double click waits here for the first one's commit, then finds its receipt.
    const s = snapshot(cur, today);
    if (kind === 'progress' || kind === 'request-close') {
      if (cur.status === 'AWAITING_CLOSE') return { kind: 'refused', toast: toastOf('info', '已申请销号，等待例会办公室审核，暂不能更新进度。') };
      if (cur.status === 'DONE') return { kind: 'refused', toast: toastOf('info', '该事项已销号，无需再更新。') };
    } else if (cur.status !== 'AWAITING_CLOSE') {
      if (cur.status === 'DONE') {
        const by = cur.closedById ? (await tx.person.findUnique({ where: { id: cur.closedById } }))?.name : null;
        return { kind: 'refused', toast: toastOf('info', `该事项已由${by ?? '他人'}销号。`) };
      }
      return { kind: 'refused', toast: toastOf('info', s.kinds[s.kinds.length - 1] === 'return' ? '该事项已退回责任单位。' : '该事项尚未申请销号，暂无需审核。') };
    }
    const at = nextAt(cur, now);
    const audit = (action: string, data: Prisma.InputJsonValue) =>
      tx.auditLog.create({ data: { at: now, actorId: actor.personId, action, entity: 'Task', entityId: cur.id, data } });

    switch (kind) {
      case 'progress': {
        await tx.task.update({ where: { id: cur.id }, data: { status: 'IN_PROGRESS', progress: progress! } });
        await tx.taskUpdate.create({ data: { taskId: cur.id, authorId: actor.personId, status: 'IN_PROGRESS', progress: progress!, note: note || null, at } });
        await audit('task.progress', { progress: progress!, ...(note ? { note } : {}) });
        return { kind: 'done', toast: toastOf('success', `进度已更新：${progress}%`), outbound: [] };
      }
      case 'request-close': {
        await tx.task.update({ where: { id: cur.id }, data: { status: 'AWAITING_CLOSE', progress: 100 } });
        const u = await tx.taskUpdate.create({ data: { taskId: cur.id, authorId: actor.personId, status: 'AWAITING_CLOSE', progress: 100, note: note || null, at } });
        await audit('task.request_close', { ...(note ? { note } : {}) });
        const after = snapshot((await loadTask(tx, cur.id))!, today);
        const review = json(reviewCardOf(after));
        const ids: string[] = [];
        for (const o of await organisers(tx)) {
          const row = await addOutbound(tx, {
            kind: 'SEND',
            dedupeKey: `task-${cur.id}-review-${u.id}-${o.id}`,
            receiveIdType: 'open_id',
            receiveId: o.openId!,
            msgType: 'interactive',
            content: review,
          });
          if (row.created) ids.push(row.id);
        }
        return { kind: 'done', toast: toastOf('success', '已申请销号，等待例会办公室审核'), outbound: ids };
      }
      case 'close':
      case 'return': {
        const closing = kind === 'close';
        await tx.task.update({
          where: { id: cur.id },
          data: closing ? { status: 'DONE', progress: 100, closedAt: now, closedById: actor.personId } : { status: 'IN_PROGRESS' },
        });
        const u = await tx.taskUpdate.create({
          data: { taskId: cur.id, authorId: actor.personId, status: closing ? 'DONE' : 'IN_PROGRESS', progress: closing ? 100 : cur.progress, note: closing ? null : reason, at },
        });
        await audit(closing ? 'task.close' : 'task.return', closing ? { unit: cur.unit.code } : { unit: cur.unit.code, reason });
        const after = snapshot((await loadTask(tx, cur.id))!, today);
        const ids: string[] = [];
        const owner = await ownerRecipient(tx, cur, today);
        if (owner) {
          const row = await addOutbound(tx, {
            kind: 'SEND',
            dedupeKey: closing ? `task-${cur.id}-closed` : `task-${cur.id}-returned-${u.id}`,
            receiveIdType: 'open_id',
            receiveId: owner.openId,
            msgType: 'interactive',
            content: json(taskCard(after.view)),
          });
          if (row.created) ids.push(row.id);
        }
        // The other organisers' review cards of this request show the decision (those already delivered).
        if (s.lastRequest) {
          const sent = await tx.outboundMessage.findMany({
            where: { dedupeKey: { startsWith: `task-${cur.id}-review-${s.lastRequest.id}-` }, status: 'SENT', feishuMessageId: { not: null } },
            select: { dedupeKey: true, feishuMessageId: true },
          });
          const review = json(reviewCardOf(after));
          for (const m of sent) {
            const row = await addOutbound(tx, { kind: 'UPDATE_CARD', dedupeKey: `${m.dedupeKey}-${u.id}`, targetMessageId: m.feishuMessageId!, content: review });
            if (row.created) ids.push(row.id);
          }
        }
        return { kind: 'done', toast: toastOf('success', closing ? '已销号，已通知责任单位' : '已退回，已通知责任单位'), outbound: ids };
      }
      default:
        throw new Error(`taskAction: unexpected ${kind}`);
    }
  });

  const after = await loadTask(deps.prisma, t.id);
  const s = after ? snapshot(after, today) : null;
  // The organiser's card is the review card, which only exists once close-out was asked for.
  const cardOf = (): Card | undefined => (s ? (ownerSide ? taskCard(s.view) : s.lastRequest ? reviewCardOf(s) : undefined) : undefined);
  if (outcome.kind === 'duplicate') {
    const c = cardOf();
    return { toast: toastOf('info', '已处理（重复操作已忽略）'), ...(c ? { card: c } : {}) };
  }
  if (outcome.kind === 'refused') {
    const c = cardOf();
    return { toast: outcome.toast, ...(c ? { card: c } : {}) };
  }
  const c = cardOf();
  return { toast: outcome.toast, ...(c ? { card: c } : {}), outbound: outcome.outbound };
}

// ───────────────────────────── Reminders ─────────────────────────────

export interface TaskReminderJob {
  jobId: string;
  at: Date;
  payload: { taskId: string; kind: TaskReminderKind };
}

/**
 * When a task's reminders go out, by the work calendar: 'before' two workdays before the due day, 'due'
 * on the due day (the last workday before it when the due day is a rest day), 'overdue' one workday after.
 */
export function taskReminderTimes(cal: WorkCalendar, dueDate: string): { kind: TaskReminderKind; date: string; at: Date }[] {
  const before = cal.addWorkdays(dueDate, -2);
  const due = cal.shiftToWorkday(dueDate, 'backward');
  const overdue = cal.addWorkdays(dueDate, 1);
  return [
    { kind: 'before', date: before, at: beijingInstant(before, TASK_REMIND_HOUR) },
    { kind: 'due', date: due, at: beijingInstant(due, TASK_REMIND_HOUR) },
    { kind: 'overdue', date: overdue, at: beijingInstant(overdue, TASK_REMIND_HOUR) },
  ];
}

export const taskJobId = (taskId: string, kind: TaskReminderKind) => `task-${taskId}-${kind}`;

/**
 * The reminder jobs to keep scheduled for tasks not closed: within the next week, not before the task
 * existed, and never more than 12 h in the past (a reminder the worker missed by longer is dropped).
 * `problems` names tasks whose due day falls in a year the calendar does not know.
 */
export async function planTaskReminders(deps: TasksDeps): Promise<{ jobs: TaskReminderJob[]; problems: string[] }> {
  const now = deps.clock.now();
  const today = todayOf(now);
  const tasks = await deps.prisma.task.findMany({
    // Older due days have no reminder left to send (the overdue one comes a workday after; rest runs are short).
    where: { status: { in: UNCLOSED_STATES }, dueDate: { gte: asDate(addDays(today, -30)) } },
    select: { id: true, title: true, dueDate: true, createdAt: true },
    orderBy: { dueDate: 'asc' },
  });
  if (!tasks.length) return { jobs: [], problems: [] };
  const cal = await loadWorkCalendar(deps.prisma);
  const jobs: TaskReminderJob[] = [];
  const problems: string[] = [];
  for (const t of tasks) {
    let times: ReturnType<typeof taskReminderTimes>;
    try {
      times = taskReminderTimes(cal, dayOf(t.dueDate));
    } catch (err) {
      if (!(err instanceof MissingCalendarError)) throw err;
      problems.push(`交办事项「${t.title}」：${err.message}`);
      continue;
    }
    for (const r of times) {
      const ms = r.at.getTime();
      if (ms < now.getTime() - LATE_GRACE_MS || ms <= t.createdAt.getTime() || ms > now.getTime() + TASK_PLAN_HORIZON_MS) continue;
      jobs.push({ jobId: taskJobId(t.id, r.kind), at: r.at, payload: { taskId: t.id, kind: r.kind } });
    }
  }
  return { jobs, problems };
}

/** Fires one reminder: to the person receiving the unit's cards, and for 'overdue' also to the unit's heads. */
export async function fireTaskReminder(deps: TasksDeps, p: { taskId: string; kind: TaskReminderKind }): Promise<string[]> {
  const now = deps.clock.now();
  const today = todayOf(now);
  const t = await loadTask(deps.prisma, p.taskId);
  if (!t || !WORKING_STATES.includes(t.status)) return [];
  const due = dayOf(t.dueDate);
  const daysLeft = dayNumber(due) - dayNumber(today);
  // A 'due' reminder moved before a due day that is a rest day is worded as a reminder ahead of it.
  const cardKind: TaskReminderKind = p.kind === 'due' && daysLeft > 0 ? 'before' : p.kind;
  const view: TaskReminderView = { taskId: t.id, title: t.title, unitName: t.unit.name, due: dueText(due, today), daysLeft, kind: cardKind };
  const recipients = new Map<string, string>();
  const owner = await ownerRecipient(deps.prisma, t, today);
  if (owner) recipients.set(owner.personId, owner.openId);
  if (p.kind === 'overdue') for (const h of await unitHeads(deps.prisma, t.unitId)) recipients.set(h.id, h.openId!);
  if (!recipients.size) return [];
  const content = json(taskReminderCard(view));
  return deps.prisma.$transaction(async (tx) => {
    const ids: string[] = [];
    for (const [personId, openId] of recipients) {
      const row = await addOutbound(tx, { kind: 'SEND', dedupeKey: `task-${t.id}-${p.kind}-${personId}`, receiveIdType: 'open_id', receiveId: openId, msgType: 'interactive', content });
      if (row.created) ids.push(row.id);
    }
    if (ids.length && p.kind === 'overdue') {
      await tx.auditLog.create({ data: { at: now, action: 'task.overdue', entity: 'Task', entityId: t.id, data: { unit: t.unit.code, dueDate: due, recipients: recipients.size } } });
    }
    return ids;
  });
}

// ───────────────────────────── Overdue ─────────────────────────────

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

// ───────────────────────────── Monthly bulletin ─────────────────────────────

const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
const nextMonth = (month: string) => {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

/** Business days on which the scheduled bulletin goes out: the first three workdays of the month. */
export const BULLETIN_WORKDAYS = 3;

/** What the bulletin says, as of now, for the month. */
export async function bulletinView(db: Db, month: string, now: Date): Promise<BulletinView> {
  const today = todayOf(now);
  const start = beijingInstant(`${month}-01`, 0);
  const end = beijingInstant(`${nextMonth(month)}-01`, 0);

  // The latest warning of each unit × indicator × cycle is the light in force; open when yellow or red and not resolved.
  const latest = await db.$queryRaw<{ id: string; unitId: string; indicatorId: string; cycleId: string; level: 'GREEN' | 'YELLOW' | 'RED'; status: string; endDate: Date }[]>`
    SELECT DISTINCT ON (w."unitId", w."indicatorId", p."cycleId")
           w.id, w."unitId", w."indicatorId", p."cycleId", w.level::text AS level, w.status::text AS status, p."endDate"
      FROM "Warning" w
      JOIN "ReportingPeriod" p ON p.id = w."periodId"
      JOIN "Unit" u ON u.id = w."unitId" AND u.active
      JOIN "Indicator" i ON i.id = w."indicatorId" AND i.active
     ORDER BY w."unitId", w."indicatorId", p."cycleId", p."endDate" DESC`;
  const open = latest.filter((w) => w.level !== 'GREEN' && w.status !== 'RESOLVED');
  const history = open.length
    ? await db.warning.findMany({
        where: { unitId: { in: [...new Set(open.map((w) => w.unitId))] }, indicatorId: { in: [...new Set(open.map((w) => w.indicatorId))] } },
        select: { unitId: true, indicatorId: true, level: true, period: { select: { cycleId: true, periodKey: true, endDate: true, cycle: { select: { frequency: true } } } } },
      })
    : [];
  const details = open.length
    ? await db.warning.findMany({ where: { id: { in: open.map((w) => w.id) } }, include: { unit: true, indicator: true } })
    : [];
  const detailOf = new Map(details.map((d) => [d.id, d]));
  const items = open.map((w) => {
    // Since: the first period of the unbroken run of yellow or red ending with the light in force.
    const run = history
      .filter((h) => h.unitId === w.unitId && h.indicatorId === w.indicatorId && h.period.cycleId === w.cycleId)
      .sort((a, b) => b.period.endDate.getTime() - a.period.endDate.getTime());
    let first = run[0]!;
    for (const h of run) {
      if (h.level === 'GREEN') break;
      first = h;
    }
    const d = detailOf.get(w.id)!;
    return {
      indicatorName: d.indicator.name,
      unitName: d.unit.shortName ?? d.unit.name,
      level: w.level as 'YELLOW' | 'RED',
      since: periodLabel(first.period.cycle.frequency, first.period.periodKey),
      order: [w.level === 'RED' ? 0 : 1, d.indicator.sortOrder, d.unit.sortOrder, d.indicator.code, d.unit.code] as const,
    };
  });
  items.sort((a, b) => {
    for (let i = 0; i < a.order.length; i++) {
      const x = a.order[i]!;
      const y = b.order[i]!;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });

  // The month's tasks: assigned by its end, not closed before it began, not cancelled; in their state now.
  const tasks = await db.task.findMany({
    where: { status: { not: 'CANCELLED' }, createdAt: { lt: end }, OR: [{ closedAt: null }, { closedAt: { gte: start } }] },
    select: { unitId: true, status: true, dueDate: true, unit: { select: { name: true, sortOrder: true, code: true } } },
  });
  const isOverdue = (t: (typeof tasks)[number]) => WORKING_STATES.includes(t.status) && dayOf(t.dueDate) < today;
  const count = (s: TaskStatus) => tasks.filter((t) => t.status === s).length;
  const byUnit = new Map<string, { unitName: string; count: number; oldest: string; sort: [number, string] }>();
  for (const t of tasks.filter(isOverdue)) {
    const due = dayOf(t.dueDate);
    const u = byUnit.get(t.unitId) ?? { unitName: t.unit.name, count: 0, oldest: due, sort: [t.unit.sortOrder, t.unit.code] as [number, string] };
    u.count++;
    if (due < u.oldest) u.oldest = due;
    byUnit.set(t.unitId, u);
  }
  const overdueByUnit = [...byUnit.values()]
    .sort((a, b) => a.oldest.localeCompare(b.oldest) || a.sort[0] - b.sort[0] || a.sort[1].localeCompare(b.sort[1]))
    .map((u) => ({ unitName: u.unitName, count: u.count, oldestDue: dueText(u.oldest, today) }));

  return {
    monthLabel: `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`,
    openWarnings: {
      red: items.filter((i) => i.level === 'RED').length,
      yellow: items.filter((i) => i.level === 'YELLOW').length,
      items: items.map(({ order: _order, ...i }) => i),
    },
    tasksByState: {
      open: count('OPEN'),
      inProgress: count('IN_PROGRESS'),
      awaitingClose: count('AWAITING_CLOSE'),
      done: count('DONE'),
      overdue: tasks.filter(isOverdue).length,
    },
    overdueByUnit,
  };
}

/**
 * The monthly 问效 bulletin to every organiser and leader, one card each (dedupeKey
 * `bulletin-<YYYY-MM>-<personId>`). With a month it goes out now; without one (the daily schedule) it
 * goes out only in the first three workdays of a month and reports on the month before.
 */
export async function monthlyBulletin(deps: TasksDeps, opts: { month?: string } = {}): Promise<string[]> {
  const now = deps.clock.now();
  const today = todayOf(now);
  let month = opts.month;
  if (month !== undefined && !MONTH_RE.test(month)) throw new Error(`monthlyBulletin: not a month (expected YYYY-MM): "${month}"`);
  if (!month) {
    const cal = await loadWorkCalendar(deps.prisma);
    const first = cal.shiftToWorkday(`${today.slice(0, 7)}-01`, 'forward');
    if (today < first || today > cal.addWorkdays(first, BULLETIN_WORKDAYS - 1)) return [];
    month = previousMonth(today.slice(0, 7));
  }
  const view = await bulletinView(deps.prisma, month, now);
  const people = await deps.prisma.person.findMany({
    where: {
      active: true,
      openId: { not: null },
      OR: [{ roles: { some: { role: 'ORGANISER', active: true } } }, { leader: { active: true } }],
    },
    orderBy: { code: 'asc' },
  });
  const content = json(bulletinCard(view));
  const m = month;
  return deps.prisma.$transaction(async (tx) => {
    const ids: string[] = [];
    for (const p of people) {
      const row = await addOutbound(tx, { kind: 'SEND', dedupeKey: `bulletin-${m}-${p.id}`, receiveIdType: 'open_id', receiveId: p.openId!, msgType: 'interactive', content });
      if (row.created) ids.push(row.id);
    }
    if (ids.length) {
      await tx.auditLog.create({
        data: { at: now, action: 'bulletin.monthly', entity: 'Bulletin', entityId: m, data: { recipients: ids.length, warnings: { red: view.openWarnings.red, yellow: view.openWarnings.yellow }, tasks: view.tasksByState } },
      });
    }
    return ids;
  });
}
