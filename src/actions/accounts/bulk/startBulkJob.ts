import { z } from 'zod';
import { selectionWhereInScope } from '../../../db/accountList.ts';
import { accountFilterText } from '../../../domain/accountFilter.ts';
import { selectAccounts } from '../accountSelection.ts';
import { listJobItems } from '../../../db/bulkJobs.ts';
import { BulkJob } from '../../../db/entities/index.ts';
import { RefusedError } from '../../../domain/errors.ts';
import { type DoneOutcome, defineAction } from '../../action.ts';
import { reasonSchema } from '../../inputs.ts';
import { BULK_CHANGE_NAMES, BULK_CHANGES } from './bulkChanges.ts';

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
    change: z.enum(BULK_CHANGE_NAMES as [string, ...string[]], { error: `must be one of ${BULK_CHANGE_NAMES.join(', ')}` }),
    /** Which accounts, in the words of `/users list` filters. */
    filter: z.string().trim().max(500).default(''),
    reason: reasonSchema,
    /** Where the progress message goes: the channel the bulk change was asked from (a DM when the app cannot post there). */
    channel: z.string().max(64).optional(),
  }),
  async run(ctx, input): Promise<StartedBulkJob> {
    const change = BULK_CHANGES[input.change]!;
    const scope = ctx.organisationsInScope();
    const { filter, selection: chosen } = await selectAccounts(ctx.em, input.filter, scope);
    const selection = { ...selectionWhereInScope(chosen), description: accountFilterText(filter) || 'every status but deactivated' };
    const job = ctx.em.create(BulkJob, {
      action: input.change,
      params: input.reason ? { reason: input.reason } : {},
      description: selection.description,
      requestedBy: ctx.actor.id,
      total: 0,
      channel: input.channel ?? null,
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
        label: `${input.change} ${selection.description}`.slice(0, 500),
        organisationId: scope?.length === 1 ? scope[0]! : null,
      },
      changes: { accounts: { before: null, after: job.total } },
      reason: input.reason,
      jobId: job.id,
    });
    const jobs = ctx.services.bulkJobs;
    if (jobs) ctx.afterCommit(() => jobs.start(job.id));
    return {
      kind: 'done',
      jobId: job.id,
      total: job.total,
      message: `${change.doing} ${job.total.toLocaleString('en')} accounts (${selection.description}): progress shows here.`,
    };
  },
});
