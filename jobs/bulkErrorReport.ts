import { PassThrough, Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { WebClient } from '@slack/web-api';
import { type ActionServices, runAction } from '../src/actions/action.ts';
import { systemActor } from '../src/actions/actor.ts';
import { bulkJobRefusals, REFUSALS_PAGE_SIZE } from '../src/actions/accounts/bulk/bulkJobRefusals.ts';
import type { BulkSummary } from '../src/actions/accounts/bulk/finishBulkJob.ts';
import type { RefusedItem } from '../src/db/bulkJobs.ts';
import type { ErrorReportOutcome } from '../src/present/bulkProgress.ts';
import { safeCsvStringifier } from './safeSpreadsheets.ts';
import { SlackFileError, uploadSlackFile } from './slackFiles.ts';

/** How a job's error report reads: its columns, the lines each refused item gives, and the file it is shared as. */
export interface ErrorReportLayout {
  headers: readonly string[];
  lines(item: RefusedItem): string[][];
  filename: string;
  title: string;
  initialComment: string;
}

/** Where the report goes: the thread of the job's one message (or the DM of whoever started it). */
type ReportPlace = Pick<BulkSummary, 'jobId' | 'channel' | 'messageTs' | 'requestedBy'>;

/** A bulk change's report: a line per refused account (a purged one keeps its ID). */
export function refusedAccountsReport(summary: Pick<BulkSummary, 'action' | 'change' | 'description' | 'counts'>): ErrorReportLayout {
  return {
    headers: ['Email', 'Name', 'Reason'],
    lines: (item) => [
      [item.email ?? '', item.email === null ? `(account ${item.accountId}, since purged)` : `${item.firstName} ${item.lastName}`, item.detail],
    ],
    filename: `roster-bulk-${summary.action}-refused-${new Date().toISOString().slice(0, 10)}.csv`,
    title: `Refused: ${summary.change} (${summary.description})`.slice(0, 250),
    initialComment: `Error report: the ${summary.counts.refused.toLocaleString('en')} refused accounts, and why each was left as it was.`,
  };
}

/** A job's refused items, a page at a time, in the order the job listed them. */
async function* refusedItems(services: ActionServices, jobId: string): AsyncGenerator<RefusedItem> {
  let afterSeq = 0;
  for (;;) {
    const page = await runAction(services, bulkJobRefusals, systemActor('bulk'), { jobId, afterSeq });
    yield* page;
    if (page.length < REFUSALS_PAGE_SIZE) return;
    afterSeq = page.at(-1)!.seq;
  }
}

/** Writes the error report as CSV to `out`, every cell safe against formulas. */
async function writeErrorReport(layout: ErrorReportLayout, refusals: AsyncIterable<RefusedItem>, out: Writable): Promise<void> {
  async function* records() {
    yield layout.headers;
    for await (const item of refusals) yield* layout.lines(item);
  }
  await pipeline(Readable.from(records()), safeCsvStringifier(), out);
}

export interface ErrorReportDeps extends ActionServices {
  slack: WebClient;
}

/**
 * Shares a job's error report in its message's thread, streamed a page at a time. A report Slack does not take is
 * said in the message instead of failing the job: its changes are all made.
 */
export async function shareErrorReport(deps: ErrorReportDeps, place: ReportPlace, layout: ErrorReportLayout): Promise<ErrorReportOutcome> {
  const file = new PassThrough();
  try {
    await Promise.all([
      writeErrorReport(layout, refusedItems(deps, place.jobId), file),
      uploadSlackFile(deps.slack, {
        to: place.channel ?? place.requestedBy,
        filename: layout.filename,
        title: layout.title,
        initialComment: layout.initialComment,
        ...(place.channel && place.messageTs ? { threadTs: place.messageTs } : {}),
        content: file,
      }),
    ]);
    return { filename: layout.filename };
  } catch (error) {
    file.destroy();
    deps.logger.warn({ err: error, bulkJobId: place.jobId }, 'could not share the error report');
    return { failed: error instanceof SlackFileError ? error.message : 'Slack did not take the file.' };
  }
}
