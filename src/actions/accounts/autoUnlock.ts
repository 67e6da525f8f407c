import { z } from 'zod';
import { Account } from '../../db/entities/index.ts';
import { defineAction } from '../action.ts';
import { applyLifecycle, auditAccountChange, snapshot } from './account.ts';

/** Accounts unlocked per transaction, as the timed-lock pass does. */
export const AUTO_UNLOCK_BATCH_SIZE = 500;

/**
 * Unlocks the locked-out accounts of organisations that set an automatic unlock, once their time has come (run by the
 * lock-expiry pass): through the status machine, audited as `auto-unlock`, and their helpdesk alerts then say so.
 * Row locks that a concurrent pass skips keep an account from being unlocked twice.
 */
export const autoUnlock = defineAction({
  name: 'auto-unlock',
  describedAs: 'unlocking accounts automatically',
  requires: 'owner',
  scope: 'platform',
  input: z.object({ batchSize: z.number().int().min(1).max(10_000).default(AUTO_UNLOCK_BATCH_SIZE) }),
  async run(ctx, { batchSize }): Promise<{ unlocked: number }> {
    const due = await ctx.em.execute<{ id: string }[]>(
      `select a.id from account a join organisation o on o.id = a.organisation_id
       where a.status = 'LOCKED_OUT' and o.auto_unlock_minutes is not null
         and a.status_changed_at + make_interval(mins => o.auto_unlock_minutes) <= ?::timestamptz
       order by a.status_changed_at limit ? for update of a skip locked`,
      [new Date(), batchSize],
    );
    if (!due.length) return { unlocked: 0 };
    const accounts = await ctx.em.find(Account, { id: { $in: due.map((row) => row.id) } }, { populate: ['organisation'] });
    const alerts = ctx.services.alerts;
    for (const account of accounts) {
      const before = snapshot(account);
      const minutes = account.organisation.autoUnlockMinutes!;
      applyLifecycle(account, 'unlock', `unlocked by itself ${minutes} minutes after the lockout`);
      auditAccountChange(ctx, 'auto-unlock', account, before, `the organisation unlocks lockouts after ${minutes} minutes`);
      if (alerts) {
        const event = { accountId: account.id, by: 'Roster (automatic unlock)', at: new Date() };
        ctx.afterCommit(() => alerts.unlocked(event));
      }
    }
    return { unlocked: accounts.length };
  },
});
