import { z } from 'zod';
import { SlackGrant } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction, type DoneOutcome } from '../action.ts';
import { organisationBySlug } from '../organisations/organisations.ts';
import { slackUserIdSchema, slugSchema, flags } from '../inputs.ts';

/** Takes a Slack user's Roster role away, for the whole platform or for one organisation. */
export const revokeRole = defineAction({
  name: 'revoke',
  describedAs: 'revoking Roster roles',
  requires: 'owner',
  command: {
    usage: '<@someone>',
    positional: ['slackUserId'],
    flags: flags.org,
    mentions: 'slack-user',
  },
  input: z.object({ slackUserId: slackUserIdSchema, organisation: slugSchema.optional() }),
  async run(ctx, { slackUserId, organisation: slug }): Promise<DoneOutcome> {
    const organisation = slug ? await organisationBySlug(ctx.em, slug) : null;
    const label = `Slack user ${slackUserId}${organisation ? ` in ${organisation.slug}` : ''}`;
    ctx.aboutTarget({ type: 'grant', id: slackUserId, label, organisationId: organisation?.id ?? null });
    ctx.authorize(organisation?.id ?? null);
    const grant = await ctx.em.findOne(SlackGrant, { slackUserId, organisation: organisation?.id ?? null });
    if (!grant)
      throw new RefusedError(`<@${slackUserId}> has no Roster role${organisation ? ` in ${organisation.slug}` : ' on the whole platform'}.`, 'not-found');
    if (grant.role === 'owner' && !organisation && (await ctx.em.count(SlackGrant, { role: 'owner', organisation: null })) === 1) {
      throw new RefusedError(`<@${slackUserId}> is the last platform owner; grant another owner first, or nobody could grant roles any more.`, 'invalid-state');
    }
    ctx.em.remove(grant);
    ctx.audit.record({
      action: 'revoke',
      target: { type: 'grant', id: slackUserId, label, organisationId: organisation?.id ?? null },
      changes: { role: { before: grant.role, after: null } },
    });
    return { kind: 'done', message: `<@${slackUserId}> is no longer ${grant.role}${organisation ? ` in ${organisation.slug}` : ''}.` };
  },
});
