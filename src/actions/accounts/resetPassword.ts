import { z } from 'zod';
import { AccountToken } from '../../db/entities/index.ts';
import { defineAction, type AccountOutcome } from '../action.ts';
import { applyLifecycle, fullName, loadAccount, snapshot, accountOutcome } from './account.ts';
import { auditCredentialChange, hashPassword, temporaryPassword } from './credentials.ts';
import { queueMail } from './mail.ts';
import { accountRefSchema, expectedVersionSchema, reasonSchema, flags } from '../inputs.ts';

/**
 * Resets a local account's password (never an SSO one: the status machine refuses). By default a single-use reset link
 * is mailed (RECOVERY); with `--temporary` a one-time password is made, stored only as an argon2 hash, and returned to
 * be shown once to the caller alone (PASSWORD_EXPIRED: they must replace it at the next sign-in).
 */
export const resetPassword = defineAction({
  name: 'reset-password',
  describedAs: 'resetting a password',
  requires: 'helpdesk',
  confirm: true,
  onCard: { event: 'reset-password', label: 'Reset password' },
  command: {
    usage: '<who> [--temporary]',
    positional: ['account'],
    flags: { temporary: { field: 'temporary', type: 'boolean' }, ...flags.reason },
  },
  input: z.object({ account: accountRefSchema, temporary: z.boolean().default(false), reason: reasonSchema, expectedVersion: expectedVersionSchema }),
  async run(ctx, { account: ref, temporary, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadAccount(ctx, ref, { expectedVersion });
    const before = snapshot(account);
    if (!temporary) {
      applyLifecycle(account, 'reset-password', reason ?? 'password reset link sent');
      queueMail(ctx, account, 'password-reset');
      auditCredentialChange(ctx, 'reset-password', account, before, 'password reset mail', reason);
      return accountOutcome(account, `${fullName(account)} must set a new password: a reset link goes to ${account.email} shortly, and works once.`);
    }
    applyLifecycle(account, 'temporary-password', reason ?? 'temporary password issued');
    const password = temporaryPassword();
    account.passwordHash = await hashPassword(password);
    account.passwordTemporary = true;
    // The temporary password is now the way back in: reset links still open stop working.
    await ctx.em.nativeUpdate(AccountToken, { account: account.id, purpose: 'password-reset', usedAt: null, replacedAt: null }, { replacedAt: new Date() });
    auditCredentialChange(ctx, 'reset-password', account, before, 'temporary password', reason);
    return {
      kind: 'account',
      accountId: account.id,
      message: `${fullName(account)} has a temporary password, shown to you alone; they must replace it at their next sign-in.`,
      secret: { label: 'Temporary password', value: password },
    };
  },
});
