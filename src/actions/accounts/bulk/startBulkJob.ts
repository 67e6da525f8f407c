import { z } from 'zod';
import { listJobItems } from '../../../db/bulkJobs.ts';
import { BulkJob } from '../../../db/entities/index.ts';
import { RefusedError } from '../../../domain/errors.ts';
import { type ActionContext, type DoneOutcome, defineAction } from '../../action.ts';
import { bulkApproval } from '../../approvals/bulkApproval.ts';
import { bulkChangeTitle, bulkHeadline } from './bulkChanges.ts';
import { bulkRequestFields, type ResolvedBulkRequest, resolveBulkRequest } from './bulkRequest.ts';

/** The most accounts one bulk job changes; a larger selection is refused with a sentence asking to narrow it. */
export const MAX_BULK_ACCOUNTS = 200_000;

export interface StartedBulkJob extends DoneOutcome {
  jobId: string;
  total: number;
}

/**
 * Starts a bulk change: lists the selected accounts the caller's grant covers as the job's items (so the selection
 * holds still while the job runs), audits the start, and hands the job to the workers after the commit. Each
 * account is then changed by applyBulkChunk, under the same grant, read again.
 */
export const startBulkJob = defineAction({
  name: 'bulk-start',
  describedAs: 'changing many accounts at once',
  requires: 'admin',
  input: z.object({
    ...bulkRequestFields,
    /** Where the progress message goes: the channel the bulk change was asked from (a DM when the app cannot post there). */
    channel: z.string().max(64).optional(),
  }),
  async run(ctx, input): Promise<StartedBulkJob> {
    const resolved = await resolveBulkRequest(ctx, input);
    if ((await bulkApproval(ctx.em, input.change, resolved.selection)).needed)
      throw new RefusedError(`This \`${input.change}\` needs a second person's approval: Confirm on its preview asks for it.`, 'forbidden');
    return openBulkJob(ctx, input, resolved, { channel: input.channel ?? null });
  },
});

/**
 * Opens a bulk job as the caller (whose grant its chunks run under): lists the selected accounts as its items, audits
 * the start (with the approval request it carries out, if any), and hands it to the workers after the commit.
 */
export async function openBulkJob(
  ctx: ActionContext,
  input: { change: string; value?: string; reason?: string },
  { scope, target, selection }: ResolvedBulkRequest,
  { channel, approvalId }: { channel: string | null; approvalId?: string },
): Promise<StartedBulkJob> {
  const job = ctx.em.create(BulkJob, {
    action: input.change,
    params: {
      ...(input.reason ? { reason: input.reason } : {}),
      ...(input.value ? { value: input.value } : {}),
      ...(target.shown ? { shown: target.shown } : {}),
    },
    description: selection.description,
    requestedBy: ctx.actor.id,
    total: 0,
    channel,
  });
  await ctx.em.flush();
  job.total = await listJobItems(ctx.em, job.id, selection);
  if (job.total === 0) throw new RefusedError(`No account matches ${selection.description}, so there is nothing to change.`, 'not-found');
  if (job.total > MAX_BULK_ACCOUNTS) {
    throw new RefusedError(
      `${job.total.toLocaleString('en')} accounts match; one bulk change takes at most ${MAX_BULK_ACCOUNTS.toLocaleString('en')}. Narrow the filter.`,
      'invalid-input',
    );
  }
  ctx.audit.record({
    action: 'bulk-start',
    target: {
      type: 'job',
      id: job.id,
      label: `${bulkChangeTitle(input.change, target.shown)} ${selection.description}`.slice(0, 500),
      organisationId: scope?.length === 1 ? scope[0]! : null,
    },
    changes: { accounts: { before: null, after: job.total } },
    reason: input.reason,
    jobId: job.id,
    approvalId,
  });
  const jobs = ctx.services.bulkJobs;
  if (jobs) ctx.afterCommit(() => jobs.start(job.id));
  return {
    kind: 'done',
    jobId: job.id,
    total: job.total,
    message: `${bulkHeadline(input.change, target.shown, job.total, selection.description)}: progress shows here.`,
  };
}
