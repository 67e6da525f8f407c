import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { importParamsSchema } from '../src/actions/accounts/import/importJob.ts';
import { refusedItems } from '../src/db/bulkJobs.ts';
import { BulkJob } from '../src/db/entities/index.ts';
import type { ProgressDeps } from './progressMessages.ts';
import { safeCsvStringifier } from './safeSpreadsheets.ts';
import { uploadSlackFile } from './slackFiles.ts';

/** Refused rows read per query while the report streams. */
const REPORT_PAGE = 1000;

const ERROR_REPORT_HEADERS = ['row', 'column', 'reason'] as const;

/** One line per problem of every refused row, in row order, a page at a time. */
async function* reportLines(deps: ProgressDeps, jobId: string): AsyncGenerator<string[]> {
  yield [...ERROR_REPORT_HEADERS];
  const em = deps.orm.em.fork();
  for (let after = 0; ; ) {
    const page = await refusedItems(em, jobId, after, REPORT_PAGE);
    for (const item of page) {
      const errors: { column: string; reason: string }[] = item.data?.errors ?? [{ column: '', reason: item.detail ?? '' }];
      for (const error of errors) yield [String(item.seq), error.column, error.reason];
    }
    if (page.length < REPORT_PAGE) return;
    after = page.at(-1)!.seq;
  }
}

/**
 * Uploads an import's error report (row, column, reason for every row it cannot import, formula-safe CSV) in the
 * thread of its message, streamed from the refused rows so it holds one page at a time.
 */
export async function uploadErrorReport(deps: ProgressDeps, jobId: string): Promise<void> {
  const job = await deps.orm.em.fork().findOneOrFail(BulkJob, { id: jobId });
  const { fileName } = importParamsSchema.parse(job.params);
  const base = fileName.replace(/\.[^.]*$/, '') || 'import';
  const csv = safeCsvStringifier();
  // pipeline hands a failure to read the rows on to the upload, which then fails rather than waiting.
  pipeline(Readable.from(reportLines(deps, jobId)), csv).catch(() => {});
  await uploadSlackFile(deps.slack, {
    to: job.channel ?? job.requestedBy,
    filename: `${base}-errors.csv`,
    title: `Rows of ${fileName} that cannot be imported`,
    initialComment: `The rows of ${fileName} that cannot be imported: row number, column and reason.`,
    ...(job.messageTs ? { threadTs: job.messageTs } : {}),
    content: csv,
  });
}
