// Jobs: queue names. `domain` runs domain work (reminders, evaluations, scheduling);
// `outbound` is the single path of every message to Feishu, with its own rate limiter.
export const QUEUES = ['domain', 'outbound'] as const;
export type QueueName = (typeof QUEUES)[number];
