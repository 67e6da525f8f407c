import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { defineAction, runAction, type ActionServices } from '../action.ts';
import type { Actor } from '../actor.ts';
import { boundQuery, numbered } from '../../db/boundQuery.ts';
import { Organisation } from '../../db/entities/index.ts';
import { notDeleted } from '../../db/notDeleted.ts';

/** Accounts suspended per transaction: short row locks, and a crash loses at most one batch's work (then redone). */
export const SWEEP_BATCH_SIZE = 5000;

export interface SweepResult {
  dryRun: boolean;
  suspended: number;
  byOrganisation: { slug: string; inactivityDays: number; count: number }[];
}

// ACTIVE accounts whose last sign-in (or creation, if they never signed in) is older than their organisation's
// inactivity period, and that became ACTIVE before it too: one unlocked or reactivated since gets a whole period to
// sign in. The dry run counts them with this predicate; notDeleted matches the partial index account_inactivity_sweep,
// which holds the sign-in only (the status change is checked on the rows it finds, so changing a status keeps
// updating no index).
const STALE = `a.organisation_id = o.id and ${notDeleted('a')} and a.status = 'ACTIVE'
  and coalesce(a.last_sign_in_at, a.created_at) < ?::timestamptz - make_interval(days => o.inactivity_days)
  and a.status_changed_at < ?::timestamptz - make_interval(days => o.inactivity_days)`;

/** The key of account_inactivity_sweep within an organisation: batches walk it in order. */
const SWEEP_KEY = 'coalesce(a.last_sign_in_at, a.created_at)';

/** Where a line of batches has got to in one organisation's stale accounts: the last one it took, by SWEEP_KEY and id. */
const sweepCursor = z.object({ at: z.string().max(64), id: z.uuid() });
type SweepCursor = z.infer<typeof sweepCursor>;

/**
 * Suspends up to `batchSize` inactive accounts of one organisation, the next after `after` in the sweep index's order,
 * in set-based SQL, each with its audit event written by the same statement; returns where it stopped. Running it
 * again changes nothing: the suspended accounts are no longer ACTIVE. A dry run counts every organisation's at once.
 */
export const sweepInactiveAccounts = defineAction({
  name: 'sweep',
  describedAs: 'running the inactivity sweep',
  requires: 'owner',
  scope: 'platform',
  input: z
    .object({
      dryRun: z.boolean().default(false),
      jobId: z.string().max(128).optional(),
      batchSize: z.number().int().min(1).max(100_000).default(SWEEP_BATCH_SIZE),
      organisationId: z.uuid().optional(),
      after: sweepCursor.optional(),
    })
    .refine((input) => input.dryRun || input.organisationId !== undefined, {
      message: 'a sweep batch names its organisation (only a dry run covers them all).',
      path: ['organisationId'],
    }),
  async run(ctx, { dryRun, jobId, batchSize, organisationId, after }): Promise<SweepResult & { last?: SweepCursor }> {
    const now = new Date();
    if (dryRun || organisationId === undefined) {
      const rows = await ctx.em.execute<{ slug: string; inactivity_days: number; count: string }[]>(
        `select o.slug, o.inactivity_days, count(*) from account a, organisation o where ${STALE}
         group by o.slug, o.inactivity_days order by o.slug`,
        [now, now],
      );
      const byOrganisation = rows.map((row) => ({ slug: row.slug, inactivityDays: row.inactivity_days, count: Number(row.count) }));
      return { dryRun: true, suspended: byOrganisation.reduce((sum, org) => sum + org.count, 0), byOrganisation };
    }
    const organisation = await ctx.em.findOneOrFail(Organisation, { id: organisationId });
    const reason = `no sign-in for ${organisation.inactivityDays} days`;
    // The cutoff is one value for the organisation, so the index is read as one range, in order, from the cursor on:
    // each batch reads the accounts after the last one taken, not again those that batches before it suspended.
    const params: unknown[] = [
      organisationId,
      now,
      organisation.inactivityDays,
      now,
      organisation.inactivityDays,
      ...(after ? [after.at, after.id] : []),
      batchSize,
      reason,
      now,
      now,
    ];
    const audited = ctx.audit.insertSelected({ action: 'inactivity-suspend', reason, jobId }, params.length + 1);
    const rows = await boundQuery<{ count: string; last_at: string; last_id: string }>(
      ctx.em,
      `${numbered(`with picked as materialized (
         select a.id, ${SWEEP_KEY} as at from account a
         where a.organisation_id = ? and ${notDeleted('a')} and a.status = 'ACTIVE'
           and ${SWEEP_KEY} < ?::timestamptz - make_interval(days => ?)
           and a.status_changed_at < ?::timestamptz - make_interval(days => ?)
           ${after ? `and (${SWEEP_KEY}, a.id) > (?::timestamptz, ?::uuid)` : ''}
         order by ${SWEEP_KEY}, a.id limit ? for update of a skip locked
       ), swept as (
         update account a set status = 'SUSPENDED', status_reason = ?, status_changed_at = ?, updated_at = ?, version = a.version + 1
         where a.id in (select id from picked)
         returning a.id, a.first_name, a.last_name, a.email, a.organisation_id
       ), audit_targets as (
         select 'account' as "targetType", id::text as "targetId", left(first_name || ' ' || last_name || ' <' || email || '>', 500) as "targetLabel",
           organisation_id as "organisationId", '{"status":{"before":"ACTIVE","after":"SUSPENDED"}}'::jsonb as changes
         from swept
       ),`)} audited as (${audited.sql}),
       last as (select at::text as last_at, id as last_id from picked order by at desc, id desc limit 1)
       select count(*), last.last_at, last.last_id from swept, last group by last.last_at, last.last_id`,
      [...params, ...audited.params],
    );
    const count = Number(rows[0]?.count ?? 0);
    const byOrganisation = count > 0 ? [{ slug: organisation.slug, inactivityDays: organisation.inactivityDays, count }] : [];
    const last = rows[0] ? { at: rows[0].last_at, id: rows[0].last_id } : undefined;
    return { dryRun: false, suspended: byOrganisation.reduce((sum, org) => sum + org.count, 0), byOrganisation, last };
  },
});

/**
 * Batches the sweep runs side by side, each in a transaction of its own on a connection of its own: one UPDATE keeps
 * one database core busy (PostgreSQL runs no UPDATE in parallel), so the second doubles what a sweep gets done while
 * its row locks, skipped by the other, keep the two apart.
 */
export const SWEEP_BATCHES_AT_ONCE = 2;

/**
 * The whole sweep, one organisation after another: batches of SWEEP_BATCH_SIZE, each its own transaction, on
 * SWEEP_BATCHES_AT_ONCE lines, each line going on from where its last batch stopped, until every line comes back short.
 */
export async function sweepAllInactiveAccounts(
  services: ActionServices,
  actor: Actor,
  options: { dryRun: boolean; jobId?: string; batchSize?: number },
): Promise<SweepResult> {
  if (options.dryRun) return runAction(services, sweepInactiveAccounts, actor, { dryRun: true });
  const batchSize = options.batchSize ?? SWEEP_BATCH_SIZE;
  const total: SweepResult = { dryRun: false, suspended: 0, byOrganisation: [] };
  const organisations = await services.orm.em.fork().execute<{ id: string }[]>('select id from organisation order by slug');
  for (const { id: organisationId } of organisations) {
    const lineOfBatches = async () => {
      let after: SweepCursor | undefined;
      for (;;) {
        const batch = await runAction(services, sweepInactiveAccounts, actor, { jobId: options.jobId, batchSize, organisationId, after });
        total.suspended += batch.suspended;
        for (const org of batch.byOrganisation) {
          const seen = total.byOrganisation.find((o) => o.slug === org.slug);
          if (seen) seen.count += org.count;
          else total.byOrganisation.push({ ...org });
        }
        if (batch.suspended < batchSize || !batch.last) return;
        after = batch.last;
      }
    };
    // Every line waits for the others, so a failure is reported once the sweep has stopped.
    const lines = await Promise.allSettled(Array.from({ length: SWEEP_BATCHES_AT_ONCE }, lineOfBatches));
    const failed = lines.find((line) => line.status === 'rejected');
    if (failed) throw failed.reason;
  }
  total.byOrganisation.sort((a, b) => (a.slug < b.slug ? -1 : 1));
  return total;
}

/**
 * What a sweep job suspended, read back from its audit rows: right even when the job was retried after a crash
 * (the retry finds those accounts already SUSPENDED and suspends none itself).
 */
export async function sweptByJob(em: EntityManager, jobId: string): Promise<SweepResult> {
  const rows = await em.execute<{ slug: string; inactivity_days: number; count: string }[]>(
    `select o.slug, o.inactivity_days, count(*) from audit_event e join organisation o on o.id = e.organisation_id
     where e.job_id = ? and e.action = 'inactivity-suspend' and e.outcome = 'done'
     group by o.slug, o.inactivity_days order by o.slug`,
    [jobId],
  );
  const byOrganisation = rows.map((row) => ({ slug: row.slug, inactivityDays: row.inactivity_days, count: Number(row.count) }));
  return { dryRun: false, suspended: byOrganisation.reduce((sum, org) => sum + org.count, 0), byOrganisation };
}
