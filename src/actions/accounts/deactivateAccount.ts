import { z } from 'zod';
import { Group } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction, type AccountOutcome } from '../action.ts';
import { applyLifecycle, auditAccountChange, fullName, loadAccount, snapshot, accountOutcome } from './account.ts';
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
    const owned = await ctx.em.find(Group, { owner: account.id }, { fields: ['name'], orderBy: { name: 'asc' } });
    if (owned.length) {
      throw new RefusedError(
        `${fullName(account)} owns ${owned.map((g) => `“${g.name}”`).join(', ')}; give ${owned.length === 1 ? 'that group' : 'those groups'} another owner first.`,
        'invalid-state',
      );
    }
    auditAccountChange(ctx, 'deactivate', account, before, reason);
    return accountOutcome(account, `${fullName(account)} is deactivated: cannot sign in, no longer counts as a licence, history kept.`);
  },
});
