import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { APPROVAL_KINDS, APPROVAL_STATES } from '../../domain/approvals.ts';
import { Organisation } from './Organisation.ts';

/** What the approvers are shown of the account a request is about, as it was when asked (it may be purged later). */
export interface ApprovalSubject {
  name: string;
  email: string;
  username: string;
  status: string;
  role: string;
}

/** The accounts a bulk request is about, as the preview showed them: the change, the filter in words, how many. */
export interface ApprovalSelection {
  change: string;
  filter: string;
  description: string;
  count: number;
}

/**
 * A change that waits for a second person: who asked, about whom, why, until when, and how it was decided. The account
 * is kept by id and by its facts at the time, not by foreign key, so a decided request stays readable after a purge.
 */
export const ApprovalRequest = defineEntity({
  name: 'ApprovalRequest',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organisation: () => p.manyToOne(Organisation),
    kind: p.enum(APPROVAL_KINDS),
    /** The account of a one-account request (null for a bulk one), and its facts as they were. */
    accountId: p.uuid().nullable(),
    subject: p.json<ApprovalSubject>().nullable(),
    /** The selection of a bulk request (null for a one-account one). */
    selection: p.json<ApprovalSelection>().nullable(),
    reason: p.string().length(500),
    requestedBy: p.string().length(64),
    requestedAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
    state: p.enum(APPROVAL_STATES).default('pending'),
    decidedBy: p.string().length(64).nullable(),
    decidedAt: p.datetime().nullable(),
    /** Why it was rejected; for an approval, what was done ("deleted, restorable until …"). */
    decisionNote: p.string().length(500).nullable(),
    channel: p.string().length(64).nullable(),
    messageTs: p.string().length(64).nullable(),
  },
  indexes: [
    {
      // One pending request per account: asking twice is refused, and the queue of open requests stays small to read.
      name: 'approval_request_pending_account',
      expression: `create unique index "approval_request_pending_account" on "approval_request" (account_id) where state = 'pending'`,
    },
    {
      name: 'approval_request_pending_expiry',
      expression: `create index "approval_request_pending_expiry" on "approval_request" (expires_at) where state = 'pending'`,
    },
  ],
});

export type IApprovalRequest = InferEntity<typeof ApprovalRequest>;
