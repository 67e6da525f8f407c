import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { APPROVER_POLICIES } from '../../domain/approvals.ts';
import { DELETION_POLICIES } from '../../domain/statuses.ts';

export const DEFAULT_ORGANISATION_SLUG = 'default';

export const Organisation = defineEntity({
  name: 'Organisation',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    slug: p.string().length(63).unique(),
    name: p.string().length(200),
    lockoutThreshold: p.integer().default(10),
    inactivityDays: p.integer().default(90),
    deletionPolicy: p.enum(DELETION_POLICIES).default('soft'),
    mfaRequired: p.boolean().default(false),
    /** A locked-out account unlocks by itself this many minutes after it locked out; null: only a person unlocks it. */
    autoUnlockMinutes: p.integer().nullable(),
    /** Who approves the organisation's deletion requests besides its owners. */
    approvers: p.enum(APPROVER_POLICIES).default('owners'),
    /** How long a request waits for a decision before it expires. */
    approvalHours: p.integer().default(24),
    /** A bulk deactivate of more of its accounts than this waits for approval; null: never. */
    bulkDeactivateApprovalOver: p.integer().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export type IOrganisation = InferEntity<typeof Organisation>;
