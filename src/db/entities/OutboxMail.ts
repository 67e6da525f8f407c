import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { MAIL_TEMPLATES } from '../../domain/tokens.ts';

/**
 * A mail an action wants sent, written in the action's own transaction; a worker sends it (jobs/sendMail.ts) and a
 * periodic pass re-queues any row whose job was lost. The account is kept by id, not by foreign key, like audit
 * rows, so purging an account never waits on its mail history.
 */
export const OutboxMail = defineEntity({
  name: 'OutboxMail',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    to: p.string().length(320),
    template: p.enum(MAIL_TEMPLATES),
    accountId: p.uuid(),
    /** The token the last send attempt issued (its link is in the mail). */
    tokenId: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    sentAt: p.datetime().nullable(),
    /** Not sent on purpose: the account no longer waits for it, or a newer mail replaced it (see lastError). */
    cancelledAt: p.datetime().nullable(),
    attempts: p.integer().default(0),
    lastError: p.string().length(1000).nullable(),
  },
  indexes: [
    // The outbox pass reads only the mail still to send.
    {
      name: 'outbox_mail_unsent',
      expression: `create index "outbox_mail_unsent" on "outbox_mail" (created_at) where sent_at is null and cancelled_at is null`,
    },
    { properties: ['accountId', 'template'] },
  ],
});

export type IOutboxMail = InferEntity<typeof OutboxMail>;
