import { z } from 'zod';
import { ApprovalRequest, type IOrganisation, SlackGrant } from '../../db/entities/index.ts';
import { ownerGrantNeedsApproval } from '../../domain/approvals.ts';
import { RefusedError } from '../../domain/errors.ts';
import { ROSTER_ROLES, type RosterRole } from '../../domain/roles.ts';
import { type ActionContext, defineAction, type DoneOutcome } from '../action.ts';
import { requestTarget, whenText } from '../approvals/approvals.ts';
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
    const label = `Slack user ${slackUserId}${organisation ? ` in ${organisation.slug}` : ''}`;
    ctx.aboutTarget({ type: 'grant', id: slackUserId, label, organisationId: organisation?.id ?? null });
    ctx.authorize(organisation?.id ?? null);
    const existing = await ctx.em.findOne(SlackGrant, { slackUserId, organisation: organisation?.id ?? null });
    if (existing?.role !== role && ownerGrantNeedsApproval(role, organisation)) return askOwnerGrant(ctx, slackUserId, organisation!);
    return applyGrant(ctx, slackUserId, role, organisation);
  },
});

/** Gives the role now (the grant's audit event names the approval request it carries out, if any). */
export async function applyGrant(
  ctx: ActionContext,
  slackUserId: string,
  role: RosterRole,
  organisation: IOrganisation | null,
  approvalId?: string,
): Promise<GrantOutcome> {
  const scope = organisation ? ` in ${organisation.slug}` : ' on the whole platform';
  const label = `Slack user ${slackUserId}${organisation ? ` in ${organisation.slug}` : ''}`;
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
      approvalId,
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
}

/** The organisation sends its owner grants for approval: the request waits for a second person; nothing is granted yet. */
async function askOwnerGrant(ctx: ActionContext, slackUserId: string, organisation: IOrganisation): Promise<GrantOutcome> {
  const waiting = await ctx.em.findOne(ApprovalRequest, { kind: 'grant-owner', grantee: slackUserId, organisation, state: 'pending' });
  if (waiting) throw new RefusedError(`A request to make <@${slackUserId}> an owner of ${organisation.slug} already waits for a decision.`, 'conflict');
  const request = ctx.em.create(ApprovalRequest, {
    organisation,
    kind: 'grant-owner',
    grantee: slackUserId,
    reason: `owner of ${organisation.slug}`,
    requestedBy: ctx.actor.id,
    expiresAt: new Date(Date.now() + organisation.approvalHours * 3600_000),
  });
  ctx.audit.record({ action: 'approval-requested', target: requestTarget(request), approvalId: request.id });
  const notices = ctx.services.approvals;
  if (notices) ctx.afterCommit(() => notices.requested(request.id));
  return {
    kind: 'done',
    slackUserId,
    role: 'owner',
    organisation: organisation.slug,
    changed: false,
    message: `Asked: making <@${slackUserId}> an owner of ${organisation.slug} waits for a second approver until ${whenText(request.expiresAt)}; nothing is granted until then.`,
  };
}
