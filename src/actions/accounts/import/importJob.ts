import { LockMode } from '@mikro-orm/core';
import { z } from 'zod';
import { BulkJob, type IBulkJob } from '../../../db/entities/index.ts';
import { RefusedError } from '../../../domain/errors.ts';
import type { ActionContext } from '../../action.ts';
import type { AccountRole } from '../../../domain/accounts.ts';
import type { AccountStatus } from '../../../domain/statuses.ts';
import { usernameOf } from './classifyImport.ts';
import type { ImportCandidate } from './importRows.ts';

/** The `action` of an import's bulk job: its items are the file's rows. */
export const IMPORT_ACTION = 'import';

/** The spreadsheet formats an import reads. */
export const IMPORT_FORMATS = ['csv', 'xlsx'] as const;

const columnSchema = z.string().max(200);

/** Column names a dry run keeps and lists; a file with more is cut there. */
export const COLUMNS_LISTED = 50;

/** What an import's job keeps besides its rows: where the rows go, from which file, and what its dry run found. */
export const importParamsSchema = z.object({
  organisationId: z.uuid(),
  organisation: z.string(),
  sendInvitations: z.boolean(),
  fileId: z.string(),
  fileName: z.string(),
  format: z.enum(IMPORT_FORMATS).optional(),
  layoutName: z.string().optional(),
  unknownColumns: z.array(columnSchema).max(COLUMNS_LISTED).optional(),
  ignoredColumns: z
    .array(z.object({ column: columnSchema, reason: z.string().max(200) }))
    .max(COLUMNS_LISTED)
    .optional(),
  /** The file's name for each column Roster read, by field (`email` -> `Email Address [Required]`). */
  columnNames: z.record(z.string().max(64), columnSchema).optional(),
});

export type ImportParams = z.output<typeof importParamsSchema>;

/**
 * The import job with this id, its grant checked against the import's organisation; a job that is no import is refused
 * as unknown. `lock`: the job's row stays locked until the transaction ends, so a Cancel, the dry run's start and
 * Apply happen one after the other. The dry run's batches take a shared lock of their own while they are copied in
 * (copyJobItems), side by side; a shared lock does not queue behind a Cancel waiting for the row, so a Cancel during
 * the dry run waits for a moment when no batch is staging (200-390 ms in a 40,000-row dry run, measured). `own`: only
 * the person who started the import may go on with it.
 */
export async function loadImportJob(
  ctx: ActionContext,
  jobId: string,
  { lock, own = true }: { lock?: 'exclusive'; own?: boolean } = {},
): Promise<{ job: IBulkJob; params: ImportParams }> {
  const job = await ctx.em.findOne(BulkJob, { id: jobId }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  if (!job || job.action !== IMPORT_ACTION) throw new RefusedError('There is no such import; share the file again.', 'not-found');
  const params = importParamsSchema.parse(job.params);
  ctx.aboutTarget({ type: 'job', id: job.id, label: importLabel(job), organisationId: params.organisationId });
  ctx.authorize(params.organisationId);
  if (own && job.requestedBy !== ctx.actor.id) throw new RefusedError(`Only <@${job.requestedBy}>, who started this import, can go on with it.`, 'forbidden');
  return { job, params };
}

export function importLabel(job: { description: string }): string {
  return `import ${job.description}`.slice(0, 500);
}

/** What a row the dry run found new gives its account besides the file's names and email. */
export interface NewAccountValues {
  username: string;
  status: AccountStatus;
  role: AccountRole;
}

/** What a pending row holds: the candidate its dry run read, and what it found the row would do. */
export type StagedRow = { verdict: 'create'; candidate: ImportCandidate; account: NewAccountValues } | { verdict: 'update'; candidate: ImportCandidate };

/** A new account starts invited when the import sends invitations, staged when not, and deactivated when the file blocks it. */
export function newAccountValues(c: ImportCandidate, params: Pick<ImportParams, 'sendInvitations'>): NewAccountValues {
  const status: AccountStatus = c.status === 'DEACTIVATED' ? 'DEACTIVATED' : params.sendInvitations ? 'INVITED' : 'STAGED';
  return { username: usernameOf(c), status, role: c.role ?? 'user' };
}

/** A pending item's data as the dry run staged it. */
export function stagedRow(data: Record<string, unknown>): StagedRow {
  return data as unknown as StagedRow;
}

/**
 * A problem's column as the file names it: checks against the accounts name Roster's fields, the person reads their
 * file's headers. A username taken from the email is the email column's problem; a status from Entra's "Block sign
 * in", that column's.
 */
export function fileColumn(columnNames: Readonly<Record<string, string>>, column: string): string {
  const field = column === 'username' && !columnNames.username ? 'email' : column === 'status' && !columnNames.status ? 'blocked' : column;
  return columnNames[field] ?? column;
}
