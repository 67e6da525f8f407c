import { z } from 'zod';
import { defineAction, type AccountOutcome } from '../action.ts';
import { applyLifecycle, auditAccountChange, fullName, loadAccount, snapshot, accountOutcome } from './account.ts';
import { accountRefSchema, expectedVersionSchema, reasonSchema, flags } from '../inputs.ts';

/** Ends a lockout (too many wrong passwords) or a suspension (admin lock or inactivity). */
export const unlockAccount = defineAction({
  name: 'unlock',
  describedAs: 'unlocking an account',
  requires: 'helpdesk',
  onCard: { event: 'unlock', label: 'Unlock', style: 'primary' },
  command: { usage: '<who>', positional: ['account'], flags: flags.reason },
  input: z.object({ account: accountRefSchema, reason: reasonSchema, expectedVersion: expectedVersionSchema }),
  async run(ctx, { account: ref, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadAccount(ctx, ref, { expectedVersion });
    const before = snapshot(account);
    applyLifecycle(account, 'unlock', reason);
    account.suspendedUntil = null;
    auditAccountChange(ctx, 'unlock', account, before, reason);
    // A lockout's helpdesk alert then says who unlocked it, wherever the unlock came from.
    const alerts = ctx.services.alerts;
    if (alerts && before.status === 'LOCKED_OUT') {
      const event = { accountId: account.id, by: ctx.actor.id, at: new Date() };
      ctx.afterCommit(() => alerts.unlocked(event));
    }
    return accountOutcome(account, `${fullName(account)} is unlocked and can sign in again.`);
  },
});
