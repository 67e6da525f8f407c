import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** `checking` and `previewed` are an import's dry run and its wait for Apply; bulk changes start `running`. */
export const BULK_JOB_STATES = ['checking', 'previewed', 'running', 'cancelling', 'cancelled', 'done', 'failed'] as const;

/** What a bulk job was given besides its accounts. */
export interface BulkJobParams {
  reason?: string;
  /** The role or group the change takes, as it was given (a group by name, external ID or ID). */
  value?: string;
  /** That value as messages show it: `manager`, `“Field Crew North”`. */
  shown?: string;
  /** An import's own values, read with `importParamsSchema`. */
  [imported: string]: unknown;
}

/**
 * One change applied to many accounts (`/users bulk`), or an import of a file's rows (`/users import`). A bulk
 * change's accounts are listed in bulk_job_item when it is confirmed, an import's rows when its dry run reads the file,
 * so what the job works on does not move while it runs, and each item records its own outcome (an import row that
 * created its account goes, counted on the job): a worker killed half-way leaves the items it did not finish pending,
 * and whoever takes the job next finishes exactly those.
 */
export const BulkJob = defineEntity({
  name: 'BulkJob',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    /** The change applied to each account, by its name in `/users bulk`: `deactivate`, `role`, `add-to-group` ...; or `import`. */
    action: p.string().length(64),
    /** The change's own values besides the accounts: a reason, a role or a group; an import's organisation, file and columns. */
    params: p.json<BulkJobParams>(),
    /** The selection as the person described it, shown in progress messages and `/users jobs`. */
    description: p.string().length(500),
    requestedBy: p.string().length(64),
    state: p.enum(BULK_JOB_STATES).default('running'),
    total: p.integer(),
    /** Import rows that created their account: each leaves bulk_job_item as it is applied, and is counted here. */
    created: p.integer().default(0),
    /** Where the progress message is, once posted. */
    channel: p.string().length(64).nullable(),
    messageTs: p.string().length(64).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    cancelRequestedAt: p.datetime().nullable(),
    finishedAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['requestedBy', 'createdAt'] }],
});

export type IBulkJob = InferEntity<typeof BulkJob>;
