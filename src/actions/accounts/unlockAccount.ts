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
    return accountOutcome(account, `${fullName(account)} is unlocked and can sign in again.`);
  },
});
