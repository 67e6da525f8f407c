import { ErrorCode, type Queue, type RepeatOptions } from 'bullmq';
import type { Queues } from './queues.ts';
import { INACTIVITY_SWEEP_JOB, INACTIVITY_SWEEP_SCHEDULER } from './queues.ts';

/**
 * Sets a recurring job. Upserting is idempotent, so every process may call it at start: there is still one schedule.
 * Two processes that start together may both add the schedule's next run; BullMQ's PostgreSQL backend refuses the
 * second, and the process that lost the race goes on with the schedule the other made (it stopped at start: 2 of 40
 * simultaneous upserts, and once a worker in a full test run).
 */
export async function upsertSchedule(queue: Queue, schedulerId: string, repeat: Omit<RepeatOptions, 'key'>, jobName: string): Promise<void> {
  try {
    await queue.upsertJobScheduler(schedulerId, repeat, { name: jobName, data: {} });
  } catch (error) {
    const collided = (error as { code?: unknown }).code === ErrorCode.SchedulerJobIdCollision;
    if (!collided || !(await queue.getJobScheduler(schedulerId))) throw error;
  }
}

export function scheduleRecurringJobs(queues: Queues, sweepCron: string, timezone: string): Promise<void> {
  return upsertSchedule(queues.maintenance, INACTIVITY_SWEEP_SCHEDULER, { pattern: sweepCron, tz: timezone }, INACTIVITY_SWEEP_JOB);
}
