// Compatibility only: split into plan.ts, periods.ts, reminders.ts and escalations.ts. These
// re-exports keep tasks/ and the benches compiling until they import from the new files; remove then.
export { LATE_GRACE_MS, planCycle, activeCycleCodes, type PlannedJob, type CyclePlan } from './plan.ts';
export { ensurePeriod, openPeriod } from './periods.ts';
export { fireReminder } from './reminders.ts';
export { fireEscalation } from './escalations.ts';
