import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { boundQuery } from '../../../db/boundQuery.ts';
import { claimPendingRows, countCreatedRows, recordItemOutcomes } from '../../../db/bulkJobs.ts';
import { createStagedAccounts } from '../../../db/importedAccounts.ts';
import type { ImportMatch } from '../../../db/importMatches.ts';
import type { AccountStatus } from '../../../domain/statuses.ts';
import type { FieldChanges } from '../../audit.ts';
import { accountLabel } from '../../auditTargets.ts';
import { type ActionContext, defineAction } from '../../action.ts';
import type { ChunkResult } from '../bulk/applyBulkChunk.ts';
import { queueMailToMany } from '../mail.ts';
import { classifyRows, IMPORT_CHECK_BATCH, statusChange } from './classifyImport.ts';
import { fileColumn, type ImportParams, loadImportJob, stagedRow } from './importJob.ts';
import type { ImportCandidate, RowError } from './importRows.ts';
import { errorsDetail } from './stageImportRows.ts';

type Outcome = { seq: number; state: 'done' | 'unchanged' | 'refused'; accountId?: string; detail: string | null; data?: Record<string, unknown> };

interface ChangedAccount {
  seq: number;
  id: string;
  email: string;
  username: string;
  firstName: string;
  lastName: string;
  role: string;
  status: AccountStatus;
  failed: number;
  statusChanged: boolean;
  statusReason: string | null;
  /** The groups it ends in, when the row changes them. */
  groups: { id: string; name: string }[] | null;
  changes: FieldChanges;
}

type Refuse = (seq: number, problems: readonly Pick<RowError, 'column' | 'reason'>[]) => void;

/**
 * Applies an import's next pending rows, as the person who started it (their grant read again for its organisation).
 * The rows the dry run found new are created straight from what it staged, in one statement for the chunk, or refused
 * when an account took its email or username meanwhile (never turned into an update the dry run did not show). A row
 * it found to update is decided again against the account as it is now, locked, and updated or left as it is. Each
 * row is applied entirely or not at all, with one audit event per account created or updated and, when the import
 * sends invitations, one outbox mail per new account, all in this chunk's transaction with the rows' outcomes. A
 * retried chunk finds its rows done; rows other workers hold are skipped.
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
    const outcomes: Outcome[] = [];
    const refuse: Refuse = (seq, problems) => {
      const errors = problems.map(({ column, reason }) => ({ column: fileColumn(params.columnNames ?? {}, column), reason }));
      outcomes.push({ seq, state: 'refused', detail: errorsDetail(errors), data: { errors } });
    };
    const reason = `imported from ${params.fileName}`.slice(0, 500);
    const created = await createStagedRows(
      ctx,
      params,
      jobId,
      reason,
      rows.filter((row) => row.data === null).map((row) => row.seq),
      refuse,
    );
    const updated = await applyStagedUpdates(
      ctx,
      params,
      jobId,
      reason,
      rows.filter((row) => row.data !== null),
      refuse,
      outcomes,
    );
    await recordItemOutcomes(ctx.em, jobId, outcomes);
    const count = (state: Outcome['state']) => outcomes.filter((o) => o.state === state).length;
    return { claimed: rows.length, done: created + updated, refused: count('refused'), unchanged: count('unchanged'), finished: false };
  },
});

/** The claimed rows the dry run found new, created as it staged them, each audited (and invited); returns how many. */
async function createStagedRows(
  ctx: ActionContext,
  params: ImportParams,
  jobId: string,
  reason: string,
  seqs: readonly number[],
  refuse: Refuse,
): Promise<number> {
  const rows = await createStagedAccounts(ctx.em, jobId, seqs, { organisationId: params.organisationId, reason, at: new Date() }, (firstParam) =>
    ctx.audit.insertSelected({ action: 'import', reason, jobId }, firstParam),
  );
  const added: string[] = [];
  const invited: string[] = [];
  for (const row of rows) {
    if (row.groupGone) refuse(row.seq, [{ column: 'groups', reason: 'names a group that was removed meanwhile; import the file again' }]);
    else if (row.accountId === null)
      refuse(row.seq, [{ column: 'email', reason: 'an account with this email or username was added meanwhile; import the file again to update it' }]);
    else {
      added.push(row.accountId);
      if (row.status === 'INVITED') invited.push(row.accountId);
    }
  }
  await countCreatedRows(ctx.em, jobId, added.length);
  await queueMailToMany(ctx, invited, 'invitation');
  return added.length;
}

/**
 * The claimed rows the dry run found to update, decided again against their accounts, locked: each updated, left as
 * it is, or refused. Returns how many accounts it updated.
 */
async function applyStagedUpdates(
  ctx: ActionContext,
  params: ImportParams,
  jobId: string,
  reason: string,
  rows: readonly { seq: number; data: Record<string, unknown> | null }[],
  refuse: Refuse,
  outcomes: Outcome[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const candidates = rows.map((row) => stagedRow(row.data!).candidate);
  const organisation = { id: params.organisationId, slug: params.organisation };
  const { verdicts, byEmail, groups } = await classifyRows(ctx.em, ctx.actor.grants, organisation, candidates, { lock: true });
  const groupsOf = (c: ImportCandidate) => (c.groups ?? []).map((name) => groups.get(name.toLowerCase())!);
  const changed: ChangedAccount[] = [];
  verdicts.forEach((verdict, i) => {
    const c = candidates[i]!;
    const seq = rows[i]!.seq;
    if (verdict.outcome === 'invalid') refuse(seq, verdict.errors);
    else if (verdict.outcome === 'unchanged') outcomes.push({ seq, state: 'unchanged', accountId: verdict.accountId, detail: null });
    else if (verdict.outcome === 'create') refuse(seq, [{ column: 'email', reason: 'its account was removed meanwhile; import the file again to create it' }]);
    else changed.push(changedAccount(seq, c, byEmail.get(c.email)!, groupsOf(c)));
  });
  await updateAccounts(ctx.em, changed);
  for (const account of changed) outcomes.push({ seq: account.seq, state: 'done', accountId: account.id, detail: null });
  await setMemberships(
    ctx.em,
    changed.filter((account) => account.groups !== null),
  );
  await ctx.audit.recordMany(
    { action: 'import', reason, jobId },
    changed.map((account) => ({
      target: { type: 'account' as const, id: account.id, label: accountLabel(account), organisationId: params.organisationId },
      changes: account.changes,
    })),
  );
  return changed.length;
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
