// Tasks: what a task's cards show — its state as the unit sees it, its history in words, and the
// organisers' review card — read from a loaded task.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Card } from '../../../cards/card.ts';
import { taskReviewCard, type TaskState, type TaskView } from '../../../cards/task.ts';
import { dayOf } from '../shared/dates.ts';
import { beijingDateOf, beijingTimeOf, dayNumber } from '../calendar/work-calendar.ts';
import type { LoadedTask, LoadedUpdate } from './tasks.repo.ts';

export const json = (c: Card) => c as unknown as Prisma.InputJsonValue;

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

/** What each update was, read from the sequence of states (updates are strictly ordered in time). */
export type UpdateKind = 'create' | 'progress' | 'request-close' | 'close' | 'return' | 'cancel';
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

export interface TaskSnapshot {
  task: LoadedTask;
  view: TaskView;
  kinds: UpdateKind[];
  /** The latest close-out request, while it is the one in force or was decided. */
  lastRequest: LoadedUpdate | null;
}

export function snapshot(t: LoadedTask, today: string): TaskSnapshot {
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

export function reviewCardOf(s: TaskSnapshot): Card {
  return taskReviewCard({ ...s.view, requestedBy: s.lastRequest?.author?.name ?? '—' });
}
