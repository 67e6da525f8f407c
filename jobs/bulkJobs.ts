import type { WebClient } from '@slack/web-api';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type ActionServices, type BulkJobQueue, runAction } from '../src/actions/action.ts';
import { slackActor, systemActor } from '../src/actions/actor.ts';
import { applyBulkChunk } from '../src/actions/accounts/bulk/applyBulkChunk.ts';
import { BULK_CHANGES } from '../src/actions/accounts/bulk/bulkChanges.ts';
import { finishBulkJob } from '../src/actions/accounts/bulk/finishBulkJob.ts';
import { jobCounts } from '../src/db/bulkJobs.ts';
import { BulkJob } from '../src/db/entities/index.ts';
import { RefusedError } from '../src/domain/errors.ts';
import { progressText, summaryText } from '../src/present/bulkProgress.ts';
import { handOff } from './handOff.ts';
import { BULK_RUN_JOB, type BulkRunData, type Queues } from './queues.ts';
import type { SlackBudget } from './slackBudget.ts';

/** Runner jobs per bulk job: every worker process takes up to BULK_RUNNERS_PER_PROCESS of them, side by side. */
export const BULK_RUNNERS = 4;
/**
 * Runners one worker process runs at once: a chunk's UPDATE keeps one database core busy, so two chunks in flight
 * change accounts about twice as fast; with two worker processes, each takes two of a job's four runners.
 */
export const BULK_RUNNERS_PER_PROCESS = 2;
/** A job's progress message is edited at most this often, and less when the shared budget is short. */
export const PROGRESS_EVERY_MS = 1000;
/** How long the final summary may wait for the shared budget before it goes out regardless. */
const SUMMARY_WAIT_MS = 60_000;

export function bulkJobQueue(queues: Queues, logger: Logger): BulkJobQueue {
  return {
    async start(jobId) {
      const adds = Array.from({ length: BULK_RUNNERS }, (_, runner) => queues.bulk.add(BULK_RUN_JOB, { jobId }, { jobId: `${jobId}-runner-${runner}` }));
      await handOff(Promise.all(adds), logger, { queue: queues.bulk.name, bulkJobId: jobId });
    },
  };
}

export interface BulkRunDeps extends ActionServices {
  slack: WebClient;
  redis: Redis;
  prefix: string;
  budget: SlackBudget;
}

/**
 * One runner of a bulk job: takes chunks as the person who started the job (their grant read again each time) until
 * none is left or the job is cancelled, editing the job's one progress message as the shared budget allows. The
 * runner that finds the job complete posts the summary, once.
 */
export async function processBulkRun(job: Job<BulkRunData>, deps: BulkRunDeps): Promise<void> {
  const { jobId } = job.data;
  const em = deps.orm.em.fork();
  const bulkJob = await em.findOne(BulkJob, { id: jobId });
  if (!bulkJob || bulkJob.finishedAt) return;
  const actor = await slackActor(deps.orm.em, bulkJob.requestedBy);
  await postProgressOnce(jobId, deps);
  let failure: string | undefined;
  for (;;) {
    try {
      const chunk = await runAction(deps, applyBulkChunk, actor, { jobId });
      if (chunk.finished) break;
      deps.logger.debug({ bulkJobId: jobId, ...chunk }, 'bulk chunk applied');
    } catch (error) {
      if (!(error instanceof RefusedError)) throw error;
      failure = error.userMessage;
      break;
    }
    await maybeEditProgress(jobId, deps);
  }
  const summary = await runAction(deps, finishBulkJob, systemActor('bulk'), { jobId, failure });
  if (!summary) return;
  const text = summaryText({ ...summary, failure });
  // The summary is posted once, by this runner only: it waits for the shared budget, and rides out a 429 itself.
  await deps.budget.take(SUMMARY_WAIT_MS);
  for (let attempt = 1; ; attempt++) {
    try {
      await showProgress(deps, summary.channel, summary.messageTs, summary.requestedBy, text);
      return;
    } catch (error) {
      const retryAfter = (error as { retryAfter?: number }).retryAfter;
      if (retryAfter === undefined || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    }
  }
}

/** The first runner to get here posts the progress message; the others find it posted. */
async function postProgressOnce(jobId: string, deps: BulkRunDeps): Promise<void> {
  const claimed = await deps.redis.set(`${deps.prefix}:bulk-progress-posted:${jobId}`, '1', 'EX', 7 * 24 * 3600, 'NX');
  if (claimed !== 'OK') return;
  const em = deps.orm.em.fork();
  const job = await em.findOneOrFail(BulkJob, { id: jobId });
  const text = await currentProgress(jobId, deps);
  const channel = job.channel ?? job.requestedBy;
  const posted = await deps.slack.chat.postMessage({ channel, text }).catch(() => deps.slack.chat.postMessage({ channel: job.requestedBy, text }));
  await em.nativeUpdate(BulkJob, { id: jobId }, { channel: posted.channel ?? channel, messageTs: posted.ts ?? null });
}

/** At most once a second per job, and only when the shared budget has a call to spare: a later edit shows the same. */
async function maybeEditProgress(jobId: string, deps: BulkRunDeps): Promise<void> {
  const due = await deps.redis.set(`${deps.prefix}:bulk-progress-edited:${jobId}`, '1', 'PX', PROGRESS_EVERY_MS, 'NX');
  if (due !== 'OK' || !(await deps.budget.tryTake())) return;
  const job = await deps.orm.em.fork().findOne(BulkJob, { id: jobId });
  if (!job?.messageTs || !job.channel) return;
  await showProgress(deps, job.channel, job.messageTs, job.requestedBy, await currentProgress(jobId, deps)).catch((error: unknown) =>
    deps.logger.warn({ err: error, bulkJobId: jobId }, 'could not edit the progress message; the next edit shows the same'),
  );
}

async function currentProgress(jobId: string, deps: BulkRunDeps): Promise<string> {
  const em = deps.orm.em.fork();
  const job = await em.findOneOrFail(BulkJob, { id: jobId });
  const change = BULK_CHANGES[job.action];
  return progressText({
    doing: change?.doing ?? job.action,
    description: job.description,
    total: job.total,
    counts: await jobCounts(em, jobId),
    startedAt: job.createdAt,
    now: new Date(),
  });
}

async function showProgress(deps: BulkRunDeps, channel: string | null, ts: string | null, requestedBy: string, text: string): Promise<void> {
  // Plain text: names and filters are shown as typed, with nothing read as formatting.
  const blocks = [{ type: 'section' as const, text: { type: 'plain_text' as const, text: text.slice(0, 3000), emoji: false } }];
  if (channel && ts) await deps.slack.chat.update({ channel, ts, text: text.slice(0, 3000), blocks });
  else await deps.slack.chat.postMessage({ channel: channel ?? requestedBy, text: text.slice(0, 3000), blocks });
}
