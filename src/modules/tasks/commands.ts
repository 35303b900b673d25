// Tasks: the use cases behind the task card's actions (progress, 申请销号, 销号, 退回).
import type { TasksCard } from '../../commands/command.ts';
import type { HandlerTable } from '../shared/outcome.ts';
import { svc } from '../shared/legacy-tx.ts';
import { fromAnswer } from '../shared/results.ts';
import { taskAction } from './tasks.service.ts';

export const tasksCards: HandlerTable<TasksCard> = {
  'task.action': async (cmd, ctx) =>
    fromAnswer(ctx, await taskAction(svc(ctx), ctx.actor, { kind: cmd.action, taskId: cmd.taskId, ...(cmd.formValue ? { formValue: cmd.formValue } : {}), key: ctx.origin.key })),
};
