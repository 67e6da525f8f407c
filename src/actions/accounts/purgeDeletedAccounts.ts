import { z } from 'zod';
import { RESTORE_WINDOW_DAYS } from '../../domain/approvals.ts';
import { defineAction } from '../action.ts';
import { accountLabel } from '../auditTargets.ts';

export const PURGE_BATCH_SIZE = 500;

/**
 * Removes for good the soft-deleted accounts whose restore window has passed, a batch at a time (the approvals pass).
 * Each gets an audit event naming it as it was, so the trail stays readable once the row is gone.
 */
export const purgeDeletedAccounts = defineAction({
  name: 'purge',
  describedAs: 'purging deleted accounts',
  requires: 'owner',
  scope: 'platform',
  input: z.object({ batchSize: z.number().int().min(1).max(10_000).default(PURGE_BATCH_SIZE) }),
  async run(ctx, { batchSize }): Promise<{ purged: number }> {
    const due = await ctx.em.execute<{ id: string; firstName: string; lastName: string; email: string; organisationId: string }[]>(
      `select id, first_name as "firstName", last_name as "lastName", email, organisation_id as "organisationId" from account
       where status = 'DELETED' and deleted_at <= ?::timestamptz order by deleted_at limit ? for update skip locked`,
      [new Date(Date.now() - RESTORE_WINDOW_DAYS * 86_400_000), batchSize],
    );
    for (const account of due) {
      ctx.audit.record({
        action: 'purge',
        target: { type: 'account', id: account.id, label: accountLabel(account), organisationId: account.organisationId },
        changes: { status: { before: 'DELETED', after: 'PURGED' } },
      });
    }
    if (due.length) await ctx.em.execute(`delete from account where id = any(?::uuid[])`, [`{${due.map((a) => a.id).join(',')}}`]);
    return { purged: due.length };
  },
});
