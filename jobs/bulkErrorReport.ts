import { PassThrough, Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { WebClient } from '@slack/web-api';
import { type ActionServices, runAction } from '../src/actions/action.ts';
import { systemActor } from '../src/actions/actor.ts';
import { bulkJobRefusals, REFUSALS_PAGE_SIZE } from '../src/actions/accounts/bulk/bulkJobRefusals.ts';
import type { BulkSummary } from '../src/actions/accounts/bulk/finishBulkJob.ts';
import type { RefusedItem } from '../src/db/bulkJobs.ts';
import { safeCsvStringifier } from './safeSpreadsheets.ts';
import { SlackFileError, uploadSlackFile } from './slackFiles.ts';

export const ERROR_REPORT_HEADERS: readonly string[] = ['Email', 'Name', 'Reason'];

/** A bulk job's refused accounts, a page at a time, in the order the job listed them. */
async function* refusedAccounts(services: ActionServices, jobId: string): AsyncGenerator<RefusedItem> {
  let afterSeq = 0;
  for (;;) {
    const page = await runAction(services, bulkJobRefusals, systemActor('bulk'), { jobId, afterSeq });
    yield* page;
    if (page.length < REFUSALS_PAGE_SIZE) return;
    afterSeq = page.at(-1)!.seq;
  }
}

/** Writes the error report as CSV to `out`: a line per refused account (a purged one keeps its ID), every cell safe against formulas. */
export async function writeErrorReport(refusals: AsyncIterable<RefusedItem>, out: Writable): Promise<void> {
  async function* records() {
    yield ERROR_REPORT_HEADERS;
    for await (const item of refusals) {
      const name = item.email === null ? `(account ${item.accountId}, since purged)` : `${item.firstName} ${item.lastName}`;
      yield [item.email ?? '', name, item.detail];
    }
  }
  await pipeline(Readable.from(records()), safeCsvStringifier(), out);
}

export interface ErrorReportDeps extends ActionServices {
  slack: WebClient;
}

/**
 * Shares a finished job's error report where its summary is, in the summary's thread, streamed a page at a time. A
 * report Slack does not take is said in the summary instead of failing the job: its changes are all made.
 */
export async function shareErrorReport(deps: ErrorReportDeps, summary: BulkSummary): Promise<{ filename: string } | { failed: string }> {
  const filename = `roster-bulk-${summary.action}-refused-${new Date().toISOString().slice(0, 10)}.csv`;
  const file = new PassThrough();
  try {
    await Promise.all([
      writeErrorReport(refusedAccounts(deps, summary.jobId), file),
      uploadSlackFile(deps.slack, {
        to: summary.channel ?? summary.requestedBy,
        filename,
        title: `Refused: ${summary.change} (${summary.description})`.slice(0, 250),
        initialComment: `Error report: the ${summary.counts.refused.toLocaleString('en')} refused accounts, and why each was left as it was.`,
        ...(summary.channel && summary.messageTs ? { threadTs: summary.messageTs } : {}),
        content: file,
      }),
    ]);
    return { filename };
  } catch (error) {
    file.destroy();
    deps.logger.warn({ err: error, bulkJobId: summary.jobId }, 'could not share the error report');
    return { failed: error instanceof SlackFileError ? error.message : 'Slack did not take the file.' };
  }
}
