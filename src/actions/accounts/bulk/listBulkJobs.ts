import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { jobCounts, type JobCounts } from '../../../db/bulkJobs.ts';
import { BulkJob } from '../../../db/entities/index.ts';
import { defineAction } from '../../action.ts';
import { bulkChangeTitle } from './bulkChanges.ts';

const JOBS_LISTED = 10;

export interface BulkJobLine {
  jobId: string;
  /** The change as people read it: `unlock`, `role manager`, `add-to-group “Field Crew”`. */
  change: string;
  description: string;
  state: string;
  total: number;
  counts: JobCounts;
  requestedBy: string;
  createdAt: Date;
}

/** Running and recent bulk jobs: the caller's own, or everyone's for a platform-wide grant. */
export const listBulkJobs = defineAction({
  name: 'bulk-jobs',
  describedAs: 'listing bulk jobs',
  requires: 'admin',
  readOnly: true,
  input: z.object({}),
  run: (ctx) => recentBulkJobs(ctx.em, ctx.organisationsInScope() === null ? null : ctx.actor.id),
});

/** The latest bulk jobs, newest first: those one person asked for, or everyone's (`requestedBy` null). */
export async function recentBulkJobs(em: EntityManager, requestedBy: string | null): Promise<BulkJobLine[]> {
  const jobs = await em.find(BulkJob, requestedBy === null ? {} : { requestedBy }, { orderBy: { createdAt: 'desc' }, limit: JOBS_LISTED });
  return Promise.all(
    jobs.map(async (job) => ({
      jobId: job.id,
      change: bulkChangeTitle(job.action, job.params.shown),
      description: job.description,
      state: job.state,
      total: job.total,
      counts: await jobCounts(em, job.id),
      requestedBy: job.requestedBy,
      createdAt: job.createdAt,
    })),
  );
}
