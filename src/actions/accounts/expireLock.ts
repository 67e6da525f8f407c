import { z } from 'zod';
import { Account } from '../../db/entities/index.ts';
import { defineAction, runAction, type ActionServices } from '../action.ts';
import type { Actor } from '../actor.ts';
import { applyLifecycle, auditAccountChange, snapshot } from './account.ts';

/** Timed locks ended per transaction: short row locks, and a pass that stops half-way keeps the batches it committed. */
export const LOCK_EXPIRY_BATCH_SIZE = 500;

/**
 * Ends timed locks whose date has come: one account's (the delayed job the lock scheduled), or any account's, a batch
 * at a time (the recurring pass, for locks whose job Redis lost or never took). An account is picked only while it is
 * SUSPENDED with its end passed, under a row lock that a concurrent run skips: the job and the pass racing each other,
 * a retried job, or a stale one (the account was unlocked, or locked again with another date) end no lock twice.
 */
export const expireLock = defineAction({
  name: 'lock-expiry',
  describedAs: 'ending timed locks',
  requires: 'owner',
  scope: 'platform',
  input: z.object({
    accountId: z.uuid().optional(),
    jobId: z.string().max(128).optional(),
    batchSize: z.number().int().min(1).max(10_000).default(LOCK_EXPIRY_BATCH_SIZE),
  }),
  async run(ctx, { accountId, batchSize }): Promise<{ expired: number }> {
    // Served by the partial index account_timed_lock_end, which holds only timed locks.
    const due = await ctx.em.execute<{ id: string }[]>(
      `select id from account where status = 'SUSPENDED' and suspended_until <= ?::timestamptz ${accountId ? 'and id = ?' : ''}
       order by suspended_until limit ? for update skip locked`,
      accountId ? [new Date(), accountId, batchSize] : [new Date(), batchSize],
    );
    if (!due.length) return { expired: 0 };
    const accounts = await ctx.em.find(Account, { id: { $in: due.map((row) => row.id) } }, { populate: ['organisation'] });
    for (const account of accounts) {
      const before = snapshot(account);
      applyLifecycle(account, 'lock-expiry', null);
      account.suspendedUntil = null;
      auditAccountChange(ctx, 'lock-expiry', account, before);
    }
    return { expired: accounts.length };
  },
});

/** Every timed lock whose end has passed: batches of LOCK_EXPIRY_BATCH_SIZE, each its own transaction, until one comes back short. */
export async function expireAllDueLocks(services: ActionServices, actor: Actor, options: { jobId?: string; batchSize?: number } = {}): Promise<number> {
  const batchSize = options.batchSize ?? LOCK_EXPIRY_BATCH_SIZE;
  let expired = 0;
  for (;;) {
    const batch = await runAction(services, expireLock, actor, { jobId: options.jobId, batchSize });
    expired += batch.expired;
    if (batch.expired < batchSize) return expired;
  }
}
