import { z } from 'zod';
import { defineAction } from './action.ts';

export interface SweepResult {
  dryRun: boolean;
  suspended: number;
  byOrganisation: { slug: string; inactivityDays: number; count: number }[];
}

// ACTIVE accounts whose last sign-in (or creation, if they never signed in) is older than their organisation's
// inactivity period. The same predicate serves the count (dry run) and the update, and matches the partial index
// account_inactivity_sweep.
const STALE = `a.organisation_id = o.id and a.status = 'ACTIVE'
  and coalesce(a.last_sign_in_at, a.created_at) < ?::timestamptz - make_interval(days => o.inactivity_days)`;

/**
 * Suspends inactive accounts in set-based SQL, each with its audit event written by the same statement.
 * Running it again changes nothing: the suspended accounts are no longer ACTIVE.
 */
export const sweepInactiveAccounts = defineAction({
  name: 'sweep',
  describedAs: 'running the inactivity sweep',
  requires: 'owner',
  input: z.object({ dryRun: z.boolean().default(false), jobId: z.string().max(128).optional() }),
  async run(ctx, { dryRun, jobId }): Promise<SweepResult> {
    const grant = ctx.authorize(null);
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
             from organisation o where ${STALE}
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
          [now, now, now, now, ctx.actor.kind, ctx.actor.id, grant.role, grant.organisationId, jobId ?? null],
        );
    const byOrganisation = rows.map((row) => ({ slug: row.slug, inactivityDays: row.inactivity_days, count: Number(row.count) }));
    return { dryRun, suspended: byOrganisation.reduce((sum, org) => sum + org.count, 0), byOrganisation };
  },
});
