import { z } from 'zod';
import { SlackGrant } from '../../db/entities/index.ts';
import { ROSTER_ROLES } from '../../domain/roles.ts';
import { defineAction, type DoneOutcome } from '../action.ts';
import { organisationBySlug } from '../organisations/organisations.ts';
import { slackUserIdSchema, slugSchema, flags } from '../inputs.ts';

export interface GrantOutcome extends DoneOutcome {
  slackUserId: string;
  role: string;
  organisation: string | null;
  changed: boolean;
}

/** Gives a Slack user a Roster role, platform-wide or for one organisation; a second grant for the same scope replaces the first. */
export const grantRole = defineAction({
  name: 'grant',
  describedAs: 'granting Roster roles',
  requires: 'owner',
  command: {
    usage: '<@someone> <viewer|helpdesk|admin|owner>',
    positional: ['slackUserId', 'role'],
    flags: flags.org,
    mentions: 'slack-user',
  },
  input: z.object({ slackUserId: slackUserIdSchema, role: z.enum(ROSTER_ROLES), organisation: slugSchema.optional() }),
  async run(ctx, { slackUserId, role, organisation: slug }): Promise<GrantOutcome> {
    const organisation = slug ? await organisationBySlug(ctx.em, slug) : null;
    const scope = organisation ? ` in ${organisation.slug}` : ' on the whole platform';
    const label = `Slack user ${slackUserId}${organisation ? ` in ${organisation.slug}` : ''}`;
    ctx.aboutTarget({ type: 'grant', id: slackUserId, label, organisationId: organisation?.id ?? null });
    ctx.authorize(organisation?.id ?? null);
    const existing = await ctx.em.findOne(SlackGrant, { slackUserId, organisation: organisation?.id ?? null });
    const before = existing?.role ?? null;
    const grant = existing ?? ctx.em.create(SlackGrant, { slackUserId, role, organisation, grantedBy: ctx.actor.id });
    grant.role = role;
    grant.grantedBy = ctx.actor.id;
    const changed = before !== role;
    if (changed) {
      ctx.audit.record({
        action: 'grant',
        target: { type: 'grant', id: slackUserId, label, organisationId: organisation?.id ?? null },
        changes: { role: { before, after: role } },
      });
    }
    return {
      kind: 'done',
      slackUserId,
      role,
      organisation: organisation?.slug ?? null,
      changed,
      message: `<@${slackUserId}> is ${role}${scope}${changed ? (before ? ` (was ${before}).` : '.') : ' (unchanged).'}`,
    };
  },
});
