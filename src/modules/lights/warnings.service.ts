// Lights: kept for jobs/lights.job.ts, which imports the escalation from here. The warning's use cases
// live in warning-actions.ts (and meetings/), its card in warning-view.ts, 为什么 in why-light.ts.
export { escalateWarning, type WarningsDeps } from './escalations.ts';
