import type { Queues } from './queues.ts';
import { INACTIVITY_SWEEP_JOB, INACTIVITY_SWEEP_SCHEDULER } from './queues.ts';

/** Upserting is idempotent, so every process may call it at start: there is still one schedule in Redis. */
export async function scheduleRecurringJobs(queues: Queues, sweepCron: string, timezone: string): Promise<void> {
  await queues.maintenance.upsertJobScheduler(INACTIVITY_SWEEP_SCHEDULER, { pattern: sweepCron, tz: timezone }, { name: INACTIVITY_SWEEP_JOB, data: {} });
}
