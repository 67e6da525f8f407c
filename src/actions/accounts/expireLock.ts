import { z } from 'zod';
import { Account } from '../../db/entities/index.ts';
import { defineAction } from '../action.ts';
import { applyLifecycle, auditAccountChange, fullName, snapshot } from './account.ts';

/**
 * Ends a timed lock when its date has come. Run by the delayed job; it does nothing when the account was unlocked,
 * locked again with another date, or otherwise changed meanwhile, so a retried or stale job is harmless.
 */
export const expireLock = defineAction({
  name: 'lock-expiry',
  describedAs: 'ending timed locks',
  requires: 'owner',
  scope: 'platform',
  input: z.object({ accountId: z.uuid(), jobId: z.string().max(128).optional() }),
  async run(ctx, { accountId }) {
    const account = await ctx.em.findOne(Account, { id: accountId }, { populate: ['organisation'] });
    if (account?.status !== 'SUSPENDED' || !account.suspendedUntil || account.suspendedUntil.getTime() > Date.now()) {
      return { expired: false };
    }
    const before = snapshot(account);
    applyLifecycle(account, 'lock-expiry', null);
    account.suspendedUntil = null;
    auditAccountChange(ctx, 'lock-expiry', account, before);
    return { expired: true, message: `${fullName(account)}'s lock ended.` };
  },
});
