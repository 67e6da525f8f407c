import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { defineAction, runAction, type ActionServices } from '../action.ts';
import type { Actor } from '../actor.ts';
import { notDeleted } from '../../db/notDeleted.ts';

/** Accounts suspended per transaction: short row locks, and a crash loses at most one batch's work (then redone). */
export const SWEEP_BATCH_SIZE = 5000;

export interface SweepResult {
  dryRun: boolean;
  suspended: number;
  byOrganisation: { slug: string; inactivityDays: number; count: number }[];
}

// ACTIVE accounts whose last sign-in (or creation, if they never signed in) is older than their organisation's
// inactivity period. The same predicate serves the count (dry run) and the update; notDeleted matches the partial
// index account_inactivity_sweep.
const STALE = `a.organisation_id = o.id and ${notDeleted('a')} and a.status = 'ACTIVE'
  and coalesce(a.last_sign_in_at, a.created_at) < ?::timestamptz - make_interval(days => o.inactivity_days)`;

/**
 * Suspends up to `batchSize` inactive accounts in set-based SQL, each with its audit event written by the same
 * statement. Running it again changes nothing: the suspended accounts are no longer ACTIVE.
 */
export const sweepInactiveAccounts = defineAction({
  name: 'sweep',
  describedAs: 'running the inactivity sweep',
  requires: 'owner',
  scope: 'platform',
  input: z.object({
    dryRun: z.boolean().default(false),
    jobId: z.string().max(128).optional(),
    batchSize: z.number().int().min(1).max(100_000).default(SWEEP_BATCH_SIZE),
  }),
  async run(ctx, { dryRun, jobId, batchSize }): Promise<SweepResult> {
    const grant = ctx.grant!;
    const now = new Date();
    const rows = dryRun
      ? await ctx.em.execute<{ slug: string; inactivity_days: number; count: string }[]>(
          `select o.slug, o.inactivity_days, count(*) from account a, organisation o where ${STALE}
           group by o.slug, o.inactivity_days order by o.slug`,
          [now],
        )
      : await ctx.em.execute<{ slug: string; inactivity_days: number; count: string }[]>(
          `with swept as (
             update account a set status = 'SUSPENDED', status_reason = 'no sign-in for ' || o.inactivity_days || ' days',
               status_changed_at = ?, updated_at = ?, version = a.version + 1
             from organisation o
             where a.organisation_id = o.id
               and a.id in (select a.id from account a, organisation o where ${STALE} limit ? for update of a skip locked)
             returning a.id, a.first_name, a.last_name, a.email, a.organisation_id, o.slug, o.inactivity_days
           ), audited as (
             insert into audit_event (at, actor_type, actor_id, actor_role, actor_grant_organisation_id, action, outcome,
               target_type, target_id, target_label, organisation_id, changes, reason, job_id)
             select ?, ?, ?, ?, ?::uuid, 'inactivity-suspend', 'done', 'account', id::text,
               first_name || ' ' || last_name || ' <' || email || '>', organisation_id,
               '{"status":{"before":"ACTIVE","after":"SUSPENDED"}}'::jsonb, 'no sign-in for ' || inactivity_days || ' days', ?
             from swept
           )
           select slug, inactivity_days, count(*) from swept group by slug, inactivity_days order by slug`,
          [now, now, now, batchSize, now, ctx.actor.kind, ctx.actor.id, grant.role, grant.organisationId, jobId ?? null],
        );
    const byOrganisation = rows.map((row) => ({ slug: row.slug, inactivityDays: row.inactivity_days, count: Number(row.count) }));
    return { dryRun, suspended: byOrganisation.reduce((sum, org) => sum + org.count, 0), byOrganisation };
  },
});

/**
 * Batches the sweep runs side by side, each in a transaction of its own on a connection of its own: one UPDATE keeps
 * one database core busy (PostgreSQL runs no UPDATE in parallel), so the second doubles what a sweep gets done while
 * its row locks, skipped by the other, keep the two apart.
 */
export const SWEEP_BATCHES_AT_ONCE = 2;

/** The whole sweep: batches of SWEEP_BATCH_SIZE, each its own transaction, until every line of batches comes back short. */
export async function sweepAllInactiveAccounts(
  services: ActionServices,
  actor: Actor,
  options: { dryRun: boolean; jobId?: string; batchSize?: number },
): Promise<SweepResult> {
  const batchSize = options.batchSize ?? SWEEP_BATCH_SIZE;
  const total: SweepResult = { dryRun: options.dryRun, suspended: 0, byOrganisation: [] };
  const lineOfBatches = async () => {
    for (;;) {
      const batch = await runAction(services, sweepInactiveAccounts, actor, { ...options, batchSize });
      total.suspended += batch.suspended;
      for (const org of batch.byOrganisation) {
        const seen = total.byOrganisation.find((o) => o.slug === org.slug);
        if (seen) seen.count += org.count;
        else total.byOrganisation.push({ ...org });
      }
      if (options.dryRun || batch.suspended < batchSize) return;
    }
  };
  // A dry run counts once; every line waits for the others, so a failure is reported once the sweep has stopped.
  const lines = await Promise.allSettled(Array.from({ length: options.dryRun ? 1 : SWEEP_BATCHES_AT_ONCE }, lineOfBatches));
  const failed = lines.find((line) => line.status === 'rejected');
  if (failed) throw failed.reason;
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
