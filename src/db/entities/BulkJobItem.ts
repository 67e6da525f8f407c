import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { BulkJob } from './BulkJob.ts';

export const BULK_ITEM_STATES = ['pending', 'done', 'refused', 'unchanged'] as const;

/** One account of a bulk job and what became of it; `seq` keeps the chunks in the order the selection was listed. */
export const BulkJobItem = defineEntity({
  name: 'BulkJobItem',
  properties: {
    job: () => p.manyToOne(BulkJob).primary().deleteRule('cascade'),
    seq: p.integer().primary(),
    accountId: p.uuid(),
    state: p.enum(BULK_ITEM_STATES).default('pending'),
    /** Why it was refused, in the status machine's or the grant's words. */
    detail: p.string().length(500).nullable(),
  },
  indexes: [
    {
      name: 'bulk_job_item_pending',
      expression: `create index "bulk_job_item_pending" on "bulk_job_item" (job_id, seq) where state = 'pending'`,
    },
  ],
});

export type IBulkJobItem = InferEntity<typeof BulkJobItem>;
