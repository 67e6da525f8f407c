import { z } from 'zod';
import { boundQuery, numbered } from '../../../db/boundQuery.ts';
import { accountPlaces, claimPendingItems, lockAccountsForBulk, recordItemOutcomes } from '../../../db/bulkJobs.ts';
import { BulkJob } from '../../../db/entities/index.ts';
import { RefusedError } from '../../../domain/errors.ts';
import { defineAction } from '../../action.ts';
import type { FieldChanges } from '../../audit.ts';
import { accountLabel } from '../../auditTargets.ts';
import { queueMailToMany } from '../mail.ts';
import { decideBulkChange, targetGroupIds } from './bulkChanges.ts';
import { bulkTarget } from './bulkRequest.ts';

/** Accounts changed per transaction: short row locks, and a killed worker loses at most one chunk (then redone). */
export const BULK_CHUNK_SIZE = 1000;

export interface ChunkResult {
  claimed: number;
  done: number;
  refused: number;
  unchanged: number;
  /** The job was cancelled, or has nothing pending left: no more chunks to take. */
  finished: boolean;
}

type Outcome = { seq: number; state: 'done' | 'refused' | 'unchanged'; detail: string | null };

/**
 * Applies a bulk job's change to its next pending accounts, as the person who started it (their grant read again):
 * the status machine decides for each account, the changes and one audit event per changed account are written in
 * one set-based statement (its values bound by PostgreSQL, not written into its text), and each item records its
 * outcome in the same transaction, so a retried chunk never changes an account twice. Items other workers hold are
 * skipped, so several workers share one job.
 */
export const applyBulkChunk = defineAction({
  name: 'bulk-chunk',
  describedAs: 'changing many accounts at once',
  requires: 'admin',
  input: z.object({ jobId: z.uuid(), chunkSize: z.number().int().min(1).max(10_000).default(BULK_CHUNK_SIZE) }),
  async run(ctx, { jobId, chunkSize }): Promise<ChunkResult> {
    const scope = ctx.organisationsInScope();
    const job = await ctx.em.findOne(BulkJob, { id: jobId });
    if (!job) throw new RefusedError('That bulk job does not exist.', 'not-found');
    if (job.requestedBy !== ctx.actor.id) throw new RefusedError('Only the person who started a bulk job runs its changes.', 'forbidden');
    if (job.cancelRequestedAt || job.finishedAt) return { claimed: 0, done: 0, refused: 0, unchanged: 0, finished: true };
    // A group is found again by the name it was given, in the organisations the grant covers now.
    const target = await bulkTarget(ctx, job.action, job.params.value, scope);

    const items = await claimPendingItems(ctx.em, jobId, chunkSize);
    if (items.length === 0) return { claimed: 0, done: 0, refused: 0, unchanged: 0, finished: true };
    const accounts = new Map(
      (
        await lockAccountsForBulk(
          ctx.em,
          items.map((item) => item.accountId),
        )
      ).map((row) => [row.id, row]),
    );
    // A role or group change also reads where each account stands: its role, its place in the group.
    const placed =
      target.kind === 'status'
        ? []
        : await accountPlaces(
            ctx.em,
            items.map((item) => item.accountId),
            targetGroupIds(target),
          );
    const places = new Map(placed.map((row) => [row.id, row]));
    const reason = typeof job.params.reason === 'string' ? job.params.reason : null;

    const outcomes: Outcome[] = [];
    const changed: ({ id: string; changes: FieldChanges; label: string; organisationId: string } & Record<string, unknown>)[] = [];
    for (const item of items) {
      const account = accounts.get(item.accountId);
      const decided = account ? decideBulkChange(target, { ...account, ...places.get(account.id) }, scope) : { refused: 'the account no longer exists.' };
      if ('refused' in decided) outcomes.push({ seq: item.seq, state: 'refused', detail: decided.refused.slice(0, 500) });
      else if ('unchanged' in decided) outcomes.push({ seq: item.seq, state: 'unchanged', detail: null });
      else {
        outcomes.push({ seq: item.seq, state: 'done', detail: null });
        changed.push({ id: account!.id, changes: decided.changes, label: accountLabel(account!), organisationId: account!.organisationId, ...decided.values });
      }
    }

    const now = new Date();
    if (changed.length && target.kind === 'status') {
      const change = target.change;
      const audit = ctx.audit.insertSelected({ action: job.action, reason: reason ?? undefined, jobId }, 5);
      await boundQuery(
        ctx.em,
        numbered(`with v as (select * from jsonb_to_recordset(?::jsonb) as v(id uuid, before text, status text, failed int, changes jsonb, label text, "organisationId" uuid)),
         updated as (
           update account a set status = v.status,
             status_changed_at = case when v.status <> v.before then ?::timestamptz else a.status_changed_at end,
             status_reason = case when v.status <> v.before then ? else a.status_reason end,
             failed_sign_ins = v.failed, updated_at = ?, version = a.version + 1 ${change.alsoSets}
           from v where a.id = v.id and v.status <> 'PURGED' returning a.id
         ),
         -- A deletion where the organisation deletes hard removes the row; its audit event keeps the name and email.
         purged as (delete from account a using v where a.id = v.id and v.status = 'PURGED' returning a.id),
         changed as (select id from updated union all select id from purged),
         ${CHANGED_TARGETS}`) + audit.sql,
        [JSON.stringify(changed), now, reason ?? change.defaultReason, now, ...audit.params],
      );
    }
    if (changed.length && target.kind !== 'status') {
      const audit = ctx.audit.insertSelected({ action: target.change.single.name, reason: reason ?? undefined, jobId }, 2);
      await boundQuery(ctx.em, numbered(placeChangeStatement(target.change.writes)) + audit.sql, [JSON.stringify(changed), ...audit.params]);
    }
    await recordItemOutcomes(ctx.em, jobId, outcomes);
    // Mail goes through the outbox in this same transaction, as the single actions send it: the workers send each
    // row with a link of its own, and the outbox pass sends any whose job was lost.
    if (target.kind === 'status' && target.change.mail)
      await queueMailToMany(
        ctx,
        changed.map((row) => row.id),
        target.change.mail,
      );
    const count = (state: Outcome['state']) => outcomes.filter((o) => o.state === state).length;
    return { claimed: items.length, done: count('done'), refused: count('refused'), unchanged: count('unchanged'), finished: false };
  },
});

/** The accounts a chunk's statement changed (`changed`, of the rows in `v`), as the audit events' targets. */
const CHANGED_TARGETS = `audit_targets as (
  select 'account' as "targetType", v.id::text as "targetId", v.label as "targetLabel", v."organisationId", v.changes from v join changed on changed.id = v.id
)`;

/**
 * A role or group change to a chunk's accounts, with one audit event (the single action's) for each account it
 * changed, in one statement: `writes` makes the change over `v` and returns the IDs of the accounts it changed; the
 * audit's insert follows.
 */
function placeChangeStatement(writes: string): string {
  return `with v as (select * from jsonb_to_recordset(?::jsonb) as v(id uuid, role text, "groupId" uuid, changes jsonb, label text, "organisationId" uuid)),
    changed as (${writes}),
    ${CHANGED_TARGETS} `;
}
