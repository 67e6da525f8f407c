import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { BulkJob } from './BulkJob.ts';

/** `done` is a changed account; an import row that made a new one leaves the items (`BulkJob.created` counts it). */
export const BULK_ITEM_STATES = ['pending', 'done', 'refused', 'unchanged'] as const;

/**
 * One account of a bulk job, or one row of an import, and what became of it; `seq` keeps the chunks in the order the
 * selection was listed (an import's row number).
 */
export const BulkJobItem = defineEntity({
  name: 'BulkJobItem',
  properties: {
    job: () => p.manyToOne(BulkJob).primary().deleteRule('cascade'),
    seq: p.integer().primary(),
    /** The account; none for an import row until it creates one. */
    accountId: p.uuid().nullable(),
    /** An import row as its dry run read it (what Apply applies), or why it cannot be imported. */
    data: p.json<Record<string, unknown>>().nullable(),
    state: p.enum(BULK_ITEM_STATES).default('pending'),
    /** Why it was refused, in the status machine's, the grant's or the import check's words. */
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
