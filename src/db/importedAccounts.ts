import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountStatus } from '../domain/statuses.ts';
import { boundQuery } from './boundQuery.ts';

/** What became of a claimed row its dry run found new: the account it created, or why it created none. */
export interface StagedCreation {
  seq: number;
  /** Null: an account took its email or username meanwhile, or a group it names is gone. */
  accountId: string | null;
  status: AccountStatus | null;
  groupGone: boolean;
}

/**
 * Creates the accounts of an import's claimed rows (`seqs`, each staged as `{ verdict: 'create', candidate, account }`)
 * in one statement, from the rows as the dry run staged them, so they never travel through the worker again: each
 * with the groups its row names (matched by name as the dry run matched them) and its audit event (`audit` writes the
 * events of `audit_targets`, its parameters from the number given); its item goes (the caller counts it on the job).
 * A row whose email or username an account took meanwhile, or that names a group removed since, creates nothing and
 * stays pending for the caller to refuse.
 */
export async function createStagedAccounts(
  em: EntityManager,
  jobId: string,
  seqs: readonly number[],
  facts: { organisationId: string; reason: string; at: Date },
  audit: (firstParam: number) => { sql: string; params: readonly unknown[] },
): Promise<StagedCreation[]> {
  if (seqs.length === 0) return [];
  // Without `on conflict` the accounts go in a fifth faster (no speculative insertion into the unique indexes). An
  // email or username taken since the dry run, which is rare, fails that statement; the chunk then goes in again,
  // skipping the taken ones.
  await boundQuery(em, 'savepoint staged_accounts', []);
  try {
    const created = await insertStagedAccounts(em, jobId, seqs, facts, audit, { skipTaken: false });
    await boundQuery(em, 'release savepoint staged_accounts', []);
    return created;
  } catch (error) {
    if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
    await boundQuery(em, 'rollback to savepoint staged_accounts', []);
    return insertStagedAccounts(em, jobId, seqs, facts, audit, { skipTaken: true });
  }
}

const UNIQUE_VIOLATION = '23505';

function insertStagedAccounts(
  em: EntityManager,
  jobId: string,
  seqs: readonly number[],
  { organisationId, reason, at }: { organisationId: string; reason: string; at: Date },
  audit: (firstParam: number) => { sql: string; params: readonly unknown[] },
  { skipTaken }: { skipTaken: boolean },
): Promise<StagedCreation[]> {
  const params = [jobId, seqs, organisationId, reason, at, Math.min(...seqs), Math.max(...seqs)];
  const audited = audit(params.length + 1);
  const change = (name: string, column: string) => `'${name}', jsonb_build_object('before', null, 'after', i.${column})`;
  // The seq range keeps both the read of this chunk's items and their removal on them. Without it the planner either
  // scanned all the job's items, filtered (statistics from before the dry run staged its rows), or, once they were
  // analyzed, hashed every item of the job to reach 5,000 (200 of 550 ms a chunk of a 200,000-row import).
  return boundQuery<StagedCreation>(
    em,
    `with fresh as (
       select i.seq, gen_random_uuid() as id, i.data->'candidate' as c, i.data->'account' as a
       from bulk_job_item i where i.job_id = $1 and i.seq between $6 and $7 and i.seq = any($2::int[])
     ), named as (
       select f.seq, f.id, g.id as group_id, g.name
       from fresh f cross join lateral jsonb_array_elements_text(coalesce(f.c->'groups', '[]')) as n(name)
       left join account_group g on g.organisation_id = $3 and lower(g.name) = lower(n.name)
     ), inserted as (
       insert into account (id, organisation_id, username, email, first_name, last_name, status, status_reason, status_changed_at, role, auth_source,
         mfa_enrolled, developer_mode, failed_sign_ins, created_at, updated_at, version)
       select f.id, $3, f.a->>'username', f.c->>'email', f.c->>'firstName', f.c->>'lastName', f.a->>'status', $4, $5, f.a->>'role', 'local',
         false, false, 0, $5, $5, 1
       from fresh f where not exists (select 1 from named w where w.seq = f.seq and w.group_id is null)
       ${skipTaken ? 'on conflict do nothing' : ''}
       returning id, organisation_id, email, username, first_name, last_name, role, status, auth_source
     ), joined as (
       insert into membership (account_id, group_id, role, created_at)
       select w.id, w.group_id, 'member', $5 from named w join inserted using (id) on conflict do nothing
     ), applied as (
       delete from bulk_job_item i using fresh f join inserted using (id) where i.job_id = $1 and i.seq between $6 and $7 and i.seq = f.seq
     ), audit_targets as (
       select 'account' as "targetType", i.id::text as "targetId", left(i.first_name || ' ' || i.last_name || ' <' || i.email || '>', 500) as "targetLabel",
         i.organisation_id as "organisationId",
         jsonb_build_object(${change('email', 'email')}, ${change('username', 'username')}, ${change('firstName', 'first_name')},
           ${change('lastName', 'last_name')}, ${change('role', 'role')}, ${change('status', 'status')}, ${change('authSource', 'auth_source')})
         || case when g.names is null then '{}' else jsonb_build_object('groups', jsonb_build_object('before', '[]'::jsonb, 'after', g.names)) end as changes
       from inserted i left join (select id, jsonb_agg(distinct name collate "C" order by name collate "C") as names from named group by id) g using (id)
     ), audited as (${audited.sql})
     select f.seq, ins.id as "accountId", ins.status, exists (select 1 from named w where w.seq = f.seq and w.group_id is null) as "groupGone"
     from fresh f left join inserted ins using (id)`,
    [...params, ...audited.params],
  );
}
