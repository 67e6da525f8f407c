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

/** Removes the enrolled factors: the account signs in with its password alone until it enrols again. */
export const resetMfa = defineAction({
  name: 'reset-mfa',
  describedAs: 'resetting MFA',
  requires: 'helpdesk',
  confirm: true,
  onCard: { event: 'reset-mfa', label: 'Reset MFA' },
  command: { usage: '<who> [--reason <text>]', positional: ['account'], flags: { reason: { field: 'reason', type: 'string' } }, synonyms: ['remove-2fa'] },
  input: z.object({ account: accountRefSchema, reason: reasonSchema, expectedVersion: expectedVersionSchema }),
  async run(ctx, { account: ref, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadAccount(ctx, ref, expectedVersion);
    const before = snapshot(account);
    applyLifecycle(account, 'reset-mfa');
    account.mfaEnrolled = false;
    auditAccountChange(ctx, 'reset-mfa', account, before, reason);
    const next = account.organisation.mfaRequired ? 'and must enrol again at the next sign-in' : 'until they enrol again';
    return { accountId: account.id, message: `${fullName(account)}'s two-step verification is removed: they sign in with their password alone ${next}.` };
  },
});
