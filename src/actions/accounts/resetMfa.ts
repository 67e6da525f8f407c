import { z } from 'zod';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction, type AccountOutcome } from '../action.ts';
import { applyLifecycle, auditAccountChange, fullName, loadAccount, snapshot, accountOutcome } from './account.ts';
import { accountRefSchema, expectedVersionSchema, reasonSchema, flags } from '../inputs.ts';

/**
 * Removes the enrolled factors: the account signs in with its password alone until it enrols again. An account with
 * none is refused, as a bulk reset leaves it as it is.
 */
export const resetMfa = defineAction({
  name: 'reset-mfa',
  describedAs: 'resetting MFA',
  requires: 'helpdesk',
  confirm: true,
  onCard: { event: 'reset-mfa', label: 'Reset MFA' },
  command: { usage: '<who>', positional: ['account'], flags: flags.reason, synonyms: ['remove-2fa'] },
  input: z.object({ account: accountRefSchema, reason: reasonSchema, expectedVersion: expectedVersionSchema }),
  async run(ctx, { account: ref, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadAccount(ctx, ref, { expectedVersion });
    const before = snapshot(account);
    applyLifecycle(account, 'reset-mfa');
    if (!account.mfaEnrolled) throw new RefusedError(`${fullName(account)} has no two-step verification to reset.`, 'invalid-state');
    account.mfaEnrolled = false;
    // The old authenticator stops working: enrolling again makes a new secret.
    account.totpSecret = null;
    account.totpLastStep = null;
    auditAccountChange(ctx, 'reset-mfa', account, before, reason);
    const next = account.organisation.mfaRequired ? 'and must enrol again at the next sign-in' : 'until they enrol again';
    return accountOutcome(account, `${fullName(account)}'s two-step verification is removed: they sign in with their password alone ${next}.`);
  },
});
