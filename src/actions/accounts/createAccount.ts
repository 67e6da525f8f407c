import { z } from 'zod';
import { Account, Group, Membership, type IGroup, type IOrganisation } from '../../db/entities/index.ts';
import { ACCOUNT_ROLES, defaultUsername } from '../../domain/accounts.ts';
import type { AccountStatus } from '../../domain/statuses.ts';
import { FieldRefusedError } from '../../domain/errors.ts';
import { mayRead } from '../../domain/roles.ts';
import { type AccountOutcome, type ActionContext, defineAction } from '../action.ts';
import { accountLabel } from '../auditTargets.ts';
import { emailSchema, externalIdSchema, personNameSchema, slugSchema, usernameSchema } from '../inputs.ts';
import { organisationBySlug } from '../organisations/organisations.ts';
import { fullName } from './account.ts';
import { queueMail } from './mail.ts';

const AUDITED_FIELDS = ['email', 'username', 'firstName', 'lastName', 'role', 'status', 'authSource', 'externalId'] as const;

/** How many groups one new account may join at once (the create form's group picker allows as many). */
export const MAX_GROUPS_ON_CREATE = 20;

export interface CreatedAccount extends AccountOutcome {
  username: string;
  status: AccountStatus;
}

/**
 * Adds an account, with its groups and its invitation, all in one transaction: a refused group leaves no account
 * behind. With an invitation it starts INVITED (the person sets their own password from the mail); without one it
 * starts STAGED, for a silent import.
 */
export const createAccount = defineAction({
  name: 'create',
  describedAs: 'creating an account',
  requires: 'admin',
  input: z.object({
    email: emailSchema,
    firstName: personNameSchema,
    lastName: personNameSchema,
    username: usernameSchema.optional(),
    role: z.enum(ACCOUNT_ROLES).default('user'),
    organisation: slugSchema.optional(),
    authSource: z.enum(['local', 'sso']).default('local'),
    sendInvitation: z.boolean().default(true),
    /** The identity provider's ID for the person (SCIM provisioning), unique within the organisation. */
    externalId: externalIdSchema.optional(),
    /** Group IDs (the form's group picker); each joins as a member. */
    groups: z.array(z.uuid('choose groups from the list')).max(MAX_GROUPS_ON_CREATE, `choose at most ${MAX_GROUPS_ON_CREATE} groups`).default([]),
  }),
  async run(ctx, input): Promise<CreatedAccount> {
    const organisation = await organisationBySlug(ctx.em, input.organisation);
    const username = input.username ?? defaultUsername(input.email);
    const label = accountLabel(input);
    ctx.aboutTarget({ type: 'account', id: null, label, organisationId: organisation.id });
    ctx.authorize(organisation.id);
    await refuseIfTaken(ctx, input.email, username);
    if (input.externalId !== undefined) await refuseIfExternalIdTaken(ctx, organisation, input.externalId);
    const groups = await chosenGroups(ctx, organisation, input.groups);

    const account = ctx.em.create(Account, {
      organisation,
      email: input.email,
      username,
      firstName: input.firstName,
      lastName: input.lastName,
      role: input.role,
      authSource: input.authSource,
      externalId: input.externalId ?? null,
      status: input.sendInvitation ? 'INVITED' : 'STAGED',
    });
    for (const group of groups) ctx.em.create(Membership, { account, group, role: 'member' });
    ctx.aboutTarget({ type: 'account', id: account.id, label, organisationId: organisation.id });
    ctx.audit.record({
      action: 'create',
      target: { type: 'account', id: account.id, label, organisationId: organisation.id },
      changes: {
        ...Object.fromEntries(AUDITED_FIELDS.map((field) => [field, { before: null, after: account[field] }])),
        ...Object.fromEntries(groups.map((group) => [`groups.${group.name}`, { before: null, after: 'member' }])),
      },
    });
    if (input.sendInvitation) queueMail(ctx, account, 'invitation');
    const invitation = account.status === 'INVITED' ? 'INVITED: the invitation email is on its way' : `${account.status}: no invitation sent`;
    const joined = groups.length ? ` Added to ${groups.map((group) => `“${group.name}”`).join(', ')}.` : '';
    return {
      kind: 'account',
      accountId: account.id,
      username,
      status: account.status,
      message: `Created ${fullName(account)} <${account.email}> as ${username} in ${organisation.slug}, ${invitation}.${joined}`,
    };
  },
});

/** Names who has the email or username when the caller may read their organisation; otherwise only that someone does. */
async function refuseIfTaken(ctx: ActionContext, email: string, username: string): Promise<void> {
  const taken = await ctx.em.findOne(Account, { $or: [{ email }, { username }] }, { populate: ['organisation'] });
  if (!taken) return;
  const who = mayRead(ctx.actor.grants, taken.organisation.id) ? fullName(taken) : 'an account in an organisation you cannot see';
  if (taken.email === email) throw new FieldRefusedError(`${email} already belongs to ${who}.`, 'conflict', 'email');
  throw new FieldRefusedError(`The username “${username}” is taken by ${who}; choose another username.`, 'conflict', 'username');
}

/** An external ID names one account of its organisation. */
export async function refuseIfExternalIdTaken(ctx: ActionContext, organisation: IOrganisation, externalId: string, exceptAccountId?: string): Promise<void> {
  const holder = await ctx.em.findOne(Account, { organisation, externalId, ...(exceptAccountId ? { id: { $ne: exceptAccountId } } : {}) });
  if (holder) throw new FieldRefusedError(`The external ID “${externalId}” already belongs to ${fullName(holder)}.`, 'conflict', 'externalId');
}

/** The chosen groups, each of the account's organisation; a group of an organisation the caller cannot read is never named. */
async function chosenGroups(ctx: ActionContext, organisation: IOrganisation, ids: readonly string[]): Promise<IGroup[]> {
  if (ids.length === 0) return [];
  const found = await ctx.em.find(Group, { id: { $in: [...ids] } }, { populate: ['organisation'], orderBy: { name: 'asc' } });
  const visible = found.filter((group) => mayRead(ctx.actor.grants, group.organisation.id));
  if (visible.length < new Set(ids).size) throw new FieldRefusedError('A chosen group no longer exists; choose the groups again.', 'not-found', 'groups');
  const elsewhere = visible.filter((group) => group.organisation.id !== organisation.id);
  if (elsewhere.length) {
    const where = elsewhere.map((group) => `“${group.name}” is in ${group.organisation.slug}`).join(', ');
    throw new FieldRefusedError(`${where}, not ${organisation.slug}; choose groups of the account's organisation.`, 'invalid-input', 'groups');
  }
  return visible;
}
