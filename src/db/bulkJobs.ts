import type { EntityManager } from '@mikro-orm/postgresql';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { boundQuery, numbered } from './boundQuery.ts';
import type { BULK_JOB_STATES } from './entities/BulkJob.ts';
import type { AccountRole, GroupRole } from '../domain/accounts.ts';
import type { AccountStatus } from '../domain/statuses.ts';

/** A WHERE clause over `account a`, with its parameters (`?` placeholders), that selects the accounts of a job. */
export interface SqlWhere {
  sql: string;
  params: unknown[];
}

/** Lists the selected accounts as the job's items, in a stable order, in one statement; returns how many. */
export async function listJobItems(em: EntityManager, jobId: string, where: SqlWhere): Promise<number> {
  const [row] = await em.execute<{ total: string }[]>(
    `with listed as (
       insert into bulk_job_item (job_id, seq, account_id, state)
       select ?, row_number() over (order by a.id), a.id, 'pending' from account a where ${where.sql}
       returning 1
     ) select count(*) as total from listed`,
    [jobId, ...where.params],
  );
  return Number(row?.total ?? 0);
}

export interface ClaimedItem {
  seq: number;
  accountId: string;
}

/** A pending row of an import, with what its dry run staged when that was an update (a new account's row is created in the database from its staged data). */
interface ClaimedRow {
  seq: number;
  data: Record<string, unknown> | null;
}

/** Up to `limit` pending items of the job, locked for this transaction; items another worker holds are skipped. */
export function claimPendingItems(em: EntityManager, jobId: string, limit: number): Promise<ClaimedItem[]> {
  return claimPending<ClaimedItem>(em, jobId, limit, 'account_id as "accountId"');
}

/** The same for an import's rows, with what its dry run staged for each row that updates an account. */
export function claimPendingRows(em: EntityManager, jobId: string, limit: number): Promise<ClaimedRow[]> {
  return claimPending<ClaimedRow>(em, jobId, limit, `case when data->>'verdict' = 'create' then null else data end as data`);
}

function claimPending<T>(em: EntityManager, jobId: string, limit: number, columns: string): Promise<T[]> {
  return boundQuery<T>(em, `select seq, ${columns} from bulk_job_item where job_id = $1 and state = 'pending' order by seq limit $2 for update skip locked`, [
    jobId,
    limit,
  ]);
}

export interface StagedItem {
  seq: number;
  state: 'pending' | 'refused' | 'unchanged';
  accountId: string | null;
  data: Record<string, unknown>;
  detail: string | null;
}

/**
 * Adds items to a job by COPY, on a connection of its own, while the job is in `whileState`, which a shared lock on it
 * holds until they are in: false, and nothing added, once it is not. Bound as one jsonb parameter a batch, a million
 * import rows took the database 14 s to parse and insert; copied, 6.7 s. COPY skips nothing: each item goes in once.
 */
export async function copyJobItems(
  em: EntityManager,
  jobId: string,
  whileState: (typeof BULK_JOB_STATES)[number],
  items: readonly StagedItem[],
): Promise<boolean> {
  const client = await (await em.getConnection().getNativeClient()).connect();
  let clean = false;
  try {
    await client.query('begin');
    const { rows } = await client.query<{ state: string }>('select state from bulk_job where id = $1 for share', [jobId]);
    const staging = rows[0]?.state === whileState;
    if (staging && items.length > 0) {
      const lines = items.map(
        (item) =>
          `${jobId}\t${item.seq}\t${item.accountId ?? '\\N'}\t${item.state}\t${copyText(JSON.stringify(item.data))}\t${item.detail === null ? '\\N' : copyText(item.detail)}\n`,
      );
      await pipeline(Readable.from([lines.join('')]), client.query(copyFrom('copy bulk_job_item (job_id, seq, account_id, state, data, detail) from stdin')));
    }
    await client.query(staging ? 'commit' : 'rollback');
    clean = true;
    return staging;
  } finally {
    // A connection left in a failed COPY or transaction cannot serve anyone else.
    client.release(!clean);
  }
}

/** A field as COPY's text format reads it. */
function copyText(value: string): string {
  return value.replace(/[\\\n\r\t]/g, (character) => COPY_ESCAPES[character]!);
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Updates items' outcomes in one statement. An import row's staged data goes once the row is applied (nothing reads it
 * again, and the rewritten row is a fraction of the size); a refused row keeps it, or the errors that say why it failed.
 */
export async function recordItemOutcomes(
  em: EntityManager,
  jobId: string,
  outcomes: readonly { seq: number; state: string; accountId?: string | null; detail: string | null; data?: Record<string, unknown> }[],
): Promise<void> {
  if (outcomes.length === 0) return;
  const seqs = outcomes.map((outcome) => outcome.seq);
  // The seq range keeps the update on this chunk's items whatever the statistics say: just after a job listed its
  // items the planner believed the job had none and hashed all of them for every chunk (18 of 21 ms at 100,000 items).
  await boundQuery(
    em,
    `update bulk_job_item i set state = o.state, detail = o.detail, account_id = coalesce(o."accountId", i.account_id), data = case when o.state = 'refused' then coalesce(o.data, i.data) end
     from jsonb_to_recordset($1::jsonb) as o(seq int, state text, detail text, "accountId" uuid, data jsonb)
     where i.job_id = $2 and i.seq between $3 and $4 and i.seq = o.seq`,
    [JSON.stringify(outcomes), jobId, Math.min(...seqs), Math.max(...seqs)],
  );
}

/** Counts import rows that created their accounts (and left the items) on their job, in the chunk's transaction. */
export async function countCreatedRows(em: EntityManager, jobId: string, created: number): Promise<void> {
  if (created > 0) await em.execute(`update bulk_job set created = created + ? where id = ?`, [created, jobId]);
}

/** How many of an import's pending rows its dry run found would create an account, and how many would update one. */
export async function pendingVerdicts(em: EntityManager, jobId: string): Promise<{ create: number; update: number; deactivate: number }> {
  const [row] = await em.execute<{ create: string; update: string; deactivate: string }[]>(
    `select count(*) filter (where i.data->>'verdict' = 'create') as create, count(*) filter (where i.data->>'verdict' = 'update') as update,
       count(*) filter (where i.data->>'verdict' = 'update' and i.data->'candidate'->>'status' = 'DEACTIVATED' and a.status <> 'DEACTIVATED') as deactivate
     from bulk_job_item i left join account a on a.id = i.account_id where i.job_id = ? and i.state = 'pending'`,
    [jobId],
  );
  return { create: Number(row?.create ?? 0), update: Number(row?.update ?? 0), deactivate: Number(row?.deactivate ?? 0) };
}

/**
 * Samples the items table again for the planner. Statistics taken before a dry run staged a million rows say the job has
 * a handful, and Apply's statements then join a chunk's rows pair by pair (a 5,000-row chunk of a 20,000-row import
 * took 7 s so) or read every item of the job to find the chunk's.
 */
export async function refreshItemStatistics(em: EntityManager): Promise<void> {
  await em.execute('analyze bulk_job_item');
}

/** Forgets a job's items: an import discarded before it was applied leaves nothing of its file behind. */
export async function discardJobItems(em: EntityManager, jobId: string): Promise<void> {
  await em.execute(`delete from bulk_job_item where job_id = ?`, [jobId]);
}

export interface BulkAccountRow {
  id: string;
  status: AccountStatus;
  authSource: 'local' | 'sso';
  hasSignedIn: boolean;
  failedSignIns: number;
  passwordTemporary: boolean;
  mfaEnrolled: boolean;
  firstName: string;
  lastName: string;
  email: string;
  organisationId: string;
  deletionPolicy: 'soft' | 'hard' | 'never';
  lockoutThreshold: number;
  ownsGroups: boolean;
}

/** The claimed accounts as the status machine needs them, locked until the transaction ends. */
export function lockAccountsForBulk(em: EntityManager, accountIds: readonly string[]): Promise<BulkAccountRow[]> {
  return boundQuery<BulkAccountRow>(
    em,
    `select a.id, a.status, a.auth_source as "authSource", a.last_sign_in_at is not null as "hasSignedIn",
       a.failed_sign_ins as "failedSignIns", a.password_temporary as "passwordTemporary", a.mfa_enrolled as "mfaEnrolled", a.first_name as "firstName",
       a.last_name as "lastName", a.email, a.organisation_id as "organisationId", o.deletion_policy as "deletionPolicy",
       o.lockout_threshold as "lockoutThreshold", exists (select 1 from account_group g where g.owner_id = a.id) as "ownsGroups"
     from account a join organisation o on o.id = a.organisation_id
     where a.id = any($1::uuid[]) order by a.id for update of a`,
    [accountIds],
  );
}

/** Whether any of the job's items is still pending (locked by a runner or not). */
export async function hasPendingItems(em: EntityManager, jobId: string): Promise<boolean> {
  const [row] = await em.execute<{ pending: boolean }[]>(`select exists (select 1 from bulk_job_item where job_id = ? and state = 'pending') as pending`, [
    jobId,
  ]);
  return row?.pending === true;
}

export interface JobCounts {
  pending: number;
  created: number;
  done: number;
  refused: number;
  unchanged: number;
}

/** A job's items by outcome; `created`, the import rows that made their account, from the job's own count. */
export async function jobCounts(em: EntityManager, jobId: string): Promise<JobCounts> {
  const rows = await em.execute<{ state: keyof JobCounts; n: string }[]>(
    `select state, count(*) as n from bulk_job_item where job_id = ? group by state union all select 'created', created from bulk_job where id = ?`,
    [jobId, jobId],
  );
  const counts: JobCounts = { pending: 0, created: 0, done: 0, refused: 0, unchanged: 0 };
  for (const row of rows) counts[row.state] = Number(row.n);
  return counts;
}

export interface RefusedItem {
  seq: number;
  /** Null for an import row that names no account. */
  accountId: string | null;
  /** Null when the item has no account: purged since, or an import row that names none. */
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  detail: string;
  /** An import row's problems, each with its column as the file names it; null for an account. */
  rowErrors: { column: string; reason: string }[] | null;
}

/** A job's refused items after `afterSeq`, in the order they were listed (an import's, by row), with why each was left as it was. */
export function jobRefusals(em: EntityManager, jobId: string, afterSeq: number, limit: number): Promise<RefusedItem[]> {
  return em.execute(
    `select i.seq, i.account_id as "accountId", a.email, a.first_name as "firstName", a.last_name as "lastName", i.detail,
       i.data->'errors' as "rowErrors"
     from bulk_job_item i left join account a on a.id = i.account_id
     where i.job_id = ? and i.state = 'refused' and i.seq > ? order by i.seq limit ?`,
    [jobId, afterSeq, limit],
  );
}

/**
 * Where an account stands for a role or group change: its role, its role in the target group of its organisation
 * (`groupIds` holds one per organisation; null: not a member) and whether it owns that group.
 */
const PLACE_COLUMNS = `a.role, (select m.role from membership m where m.account_id = a.id and m.group_id = any(?::uuid[])) as "memberAs",
  exists (select 1 from account_group tg where tg.id = any(?::uuid[]) and tg.owner_id = a.id) as "ownsTargetGroup"`;

export interface AccountPlaceRow {
  id: string;
  role: AccountRole;
  memberAs: GroupRole | null;
  ownsTargetGroup: boolean;
}

/** The claimed accounts' places for a role or group change (the chunk has locked their rows already). */
export function accountPlaces(em: EntityManager, accountIds: readonly string[], groupIds: readonly string[]): Promise<AccountPlaceRow[]> {
  return boundQuery<AccountPlaceRow>(em, numbered(`select a.id, ${PLACE_COLUMNS} from account a where a.id = any(?::uuid[])`), [
    groupIds,
    groupIds,
    accountIds,
  ]);
}

/** The selected accounts grouped by everything a bulk change decides on, with how many share each. */
export function selectionProfile(
  em: EntityManager,
  where: SqlWhere,
  groupIds: readonly string[],
): Promise<(Omit<BulkAccountRow, 'id' | 'firstName' | 'lastName' | 'email'> & Omit<AccountPlaceRow, 'id'> & { count: string })[]> {
  return em.execute(
    `select a.status, a.auth_source as "authSource", a.last_sign_in_at is not null as "hasSignedIn", a.failed_sign_ins as "failedSignIns",
       a.password_temporary as "passwordTemporary", a.mfa_enrolled as "mfaEnrolled", a.organisation_id as "organisationId", o.deletion_policy as "deletionPolicy",
       o.lockout_threshold as "lockoutThreshold", exists (select 1 from account_group g where g.owner_id = a.id) as "ownsGroups",
       ${PLACE_COLUMNS}, count(*) as count
     from account a join organisation o on o.id = a.organisation_id where ${where.sql}
     group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13`,
    [uuidArray(groupIds), uuidArray(groupIds), ...where.params],
  );
}

/** A Postgres array literal of UUIDs, for `= any(?::uuid[])`. */
function uuidArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}

/** The first accounts of a selection, as a preview names them. */
export function selectionSample(em: EntityManager, where: SqlWhere, limit: number): Promise<{ label: string; status: string }[]> {
  return em.execute(
    `select a.first_name || ' ' || a.last_name || ' <' || a.email || '>' as label, a.status from account a where ${where.sql} order by a.last_name, a.first_name, a.id limit ?`,
    [...where.params, limit],
  );
}
