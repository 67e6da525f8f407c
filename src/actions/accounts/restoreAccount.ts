import { z } from 'zod';
import { RESTORE_WINDOW_DAYS } from '../../domain/approvals.ts';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction, type AccountOutcome } from '../action.ts';
import { accountRefSchema, expectedVersionSchema, flags, reasonSchema } from '../inputs.ts';
import { accountOutcome, applyLifecycle, auditAccountChange, fullName, loadAccount, snapshot } from './account.ts';

/** Brings a soft-deleted account back within the restore window, DEACTIVATED: restoring grants no access by itself. */
export const restoreAccount = defineAction({
  name: 'restore',
  describedAs: 'restoring a deleted account',
  requires: 'admin',
  onCard: { event: 'restore', label: 'Restore' },
  command: { usage: '<who>', positional: ['account'], flags: flags.reason, synonyms: ['undelete'] },
  input: z.object({ account: accountRefSchema, reason: reasonSchema, expectedVersion: expectedVersionSchema }),
  async run(ctx, { account: ref, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadAccount(ctx, ref, { expectedVersion });
    const before = snapshot(account);
    applyLifecycle(account, 'restore', reason);
    const deletedAt = account.deletedAt;
    if (deletedAt && Date.now() - deletedAt.getTime() > RESTORE_WINDOW_DAYS * 86_400_000)
      throw new RefusedError(
        `${fullName(account)} was deleted more than ${RESTORE_WINDOW_DAYS} days ago and waits for its purge; it cannot be restored.`,
        'invalid-state',
      );
    account.deletedAt = null;
    auditAccountChange(ctx, 'restore', account, before, reason);
    return accountOutcome(account, `${fullName(account)} is restored, DEACTIVATED: reactivate it to let them sign in again.`);
  },
});
