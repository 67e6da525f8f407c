import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Readable } from 'node:stream';
import { type ActionServices, type ImportQueue, runAction, type TemplateRequest } from '../src/actions/action.ts';
import { slackActor, systemActor } from '../src/actions/actor.ts';
import { finishBulkJob } from '../src/actions/accounts/bulk/finishBulkJob.ts';
import { classifyImport, type ImportVerdict, UsernamesInFile } from '../src/actions/accounts/import/classifyImport.ts';
import { finishImportCheck, type ImportPreview } from '../src/actions/accounts/import/finishImportCheck.ts';
import { COLUMNS_LISTED, fileColumn, importParamsSchema, type ImportParams } from '../src/actions/accounts/import/importJob.ts';
import type { ImportRow } from '../src/actions/accounts/import/importRows.ts';
import { type CheckedRow, restartImportStaging, stageImportRows } from '../src/actions/accounts/import/stageImportRows.ts';
import { BulkJob } from '../src/db/entities/index.ts';
import { RefusedError } from '../src/domain/errors.ts';
import type { ErrorReportOutcome } from '../src/present/bulkProgress.ts';
import { importCheckingText, importFileProblemText } from '../src/present/importProgress.ts';
import type { Actor } from '../src/actions/actor.ts';
import { importTemplate } from './accountExport.ts';
import { shareErrorReport } from './bulkErrorReport.ts';
import { handOff } from './handOff.ts';
import { importRowsReport } from './importReport.ts';
import { openImportFile } from './importFile.ts';
import { type JobMessage, maybeEditProgress, postProgressOnce, type ProgressDeps, showFinal } from './progressMessages.ts';
import { IMPORT_CHECK_JOB, IMPORT_TEMPLATE_JOB, isLastAttempt, type Queues } from './queues.ts';
import { downloadSlackFile, SlackFileError, uploadSlackFile } from './slackFiles.ts';

export function importQueue(queues: Queues, logger: Logger): ImportQueue {
  return {
    async check(jobId) {
      await handOff(queues.imports.add(IMPORT_CHECK_JOB, { jobId }, { jobId: `${IMPORT_CHECK_JOB}-${jobId}` }), logger, {
        queue: queues.imports.name,
        bulkJobId: jobId,
      });
    },
    async template(request) {
      await handOff(queues.imports.add(IMPORT_TEMPLATE_JOB, request, { jobId: `${IMPORT_TEMPLATE_JOB}-${randomUUID()}` }), logger, {
        queue: queues.imports.name,
      });
    },
  };
}

/** How a dry run reads (the Slack adapter's blocks with Apply and Cancel, handed in at start-up so jobs need not know Block Kit). */
interface ImportMessages {
  preview(preview: ImportPreview, report?: ErrorReportOutcome): JobMessage;
}

export interface ImportDeps extends ProgressDeps {
  /** ROSTER_IMPORT_MAX_ROWS and ROSTER_IMPORT_MAX_FILE_MB. */
  importLimits: { maxRows: number; maxFileBytes: number };
  importMessages: ImportMessages;
}

/**
 * An import's dry run: downloads the file from Slack, reads it as it streams, checks every row (zod, then against the
 * accounts as they are, a batch of rows at a time) and stages each row with what it would do, as the person who
 * started the import (their grant read again for each batch). Its one message shows how far it has read, then the
 * dry run with Apply and Cancel, and the error report goes in its thread. A file it cannot read gets one sentence,
 * and nothing of it is kept.
 */
export async function processImportCheck(job: Job<{ jobId: string }>, deps: ImportDeps): Promise<void> {
  const { jobId } = job.data;
  const found = await deps.orm.em.fork().findOne(BulkJob, { id: jobId });
  if (found?.state !== 'checking') return;
  const params = importParamsSchema.parse(found.params);
  const actor = await slackActor(deps.orm.em, found.requestedBy);
  const startedAt = Date.now();
  let read = 0;
  const checking = async () =>
    importCheckingText({ fileName: params.fileName, organisation: params.organisation, rows: read, seconds: (Date.now() - startedAt) / 1000 });
  await postProgressOnce(jobId, deps, checking);
  try {
    const file = await downloadSlackFile(deps.slack, params.fileId, { maxBytes: deps.importLimits.maxFileBytes });
    const preview = await checkImportFile(deps, actor, jobId, file.stream, deps.importLimits, async (rows) => {
      read = rows;
      await maybeEditProgress(jobId, deps, checking);
    });
    if (!preview) return;
    const report = preview.counts.invalid > 0 ? await shareErrorReport(deps, preview, importRowsReport(params.fileName)) : undefined;
    await showFinal(deps, preview, deps.importMessages.preview(preview, report));
  } catch (error) {
    const told = error instanceof RefusedError ? error.userMessage : error instanceof SlackFileError ? error.message : undefined;
    // Anything else (a download cut off, the database gone) is worth another attempt; the last one says it stopped.
    const sentence = told ?? (isLastAttempt(job) ? DRY_RUN_STOPPED : undefined);
    if (sentence === undefined) throw error;
    const closed = await runAction(deps, finishBulkJob, systemActor('import'), { jobId, failure: sentence.slice(0, 500) });
    if (closed) await showFinal(deps, closed, { text: importFileProblemText(params.fileName, sentence) });
    if (told === undefined) throw error;
  }
}

const DRY_RUN_STOPPED = 'The dry run stopped on an error, which the worker logged, each time it was tried; share the file again.';

/**
 * The dry run once the file's bytes come: reads them as they stream, checks and stages every row a batch at a time
 * (`read` is told how many rows so far after each), and ends the check. Null: the import was cancelled meanwhile.
 */
export async function checkImportFile(
  services: ActionServices,
  actor: Actor,
  jobId: string,
  source: Readable,
  limits: { maxRows: number },
  read: (rows: number) => Promise<void>,
): Promise<ImportPreview | null> {
  const params = importParamsSchema.parse((await services.orm.em.fork().findOneOrFail(BulkJob, { id: jobId })).params);
  const opened = await openImportFile(source, limits);
  if ((await runAction(services, restartImportStaging, actor, { jobId })).stopped) return null;
  const stage = batchStager(services, actor, jobId, params, opened.columnNames, limits.maxRows);
  let rows = 0;
  let batch: ImportRow[] = [];
  // Batches handed over and not yet staged, oldest first, with how many rows had been read when each was.
  const inFlight: { staged: Promise<boolean>; rowsRead: number }[] = [];
  const hand = (rowsRead: number) => {
    const staged = stage(batch);
    staged.catch(() => {}); // awaited in turn; a failure meanwhile is not an unhandled rejection
    inFlight.push({ staged, rowsRead });
    batch = [];
  };
  const settleOldest = async (): Promise<boolean> => {
    const oldest = inFlight.shift()!;
    if (!(await oldest.staged)) return false;
    await read(oldest.rowsRead);
    return true;
  };
  try {
    for await (const row of opened.rows) {
      rows++;
      batch.push(row);
      if (batch.length < DRY_RUN_BATCH) continue;
      hand(rows);
      if (inFlight.length >= DRY_RUN_BATCHES_IN_FLIGHT && !(await settleOldest())) return null;
    }
    if (batch.length > 0) hand(rows);
    while (inFlight.length > 0) if (!(await settleOldest())) return null;
  } finally {
    // A file that fails half-way must not leave batches staging behind it unobserved.
    await Promise.allSettled(inFlight.map(({ staged }) => staged));
  }
  await read(rows);
  return runAction(services, finishImportCheck, actor, {
    jobId,
    format: opened.format,
    layoutName: opened.layoutName,
    unknownColumns: opened.unknownColumns.slice(0, COLUMNS_LISTED).map((column) => column.slice(0, 200)),
    ignoredColumns: opened.ignoredColumns
      .slice(0, COLUMNS_LISTED)
      .map(({ column, reason }) => ({ column: column.slice(0, 200), reason: reason.slice(0, 200) })),
    columnNames: Object.fromEntries(Object.entries(opened.columnNames).map(([field, column]) => [field, column.slice(0, 200)])),
  });
}

/**
 * Rows a dry run checks and stages at once, and how many such batches may be on their way to the database while the
 * next is read. Staged one at a time, the worker waited for the database two fifths of the time (a million rows:
 * 45 s); two side by side, on connections of their own, 32-40 s. Two batches of 2,000 and the one being read hold
 * fewer rows than two of 5,000 did: the worker's peak RSS 270 MB in two runs, against 280-298 with three in flight
 * and 284-304 with three of 2,500, for no measurable gain in time.
 */
const DRY_RUN_BATCH = 2_000;
const DRY_RUN_BATCHES_IN_FLIGHT = 2;

/**
 * Checks and stages batches of rows; each resolves false once the import was cancelled. A batch is checked against
 * the accounts as soon as it is handed over (the dry run changes no account, so the order does not matter there);
 * then, in file order, the usernames the rows give their accounts are followed across batches, so a later row that
 * would take an earlier row's is refused; then it is staged, beside the batches before it that are still staging.
 */
function batchStager(deps: ActionServices, actor: Actor, jobId: string, params: ImportParams, columnNames: Record<string, string>, maxRows: number) {
  const usernames = new UsernamesInFile(maxRows);
  let decided = Promise.resolve(true);
  const classify = async (batch: readonly ImportRow[]) => {
    const candidates = batch.flatMap((row) => ('candidate' in row ? [row.candidate] : []));
    const checked = candidates.length ? await runAction(deps, classifyImport, actor, { organisation: params.organisation, candidates }) : { verdicts: [] };
    return new Map(checked.verdicts.map((verdict) => [verdict.row, verdict]));
  };
  const decide = (batch: readonly ImportRow[], verdicts: ReadonlyMap<number, ImportVerdict>): CheckedRow[] =>
    batch.map((row): CheckedRow => {
      if ('errors' in row) return { seq: row.row, verdict: 'invalid', errors: row.errors.map(({ column, reason }) => ({ column, reason })) };
      const verdict = usernames.check(row.candidate, verdicts.get(row.row)!);
      if (verdict.outcome === 'invalid')
        return { seq: row.row, verdict: 'invalid', errors: verdict.errors.map(({ column, reason }) => ({ column: fileColumn(columnNames, column), reason })) };
      return { seq: row.row, verdict: verdict.outcome, accountId: 'accountId' in verdict ? verdict.accountId : null, candidate: row.candidate };
    });
  return (batch: readonly ImportRow[]): Promise<boolean> => {
    const classified = classify(batch);
    classified.catch(() => {}); // awaited once the batch before is decided
    const previous = decided;
    const rows = (async () => ((await previous) ? decide(batch, await classified) : null))();
    decided = rows.then((decidedRows) => decidedRows !== null);
    decided.catch(() => {});
    return (async () => {
      const checked = await rows;
      return checked !== null && !(await runAction(deps, stageImportRows, actor, { jobId, rows: checked })).stopped;
    })();
  };
}

/** `/users import template`: the example CSV, where it was asked for, or in the DM of whoever asked when the app cannot post there. */
export async function processImportTemplate(job: Job<TemplateRequest>, deps: ImportDeps): Promise<void> {
  const content = await importTemplate();
  const upload = (to: string) =>
    uploadSlackFile(deps.slack, {
      to,
      filename: 'roster-import-template.csv',
      title: 'Roster import template',
      initialComment:
        'The import template: fill in one account a row (email, first name and last name are needed) and share the file with `/users import`. The README lists every column.',
      content,
    });
  await upload(job.data.channel).catch(() => upload(job.data.requestedBy));
}
