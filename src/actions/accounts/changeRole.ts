import { z } from 'zod';
import { ACCOUNT_ROLES } from '../../domain/accounts.ts';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction, type AccountOutcome } from '../action.ts';
import { auditAccountChange, fullName, loadLiveAccount, snapshot, accountOutcome } from './account.ts';
import { accountRefSchema, expectedVersionSchema, reasonSchema, flags } from '../inputs.ts';

/** Changes the account's role in the product (what it may use), not a Roster role. */
export const changeRole = defineAction({
  name: 'role',
  describedAs: 'changing an account’s role',
  requires: 'admin',
  command: {
    usage: `<who> <${ACCOUNT_ROLES.join('|')}>`,
    positional: ['account', 'role'],
    flags: flags.reason,
  },
  input: z.object({ account: accountRefSchema, role: z.enum(ACCOUNT_ROLES), reason: reasonSchema, expectedVersion: expectedVersionSchema }),
  async run(ctx, { account: ref, role, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadLiveAccount(ctx, ref, { expectedVersion });
    if (account.role === role) throw new RefusedError(`${fullName(account)} is already ${role}.`, 'invalid-state');
    const before = snapshot(account);
    account.role = role;
    auditAccountChange(ctx, 'role', account, before, reason);
    return accountOutcome(account, `${fullName(account)} is now ${role} (was ${before.role}).`);
  },
});
