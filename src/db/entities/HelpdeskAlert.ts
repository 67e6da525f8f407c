import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * The helpdesk channel's message about one lockout, so that whoever unlocks the account (from the alert, the card or
 * `/user unlock`) leaves the message saying so. One per lockout: a retried alert job finds the row it wrote.
 */
export const HelpdeskAlert = defineEntity({
  name: 'HelpdeskAlert',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    accountId: p.uuid(),
    lockedAt: p.datetime(),
    attempts: p.integer(),
    /** Where the last failed sign-in came from, as the sign-in API saw it. */
    ip: p.string().length(64),
    channel: p.string().length(64).nullable(),
    messageTs: p.string().length(64).nullable(),
    resolvedAt: p.datetime().nullable(),
    /** Who unlocked it: a Slack user, the CLI or a job. */
    resolvedBy: p.string().length(64).nullable(),
  },
  uniques: [{ properties: ['accountId', 'lockedAt'] }],
  indexes: [
    {
      name: 'helpdesk_alert_open',
      expression: `create index "helpdesk_alert_open" on "helpdesk_alert" (account_id) where resolved_at is null`,
    },
  ],
});

export type IHelpdeskAlert = InferEntity<typeof HelpdeskAlert>;
