// Tasks: the handlers of the task card's actions (open, progress, 申请销号, 销号, 退回).
import type { TasksCard } from '../../commands/command.ts';
import type { HandlerTable } from '../shared/outcome.ts';
import { closeTask, openTask, reportProgress, requestClose, returnTask } from './task-actions.ts';

export const tasksCards: HandlerTable<TasksCard> = {
  'task.open': openTask,
  'task.progress': reportProgress,
  'task.request-close': requestClose,
  'task.close': closeTask,
  'task.return': returnTask,
};
