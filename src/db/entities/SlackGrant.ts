import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ROSTER_ROLES } from '../../domain/roles.ts';
import { Organisation } from './Organisation.ts';

/** A Roster role granted to a Slack user, platform-wide or limited to one organisation. */
export const SlackGrant = defineEntity({
  name: 'SlackGrant',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    slackUserId: p.string().length(32),
    role: p.enum(ROSTER_ROLES),
    organisation: () => p.manyToOne(Organisation).nullable().deleteRule('cascade'),
    grantedBy: p.string().length(64),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [
    {
      name: 'slack_grant_user_scope_unique',
      expression: `create unique index "slack_grant_user_scope_unique" on "slack_grant" (slack_user_id, coalesce(organisation_id, '00000000-0000-0000-0000-000000000000'::uuid))`,
    },
  ],
});

export type ISlackGrant = InferEntity<typeof SlackGrant>;
