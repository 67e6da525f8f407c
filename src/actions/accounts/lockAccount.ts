import { z } from 'zod';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction, type AccountOutcome } from '../action.ts';
import { applyLifecycle, auditAccountChange, fullName, loadAccount, snapshot } from './account.ts';
import { accountRefSchema, expectedVersionSchema, reasonSchema, flags } from '../inputs.ts';

const futureDate = z.coerce
  .date({ error: 'must be a date such as 2026-12-01 or 2026-12-01T09:00Z' })
  .refine((date) => date.getTime() > Date.now(), 'must be in the future');

/** An admin lock (SUSPENDED), optionally until a date when a delayed job ends it. */
export const lockAccount = defineAction({
  name: 'lock',
  describedAs: 'locking an account',
  requires: 'admin',
  confirm: true,
  onCard: { event: 'lock', label: 'Lock', style: 'danger' },
  command: {
    usage: '<who> [--until <date>]',
    positional: ['account'],
    flags: { until: { field: 'until', type: 'string' }, ...flags.reason },
    synonyms: ['suspend'],
  },
  input: z.object({ account: accountRefSchema, until: futureDate.optional(), reason: reasonSchema, expectedVersion: expectedVersionSchema }),
  async run(ctx, { account: ref, until, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadAccount(ctx, ref, { expectedVersion });
    if (until && !ctx.services.scheduler) throw new RefusedError('Timed locks need the job queue, which this process does not have.', 'invalid-state');
    const before = snapshot(account);
    applyLifecycle(account, until ? 'lock-until' : 'lock', reason ?? (until ? 'locked by an admin until a date' : 'locked by an admin'));
    account.suspendedUntil = until ?? null;
    auditAccountChange(ctx, 'lock', account, before, reason);
    if (until) ctx.afterCommit(() => ctx.services.scheduler!.lockExpiry(account.id, until));
    return {
      kind: 'account',
      accountId: account.id,
      message: `${fullName(account)} is locked${until ? ` until ${until.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}.`,
    };
  },
});
