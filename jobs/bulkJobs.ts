import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { type BulkJobQueue, runAction } from '../src/actions/action.ts';
import { type Actor, slackActor, systemActor } from '../src/actions/actor.ts';
import { applyBulkChunk, type ChunkResult } from '../src/actions/accounts/bulk/applyBulkChunk.ts';
import { bulkHeadline } from '../src/actions/accounts/bulk/bulkChanges.ts';
import { type BulkSummary, finishBulkJob } from '../src/actions/accounts/bulk/finishBulkJob.ts';
import { applyImportChunk } from '../src/actions/accounts/import/applyImportChunk.ts';
import { IMPORT_ACTION, importParamsSchema } from '../src/actions/accounts/import/importJob.ts';
import { hasPendingItems, jobCounts } from '../src/db/bulkJobs.ts';
import { BulkJob, type IBulkJob } from '../src/db/entities/index.ts';
import { RefusedError } from '../src/domain/errors.ts';
import { progressText, type SummaryFacts, summaryText } from '../src/present/bulkProgress.ts';
import { importProgressText, importSummaryText } from '../src/present/importProgress.ts';
import { type ErrorReportLayout, refusedAccountsReport, shareErrorReport } from './bulkErrorReport.ts';
import { handOff } from './handOff.ts';
import { importRowsReport } from './importReport.ts';
import { maybeEditProgress, postProgressOnce, type ProgressDeps, showFinal } from './progressMessages.ts';
import { BULK_RUN_JOB, type BulkRunData, isLastAttempt, type Queues } from './queues.ts';

/** Runner jobs per bulk job: every worker process takes up to BULK_RUNNERS_PER_PROCESS of them, side by side. */
export const BULK_RUNNERS = 4;
/**
 * Runners one worker process runs at once: a chunk's UPDATE keeps one database core busy, so two chunks in flight
 * change accounts about twice as fast; with two worker processes, each takes two of a job's four runners.
 */
export const BULK_RUNNERS_PER_PROCESS = 2;

export function bulkJobQueue(queues: Queues, logger: Logger): BulkJobQueue {
  return {
    async start(jobId) {
      const adds = Array.from({ length: BULK_RUNNERS }, (_, runner) => queues.bulk.add(BULK_RUN_JOB, { jobId }, { jobId: `${jobId}-runner-${runner}` }));
      await handOff(Promise.all(adds), logger, { queue: queues.bulk.name, bulkJobId: jobId });
    },
  };
}

/** What differs between a bulk change and an import applying its rows: the chunk's action, and how its messages and report read. */
interface JobKind {
  applyChunk(deps: ProgressDeps, actor: Actor, jobId: string): Promise<ChunkResult>;
  progress(job: IBulkJob, counts: Awaited<ReturnType<typeof jobCounts>>): string;
  summary(summary: SummaryFacts): string;
  report(job: IBulkJob, summary: BulkSummary): ErrorReportLayout;
}

const BULK_CHANGE_KIND: JobKind = {
  applyChunk: (deps, actor, jobId) => runAction(deps, applyBulkChunk, actor, { jobId }),
  progress: (job, counts) =>
    progressText({
      headline: bulkHeadline(job.action, job.params.shown ?? '', job.total, job.description),
      total: job.total,
      counts,
      startedAt: job.createdAt,
      now: new Date(),
    }),
  summary: summaryText,
  report: (_job, summary) => refusedAccountsReport(summary),
};

const IMPORT_KIND: JobKind = {
  applyChunk: (deps, actor, jobId) => runAction(deps, applyImportChunk, actor, { jobId }),
  progress: (job, counts) => importProgressText({ description: job.description, total: job.total, counts, startedAt: job.createdAt, now: new Date() }),
  summary: importSummaryText,
  report: (job) => importRowsReport(importParamsSchema.parse(job.params).fileName),
};

/**
 * When each job's progress may next be counted, in this process. Counting a job's items reads all of them (a second
 * or more for a million-row import on a busy machine, and the runners' chunks wait for that core), so a job whose count
 * took long is counted again only after ten times as long: its progress message is edited less often.
 */
const nextCount = new Map<string, number>();
const COUNT_SPACING = 10;

async function countedProgress(jobId: string, text: () => Promise<string>): Promise<string> {
  const started = performance.now();
  nextCount.set(jobId, Number.POSITIVE_INFINITY); // one count at a time per job in this process
  try {
    return await text();
  } finally {
    // Not for a job whose runner has finished it meanwhile: the map keeps only running jobs.
    if (nextCount.has(jobId)) nextCount.set(jobId, Date.now() + COUNT_SPACING * (performance.now() - started));
  }
}

/** How long a runner that finds a job's last pending rows locked waits before it tries them again. */
const LOCKED_ROWS_RETRY_MS = 500;

/** Whether a job still running has pending rows, with its chunks locked by a runner that will finish them or a dead one that will not. */
async function stillPending(deps: ProgressDeps, jobId: string): Promise<boolean> {
  const em = deps.orm.em.fork();
  const job = await em.findOne(BulkJob, { id: jobId });
  return job !== null && job.finishedAt == null && job.cancelRequestedAt == null && (await hasPendingItems(em, jobId));
}

/**
 * One runner of a bulk job: takes chunks as the person who started the job (their grant read again each time) until
 * none is left or the job is cancelled, editing the job's one progress message as the shared budget allows. The
 * runner that finds the job complete posts the summary, once.
 */
export async function processBulkRun(job: Job<BulkRunData>, deps: ProgressDeps): Promise<void> {
  const { jobId } = job.data;
  const em = deps.orm.em.fork();
  const bulkJob = await em.findOne(BulkJob, { id: jobId });
  if (!bulkJob || bulkJob.finishedAt) return;
  const kind = bulkJob.action === IMPORT_ACTION ? IMPORT_KIND : BULK_CHANGE_KIND;
  const progress = () => countedProgress(jobId, async () => kind.progress(bulkJob, await jobCounts(deps.orm.em.fork(), jobId)));
  const actor = await slackActor(deps.orm.em, bulkJob.requestedBy);
  await postProgressOnce(jobId, deps, progress);
  let failure: string | undefined;
  let unexpected: unknown;
  for (;;) {
    try {
      const chunk = await kind.applyChunk(deps, actor, jobId);
      if (chunk.finished) {
        // Rows still pending that no chunk could take are another runner's, or a killed worker's whose transaction
        // its database connection has not given up yet: this runner waits for them rather than leave them to nobody.
        if (!(await stillPending(deps, jobId))) break;
        await new Promise((resolve) => setTimeout(resolve, LOCKED_ROWS_RETRY_MS));
        continue;
      }
      deps.logger.debug({ bulkJobId: jobId, ...chunk }, 'bulk chunk applied');
    } catch (error) {
      // Anything but a refusal (the database away, a chunk it keeps refusing) is worth another attempt of this runner;
      // the last one stops the job with a summary of what it did.
      if (error instanceof RefusedError) failure = error.userMessage;
      else if (isLastAttempt(job)) [failure, unexpected] = [BULK_STOPPED, error];
      else throw error;
      break;
    }
    if (Date.now() >= (nextCount.get(jobId) ?? 0)) await maybeEditProgress(jobId, deps, progress);
  }
  nextCount.delete(jobId);
  const summary = await runAction(deps, finishBulkJob, systemActor('bulk'), { jobId, failure });
  if (summary) {
    const report = summary.counts.refused > 0 ? await shareErrorReport(deps, summary, kind.report(bulkJob, summary)) : undefined;
    // The summary is posted once, by this runner only.
    await showFinal(deps, summary, { text: kind.summary({ ...summary, failure, report }) });
  }
  if (unexpected !== undefined) throw unexpected;
}

const BULK_STOPPED = 'it failed on an error, which the worker logged, each time it was tried';
