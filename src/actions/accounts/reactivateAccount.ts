import { z } from 'zod';
import { defineAction, type AccountOutcome } from '../action.ts';
import { applyLifecycle, auditAccountChange, fullName, loadAccount, snapshot, accountOutcome } from './account.ts';
import { accountRefSchema, expectedVersionSchema, reasonSchema, flags } from '../inputs.ts';

/**
 * Brings a deactivated account back: ACTIVE, INVITED if it never signed in ("validate" in some consoles), or
 * LOCKED_OUT again if it was locked out by wrong passwords.
 */
export const reactivateAccount = defineAction({
  name: 'reactivate',
  describedAs: 'reactivating an account',
  requires: 'admin',
  onCard: { event: 'reactivate', label: 'Reactivate', style: 'primary' },
  command: { usage: '<who>', positional: ['account'], flags: flags.reason, synonyms: ['validate'] },
  input: z.object({ account: accountRefSchema, reason: reasonSchema, expectedVersion: expectedVersionSchema }),
  async run(ctx, { account: ref, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadAccount(ctx, ref, { expectedVersion });
    const before = snapshot(account);
    applyLifecycle(account, 'reactivate', reason);
    auditAccountChange(ctx, 'reactivate', account, before, reason);
    const state =
      account.status === 'INVITED'
        ? 'is invited again (it never signed in)'
        : account.status === 'LOCKED_OUT'
          ? 'is back but still LOCKED_OUT after too many wrong passwords; unlock it or issue a temporary password'
          : 'is active again';
    return accountOutcome(account, `${fullName(account)} ${state}.`);
  },
});
