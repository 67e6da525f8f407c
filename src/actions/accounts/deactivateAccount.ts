import { z } from 'zod';
import { defineAction, type AccountOutcome } from '../action.ts';
import { applyLifecycle, auditAccountChange, fullName, loadAccount, snapshot, accountOutcome, requireNoOwnedGroups } from './account.ts';
import { accountRefSchema, expectedVersionSchema, reasonSchema, flags } from '../inputs.ts';

/** Stops the account signing in and frees its licence, keeping its history (a "ban" in some consoles). */
export const deactivateAccount = defineAction({
  name: 'deactivate',
  describedAs: 'deactivating an account',
  requires: 'admin',
  confirm: true,
  onCard: { event: 'deactivate', label: 'Deactivate', style: 'danger' },
  command: { usage: '<who>', positional: ['account'], flags: flags.reason, synonyms: ['ban'] },
  input: z.object({ account: accountRefSchema, reason: reasonSchema, expectedVersion: expectedVersionSchema }),
  async run(ctx, { account: ref, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadAccount(ctx, ref, { expectedVersion });
    const before = snapshot(account);
    applyLifecycle(account, 'deactivate', reason ?? 'deactivated by an admin');
    await requireNoOwnedGroups(ctx, account);
    auditAccountChange(ctx, 'deactivate', account, before, reason);
    return accountOutcome(account, `${fullName(account)} is deactivated: cannot sign in, no longer counts as a licence, history kept.`);
  },
});
