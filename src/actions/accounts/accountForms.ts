import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { DEFAULT_ORGANISATION_SLUG, Organisation } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';
import { effectiveGrant, roleIncludes, type Grant } from '../../domain/roles.ts';
import type { AccountStatus } from '../../domain/statuses.ts';
import { defineAction } from '../action.ts';
import { loadLiveAccount } from './account.ts';
import { createAccount } from './createAccount.ts';
import { editAccount } from './editAccount.ts';
import { accountRefSchema } from '../inputs.ts';

/** Slack's limit on the options of a static select. */
const MAX_ORGANISATION_CHOICES = 100;

export interface OrganisationChoice {
  slug: string;
  name: string;
}

export interface OrganisationChoices {
  organisations: OrganisationChoice[];
  /** The caller may use more organisations than the form lists. */
  more: boolean;
}

export interface CreateAccountForm extends OrganisationChoices {
  /** The organisation chosen at first: the default one when the caller may use it, else the first listed. */
  initialOrganisation: string;
}

export interface EditAccountForm extends OrganisationChoices {
  accountId: string;
  version: number;
  firstName: string;
  lastName: string;
  username: string;
  email: string;
  status: AccountStatus;
  organisation: OrganisationChoice;
}

/*
 * The "can open" checks of the create and edit modals. Each carries the name, role and description of the action its
 * form submits, so a caller refused here is refused (and audited, through runAction) exactly as the submission would
 * be, before a modal opens; allowed, it gets what the form needs to show. Reads only: they record nothing when allowed,
 * and they are not in the registry, where the names belong to the actions themselves.
 */

export const createAccountForm = defineAction({
  name: createAccount.name,
  describedAs: createAccount.describedAs,
  requires: createAccount.requires,
  input: z.object({}),
  async run(ctx): Promise<CreateAccountForm> {
    const choices = await organisationChoices(ctx.em, ctx.organisationsInScope());
    if (choices.organisations.length === 0)
      throw new RefusedError('None of the organisations your grants cover exists any more; ask a Roster owner.', 'not-found');
    const initial = choices.organisations.find((o) => o.slug === DEFAULT_ORGANISATION_SLUG) ?? choices.organisations[0]!;
    return { ...choices, initialOrganisation: initial.slug };
  },
});

export const editAccountForm = defineAction({
  name: editAccount.name,
  describedAs: editAccount.describedAs,
  requires: editAccount.requires,
  input: z
    .object({
      account: accountRefSchema,
      /** Words typed after the account: the form edits, so there is nothing more to say. */
      more: z.array(z.string()).default([]),
    })
    .refine((input) => input.more.length === 0, {
      message:
        '`/user edit <who>` opens a form to edit the account: name just the account (an email, username or ID). To type a change, use `/user username <who> <new>` or `/user email <who> <new> [--org <slug>]`.',
    }),
  async run(ctx, { account: ref }): Promise<EditAccountForm> {
    const account = await loadLiveAccount(ctx, ref);
    const choices = await organisationChoices(ctx.em, ctx.organisationsInScope());
    const current = { slug: account.organisation.slug, name: account.organisation.name };
    // The account's own organisation is always offered, even past the first hundred.
    const organisations = choices.organisations.some((o) => o.slug === current.slug)
      ? choices.organisations
      : [current, ...choices.organisations.slice(0, MAX_ORGANISATION_CHOICES - 1)];
    return {
      accountId: account.id,
      version: account.version,
      firstName: account.firstName,
      lastName: account.lastName,
      username: account.username,
      email: account.email,
      status: account.status,
      organisation: current,
      organisations,
      more: choices.more,
    };
  },
});

/** The organisations in which the grants may create and edit accounts (admin or above), by name, at most a select's worth. */
export async function organisationChoices(em: EntityManager, scope: string[] | null): Promise<OrganisationChoices> {
  const where = scope === null ? {} : { id: { $in: scope } };
  const rows = await em.find(Organisation, where, { fields: ['slug', 'name'], orderBy: { name: 'asc', slug: 'asc' }, limit: MAX_ORGANISATION_CHOICES + 1 });
  return { organisations: rows.slice(0, MAX_ORGANISATION_CHOICES).map((o) => ({ slug: o.slug, name: o.name })), more: rows.length > MAX_ORGANISATION_CHOICES };
}

/** Whether the card's reader may edit the account (the card then offers Edit): an admin for its organisation, and not deleted. */
export function mayEditAccount(card: { organisation: { id: string }; status: AccountStatus }, grants: readonly Grant[]): boolean {
  const grant = effectiveGrant(grants, card.organisation.id);
  return grant !== undefined && roleIncludes(grant.role, editAccount.requires) && card.status !== 'DELETED';
}
