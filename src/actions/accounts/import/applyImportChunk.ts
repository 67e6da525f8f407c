import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { boundQuery } from '../../../db/boundQuery.ts';
import { claimPendingRows, recordItemOutcomes } from '../../../db/bulkJobs.ts';
import type { ImportMatch } from '../../../db/importMatches.ts';
import type { AccountStatus } from '../../../domain/statuses.ts';
import type { FieldChanges } from '../../audit.ts';
import { accountLabel } from '../../auditTargets.ts';
import { defineAction } from '../../action.ts';
import type { ChunkResult } from '../bulk/applyBulkChunk.ts';
import { queueMailToMany } from '../mail.ts';
import { classifyRows, IMPORT_CHECK_BATCH, statusChange, usernameOf } from './classifyImport.ts';
import { fileColumn, type ImportParams, loadImportJob, stagedRow } from './importJob.ts';
import type { ImportCandidate, RowError } from './importRows.ts';
import { errorsDetail } from './stageImportRows.ts';

type Outcome = { seq: number; state: 'created' | 'done' | 'unchanged' | 'refused'; accountId?: string; detail: string | null; data?: Record<string, unknown> };

/** An account a row creates or updates, with the values it has once the row is applied. */
interface ImportedAccount {
  seq: number;
  id: string;
  email: string;
  username: string;
  firstName: string;
  lastName: string;
  role: string;
  status: AccountStatus;
}

interface NewAccount extends ImportedAccount {
  groups: { id: string; name: string }[];
}

interface ChangedAccount extends ImportedAccount {
  failed: number;
  statusChanged: boolean;
  statusReason: string | null;
  /** The groups it ends in, when the row changes them. */
  groups: { id: string; name: string }[] | null;
  changes: FieldChanges;
}

/** Fields a new account's audit event shows, as creating one account does. */
const CREATED_FIELDS = ['email', 'username', 'firstName', 'lastName', 'role', 'status'] as const;

/**
 * Applies an import's next pending rows, as the person who started it (their grant read again for its organisation):
 * a row the dry run found to update is decided again against the account as it is now, locked, and updated or left
 * as it is; a row it found new is created, or refused when an account took its email or username meanwhile (never
 * turned into an update the dry run did not show). Each row is applied entirely or not at all, with one audit event
 * per account created or updated and, when the import sends invitations, one outbox mail per new account, all in this
 * chunk's transaction with the rows' outcomes. A retried chunk finds its rows done; rows other workers hold are skipped.
 */
export const applyImportChunk = defineAction({
  name: 'import-chunk',
  describedAs: 'importing accounts',
  requires: 'admin',
  input: z.object({ jobId: z.uuid(), chunkSize: z.number().int().min(1).max(IMPORT_CHECK_BATCH).default(IMPORT_CHECK_BATCH) }),
  async run(ctx, { jobId, chunkSize }): Promise<ChunkResult> {
    const { job, params } = await loadImportJob(ctx, jobId);
    const nothing = { claimed: 0, done: 0, refused: 0, unchanged: 0, finished: true };
    if (job.cancelRequestedAt || job.finishedAt) return nothing;
    const rows = await claimPendingRows(ctx.em, jobId, chunkSize);
    if (rows.length === 0) return nothing;
    const staged = rows.map((row) => stagedRow(row.data));
    const candidates = staged.map((row) => row.candidate);
    const organisation = { id: params.organisationId, slug: params.organisation };
    // A row the dry run found new is not looked up again: an account that took its email or username since then
    // makes its insert skip it (`on conflict do nothing`), and it is refused below. Apply took 55-63 s for a million
    // new rows when it read their accounts again, 44.5 s without.
    const { verdicts, byEmail, groups } = await classifyRows(ctx.em, ctx.actor.grants, organisation, candidates, {
      lock: true,
      lookUp: (_c, i) => staged[i]!.verdict !== 'create',
    });
    const groupsOf = (c: ImportCandidate) => (c.groups ?? []).map((name) => groups.get(name.toLowerCase())!);

    const outcomes: Outcome[] = [];
    const refuse = (seq: number, problems: RowError[]) => {
      const errors = problems.map(({ column, reason }) => ({ column: fileColumn(params.columnNames ?? {}, column), reason }));
      outcomes.push({ seq, state: 'refused', detail: errorsDetail(errors), data: { errors } });
    };
    const created: NewAccount[] = [];
    const changed: ChangedAccount[] = [];
    verdicts.forEach((verdict, i) => {
      const c = candidates[i]!;
      const seq = rows[i]!.seq;
      if (verdict.outcome === 'invalid') refuse(seq, verdict.errors);
      else if (verdict.outcome === 'unchanged') outcomes.push({ seq, state: 'unchanged', accountId: verdict.accountId, detail: null });
      else if (verdict.outcome === 'create') created.push(newAccount(seq, c, params, groupsOf(c)));
      else changed.push(changedAccount(seq, c, byEmail.get(c.email)!, groupsOf(c)));
    });

    const inserted = await insertAccounts(ctx.em, created, params);
    for (const account of created) {
      if (inserted.has(account.id)) outcomes.push({ seq: account.seq, state: 'created', accountId: account.id, detail: null });
      else
        refuse(account.seq, [
          { row: account.seq, column: 'email', reason: 'an account with this email or username was added meanwhile; import the file again to update it' },
        ]);
    }
    const added = created.filter((account) => inserted.has(account.id));
    await updateAccounts(ctx.em, changed);
    for (const account of changed) outcomes.push({ seq: account.seq, state: 'done', accountId: account.id, detail: null });
    await setMemberships(ctx.em, [...added.filter((account) => account.groups.length > 0), ...changed.filter((account) => account.groups !== null)]);

    const target = (account: { id: string; firstName: string; lastName: string; email: string }) => ({
      type: 'account' as const,
      id: account.id,
      label: accountLabel(account),
      organisationId: organisation.id,
    });
    const reason = `imported from ${params.fileName}`.slice(0, 500);
    await ctx.audit.recordMany({ action: 'import', reason, jobId }, [
      ...added.map((account) => ({ target: target(account), changes: createdChanges(account) })),
      ...changed.map((account) => ({ target: target(account), changes: account.changes })),
    ]);
    await queueMailToMany(
      ctx,
      added.filter((account) => account.status === 'INVITED').map((account) => account.id),
      'invitation',
    );
    await recordItemOutcomes(ctx.em, jobId, outcomes);
    const count = (...states: Outcome['state'][]) => outcomes.filter((o) => states.includes(o.state)).length;
    return { claimed: rows.length, done: count('created', 'done'), refused: count('refused'), unchanged: count('unchanged'), finished: false };
  },
});

/** A new account starts invited when the import sends invitations, staged when not, and deactivated when the file blocks it. */
function newAccount(seq: number, c: ImportCandidate, params: ImportParams, groups: { id: string; name: string }[]): NewAccount {
  const status: AccountStatus = c.status === 'DEACTIVATED' ? 'DEACTIVATED' : params.sendInvitations ? 'INVITED' : 'STAGED';
  return {
    seq,
    id: randomUUID(),
    email: c.email,
    username: usernameOf(c),
    firstName: c.firstName,
    lastName: c.lastName,
    role: c.role ?? 'user',
    status,
    groups,
  };
}

function changedAccount(seq: number, c: ImportCandidate, account: ImportMatch, groups: { id: string; name: string }[]): ChangedAccount {
  const moved = c.status !== undefined && c.status !== account.status ? statusChange(c.status, account) : undefined;
  // A status the status machine refuses made the row invalid when it was classified, so here it moves.
  const status = moved && 'to' in moved ? moved : undefined;
  const after = {
    firstName: c.firstName,
    lastName: c.lastName,
    username: c.username ?? account.username,
    role: c.role ?? account.role,
    status: status?.to ?? account.status,
    failedSignIns: status?.failedSignIns ?? account.failedSignIns,
  };
  const changes: FieldChanges = {};
  for (const field of Object.keys(after) as (keyof typeof after)[]) {
    if (after[field] !== account[field]) changes[field] = { before: account[field], after: after[field] };
  }
  const names = groups.map((group) => group.name).sort();
  const groupsChange = c.groups !== undefined && names.join('\n') !== account.groups.join('\n');
  if (groupsChange) changes.groups = { before: account.groups, after: names };
  return {
    seq,
    id: account.id,
    email: account.email,
    ...after,
    failed: after.failedSignIns,
    statusChanged: status !== undefined,
    statusReason: status ? (status.change.defaultReason ?? 'imported') : null,
    groups: groupsChange ? groups : null,
    changes,
  };
}

function createdChanges(account: NewAccount): FieldChanges {
  const changes: FieldChanges = Object.fromEntries(CREATED_FIELDS.map((field) => [field, { before: null, after: account[field] }]));
  changes.authSource = { before: null, after: 'local' };
  if (account.groups.length) changes.groups = { before: [], after: account.groups.map((group) => group.name).sort() };
  return changes;
}

/** Inserts the new accounts in one statement; one whose email or username was taken meanwhile is skipped. Returns the ids inserted. */
async function insertAccounts(em: EntityManager, accounts: readonly NewAccount[], params: ImportParams): Promise<Set<string>> {
  if (accounts.length === 0) return new Set();
  const now = new Date();
  const rows = await boundQuery<{ id: string }>(
    em,
    `insert into account (id, organisation_id, username, email, first_name, last_name, status, status_reason, status_changed_at, role, auth_source,
       mfa_enrolled, developer_mode, failed_sign_ins, created_at, updated_at, version)
     select v.id, $1::uuid, v.username, v.email, v."firstName", v."lastName", v.status, $2, $3, v.role, 'local', false, false, 0, $3, $3, 1
     from jsonb_to_recordset($4::jsonb) as v(id uuid, username text, email text, "firstName" text, "lastName" text, status text, role text)
     on conflict do nothing returning id`,
    [params.organisationId, `imported from ${params.fileName}`.slice(0, 500), now, JSON.stringify(accounts)],
  );
  return new Set(rows.map((row) => row.id));
}

/** Updates the changed accounts in one statement (they are locked: the classification read them `for update`). */
async function updateAccounts(em: EntityManager, accounts: readonly ChangedAccount[]): Promise<void> {
  if (accounts.length === 0) return;
  const now = new Date();
  await boundQuery(
    em,
    `update account a set first_name = v."firstName", last_name = v."lastName", username = v.username, role = v.role, status = v.status,
       failed_sign_ins = v.failed,
       status_changed_at = case when v."statusChanged" then $1::timestamptz else a.status_changed_at end,
       status_reason = case when v."statusChanged" then v."statusReason" else a.status_reason end,
       suspended_until = case when v."statusChanged" then null else a.suspended_until end,
       updated_at = $1, version = a.version + 1
     from jsonb_to_recordset($2::jsonb) as v(id uuid, "firstName" text, "lastName" text, username text, role text, status text, failed int,
       "statusChanged" boolean, "statusReason" text)
     where a.id = v.id`,
    [now, JSON.stringify(accounts)],
  );
}

/** Each account ends in exactly the groups its row names: memberships it should not have go, missing ones are added as member. */
async function setMemberships(em: EntityManager, accounts: readonly { id: string; groups: { id: string }[] | null }[]): Promise<void> {
  if (accounts.length === 0) return;
  const wanted = JSON.stringify(accounts.map((account) => ({ id: account.id, groups: (account.groups ?? []).map((group) => group.id) })));
  await em.execute(
    `delete from membership m using jsonb_to_recordset(?::jsonb) as v(id uuid, groups jsonb)
     where m.account_id = v.id and not exists (select 1 from jsonb_array_elements_text(v.groups) g where g::uuid = m.group_id)`,
    [wanted],
  );
  await em.execute(
    `insert into membership (account_id, group_id, role, created_at)
     select v.id, g::uuid, 'member', ? from jsonb_to_recordset(?::jsonb) as v(id uuid, groups jsonb), jsonb_array_elements_text(v.groups) g
     on conflict do nothing`,
    [new Date(), wanted],
  );
}
