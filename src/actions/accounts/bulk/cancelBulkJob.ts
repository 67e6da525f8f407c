import { LockMode } from '@mikro-orm/core';
import { z } from 'zod';
import { discardJobItems } from '../../../db/bulkJobs.ts';
import { BulkJob } from '../../../db/entities/index.ts';
import { RefusedError } from '../../../domain/errors.ts';
import { type DoneOutcome, defineAction } from '../../action.ts';
import { bulkChangeTitle } from './bulkChanges.ts';

/**
 * Asks a running bulk job to stop at its next chunk; what it changed so far stays changed, and its summary says so.
 * An import not applied yet (its dry run reading the file, or waiting for Apply) is discarded at once, its staged rows
 * with it.
 */
export const cancelBulkJob = defineAction({
  name: 'bulk-cancel',
  describedAs: 'cancelling bulk jobs',
  requires: 'admin',
  input: z.object({ jobId: z.uuid() }),
  async run(ctx, { jobId }): Promise<DoneOutcome> {
    const scope = ctx.organisationsInScope();
    // Locked, so an import's dry run stages nothing more once this is committed.
    const job = await ctx.em.findOne(BulkJob, { id: jobId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    // A platform-wide admin may stop anyone's job; others only their own.
    if (!job || (job.requestedBy !== ctx.actor.id && scope !== null)) throw new RefusedError('There is no such bulk job of yours.', 'not-found');
    if (job.finishedAt) throw new RefusedError(`That job has already ${job.state === 'cancelled' ? 'been cancelled' : 'finished'}.`, 'invalid-state');
    const unapplied = job.state === 'checking' || job.state === 'previewed';
    const title = bulkChangeTitle(job.action, job.params.shown);
    if (!job.cancelRequestedAt) {
      job.cancelRequestedAt = new Date();
      job.state = unapplied ? 'cancelled' : 'cancelling';
      if (unapplied) {
        job.finishedAt = job.cancelRequestedAt;
        await discardJobItems(ctx.em, jobId);
      }
      ctx.audit.record({
        action: 'bulk-cancel',
        target: { type: 'job', id: job.id, label: `${title} ${job.description}`.slice(0, 500), organisationId: null },
        jobId,
      });
    }
    if (unapplied) return { kind: 'done', message: `The ${title} of ${job.description} is cancelled: nothing of it was imported.` };
    return { kind: 'done', message: `The ${title} job (${job.description}) stops after the accounts it is changing now; its summary says what was done.` };
  },
});
