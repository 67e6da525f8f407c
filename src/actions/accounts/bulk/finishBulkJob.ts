import { z } from 'zod';
import { discardJobItems, jobCounts, jobRefusals, type JobCounts, type RefusedItem } from '../../../db/bulkJobs.ts';
import { BulkJob } from '../../../db/entities/index.ts';
import { defineAction } from '../../action.ts';
import { accountLabel } from '../../auditTargets.ts';
import { IMPORT_ACTION } from '../import/importJob.ts';
import { bulkChangeTitle } from './bulkChanges.ts';

/** Refusals a summary names; the rest are counted. */
const REFUSALS_SHOWN = 10;

export interface BulkSummary {
  jobId: string;
  /** The change's name in `/users bulk`: `unlock`, `role`, `add-to-group`. */
  action: string;
  /** The change as people read it: `unlock`, `role manager`, `add-to-group “Field Crew”`. */
  change: string;
  description: string;
  state: 'done' | 'cancelled' | 'failed';
  total: number;
  counts: JobCounts;
  refusals: { label: string; detail: string }[];
  channel: string | null;
  messageTs: string | null;
  requestedBy: string;
  seconds: number;
}

/**
 * Closes a bulk job once nothing is left to do (or it was cancelled, or its runner gave up), exactly once however
 * many workers finish together: only the first to mark it finished gets the summary to post.
 */
export const finishBulkJob = defineAction({
  name: 'bulk-finish',
  describedAs: 'finishing bulk jobs',
  requires: 'owner',
  scope: 'platform',
  input: z.object({ jobId: z.uuid(), failure: z.string().max(500).optional() }),
  async run(ctx, { jobId, failure }): Promise<BulkSummary | null> {
    // One finisher at a time: two that counted at once would each skip the pending items the other had locked, each
    // take the other for a runner still changing them, and leave a cancelled job without its summary.
    await ctx.em.execute(`select 1 from bulk_job where id = ? for update`, [jobId]);
    // Items another runner is changing right now are locked; that runner finishes the job once its chunk is in, so the
    // summary counts everything that was changed.
    const [inFlight] = await ctx.em.execute<{ free: string; pending: string }[]>(
      `with free as (select seq from bulk_job_item where job_id = ? and state = 'pending' for update skip locked)
       select (select count(*) from free) as free, (select count(*) from bulk_job_item where job_id = ? and state = 'pending') as pending`,
      [jobId, jobId],
    );
    if (Number(inFlight?.pending) > Number(inFlight?.free)) return null;
    const [closed] = await ctx.em.execute<{ state: BulkSummary['state']; before: string }[]>(
      `with before as (select state from bulk_job where id = ? for update)
       update bulk_job b set finished_at = ?, state = case when ? then 'failed' when cancel_requested_at is not null then 'cancelled' else 'done' end
       from before where b.id = ? and b.finished_at is null
         and (? or b.cancel_requested_at is not null or not exists (select 1 from bulk_job_item where job_id = ? and state = 'pending'))
       returning b.state, before.state as before`,
      [jobId, new Date(), failure !== undefined, jobId, failure !== undefined, jobId],
    );
    if (!closed) return null;
    // An import that stops before it was applied (a file it cannot read) keeps nothing of the file.
    if (closed.before === 'checking' || closed.before === 'previewed') await discardJobItems(ctx.em, jobId);
    const job = await ctx.em.findOneOrFail(BulkJob, { id: jobId });
    const counts = await jobCounts(ctx.em, jobId);
    ctx.audit.record({
      action: 'bulk-finish',
      target: { type: 'job', id: jobId, label: `${bulkChangeTitle(job.action, job.params.shown)} ${job.description}`.slice(0, 500), organisationId: null },
      changes: {
        state: { before: closed.before, after: closed.state },
        ...Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, { before: null, after: n }])),
      },
      reason: failure,
      jobId,
    });
    return {
      jobId,
      action: job.action,
      change: bulkChangeTitle(job.action, job.params.shown),
      description: job.description,
      state: closed.state,
      total: job.total,
      counts,
      refusals: (await jobRefusals(ctx.em, jobId, 0, REFUSALS_SHOWN)).map((item) => ({ label: refusedLabel(job.action, item), detail: item.detail })),
      channel: job.channel ?? null,
      messageTs: job.messageTs ?? null,
      requestedBy: job.requestedBy,
      seconds: Math.round((Date.now() - job.createdAt.getTime()) / 1000),
    };
  },
});

/** Who a refusal is about: an import's row by its number, an account by its name and email (a purged one by its ID). */
function refusedLabel(action: string, item: RefusedItem): string {
  if (action === IMPORT_ACTION) return `Row ${item.seq}`;
  return item.email ? accountLabel({ firstName: item.firstName ?? '', lastName: item.lastName ?? '', email: item.email }) : (item.accountId ?? '');
}
