import { z } from 'zod';
import { defineAction } from '../action.ts';
import {
  accountRefSchema,
  applyLifecycle,
  auditAccountChange,
  expectedVersionSchema,
  fullName,
  loadAccount,
  reasonSchema,
  snapshot,
  type AccountOutcome,
} from './account.ts';

/** Ends a lockout (too many wrong passwords) or a suspension (admin lock or inactivity). */
export const unlockAccount = defineAction({
  name: 'unlock',
  describedAs: 'unlocking an account',
  requires: 'helpdesk',
  onCard: { event: 'unlock', label: 'Unlock', style: 'primary' },
  command: { usage: '<who> [--reason <text>]', positional: ['account'], flags: { reason: { field: 'reason', type: 'string' } } },
  input: z.object({ account: accountRefSchema, reason: reasonSchema, expectedVersion: expectedVersionSchema }),
  async run(ctx, { account: ref, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadAccount(ctx, ref, expectedVersion);
    const before = snapshot(account);
    applyLifecycle(account, 'unlock', reason);
    account.suspendedUntil = null;
    auditAccountChange(ctx, 'unlock', account, before, reason);
    return { accountId: account.id, message: `${fullName(account)} is unlocked and can sign in again.` };
  },
});
