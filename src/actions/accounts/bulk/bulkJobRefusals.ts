import { z } from 'zod';
import { jobRefusals, type RefusedItem } from '../../../db/bulkJobs.ts';
import { defineAction } from '../../action.ts';

/** Refused items read per query while an error report streams. */
export const REFUSALS_PAGE_SIZE = 5000;

/**
 * A page of a bulk job's refused items, for its error report: each account (who it was) or import row (its problems),
 * and why it was left as it was.
 */
export const bulkJobRefusals = defineAction({
  name: 'bulk-refusals',
  describedAs: 'reporting on bulk jobs',
  requires: 'owner',
  scope: 'platform',
  readOnly: true,
  input: z.object({
    jobId: z.uuid(),
    afterSeq: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(10_000).default(REFUSALS_PAGE_SIZE),
  }),
  run(ctx, { jobId, afterSeq, limit }): Promise<RefusedItem[]> {
    return jobRefusals(ctx.em, jobId, afterSeq, limit);
  },
});
