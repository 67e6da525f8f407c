import type { Job } from 'bullmq';
import { runAction, type ActionServices, type Scheduler } from '../src/actions/action.ts';
import { systemActor } from '../src/actions/actor.ts';
import { expireLock } from '../src/actions/accounts/expireLock.ts';
import { LOCK_EXPIRY_JOB, type LockExpiryData, type Queues } from './queues.ts';

/** Schedules the end of a timed lock as a delayed job; one job per account and end time, so a retry adds nothing. */
export function queueScheduler(queues: Queues): Scheduler {
  return {
    async lockExpiry(accountId, at) {
      await queues.maintenance.add(
        LOCK_EXPIRY_JOB,
        { accountId },
        { jobId: `${LOCK_EXPIRY_JOB}-${accountId}-${at.getTime()}`, delay: Math.max(0, at.getTime() - Date.now()) },
      );
    },
  };
}

export async function processLockExpiry(job: Job<LockExpiryData>, services: ActionServices) {
  return runAction(services, expireLock, systemActor('lock-expiry'), { accountId: job.data.accountId, jobId: job.id });
}
