// Tasks: kept for src/modules/lights/lights.service.ts, which reads overdue counts from here (the module
// itself is split: tasks.repo.ts, task-view.ts, create-task.ts, task-actions.ts, task-reminders.ts, bulletin.ts).
export { overdueTaskCount, overdueTaskCounts } from './tasks.repo.ts';
