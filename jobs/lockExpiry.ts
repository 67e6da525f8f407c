import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { runAction, type ActionServices, type Scheduler } from '../src/actions/action.ts';
import { systemActor } from '../src/actions/actor.ts';
import { AUTO_UNLOCK_BATCH_SIZE, autoUnlock } from '../src/actions/accounts/autoUnlock.ts';
import { expireAllDueLocks, expireLock } from '../src/actions/accounts/expireLock.ts';
import { handOff } from './handOff.ts';
import { LOCK_EXPIRY_JOB, LOCK_EXPIRY_PASS_JOB, LOCK_EXPIRY_PASS_SCHEDULER, type LockExpiryData, type Queues } from './queues.ts';
import { upsertSchedule } from './scheduler.ts';

/**
 * Schedules the end of a timed lock as a delayed job, waiting for Redis only briefly: the lock-expiry pass ends a lock
 * whose job was never taken. One job per account and end time, so a retry or a late add when Redis returns adds
 * nothing, and the job ends nothing the pass already ended.
 */
export function queueScheduler(queues: Queues, logger: Logger): Scheduler {
  return {
    async lockExpiry(accountId, at) {
      const adding = queues.maintenance.add(
        LOCK_EXPIRY_JOB,
        { accountId },
        { jobId: `${LOCK_EXPIRY_JOB}-${accountId}-${at.getTime()}`, delay: Math.max(0, at.getTime() - Date.now()) },
      );
      await handOff(adding, logger, { queue: queues.maintenance.name, accountId });
    },
  };
}

export async function processLockExpiry(job: Job<LockExpiryData>, services: ActionServices) {
  return runAction(services, expireLock, systemActor('lock-expiry'), { accountId: job.data.accountId, jobId: job.id });
}

/** Upserting is idempotent, so every worker process may call it at start; BullMQ runs an `every` schedule's first pass at once. */
export async function scheduleLockExpiryPass(queues: Queues, everyMs: number): Promise<void> {
  await upsertSchedule(queues.maintenance, LOCK_EXPIRY_PASS_SCHEDULER, { every: everyMs }, LOCK_EXPIRY_PASS_JOB);
}

/** Ends every timed lock whose end has passed: those whose delayed job Redis lost, or never took while it was away. */
export async function processLockExpiryPass(job: Job, services: ActionServices): Promise<{ expired: number; unlocked: number }> {
  const expired = await expireAllDueLocks(services, systemActor('lock-expiry'), { jobId: job.id });
  if (expired) services.logger.info({ expired }, 'lock-expiry pass ended timed locks');
  let unlocked = 0;
  for (;;) {
    const batch = await runAction(services, autoUnlock, systemActor('lock-expiry'), {});
    unlocked += batch.unlocked;
    if (batch.unlocked < AUTO_UNLOCK_BATCH_SIZE) break;
  }
  if (unlocked) services.logger.info({ unlocked }, 'lock-expiry pass unlocked lockouts by their organisation’s automatic unlock');
  return { expired, unlocked };
}
