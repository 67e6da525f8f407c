import { z } from 'zod';
import { Group, Organisation, type IAccount, type IGroup, type IOrganisation } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';
import { readableOrganisations } from '../../domain/roles.ts';
import { defineAction, type ActionContext, type GroupOutcome } from '../action.ts';
import { fullName, loadAccount } from '../accounts/account.ts';
import {
  auditGroupChange,
  externalIdSchema,
  groupNameSchema,
  groupOrgSchema,
  groupRefSchema,
  groupTarget,
  joinAsOwner,
  loadGroup,
  OWNER_JOINS_AS,
  quoted,
  requireFreeExternalId,
  requireFreeName,
  requireOwnable,
} from './groups.ts';
import { organisationBySlug } from '../organisations/organisations.ts';
import { accountRefSchema, reasonSchema, flags } from '../inputs.ts';

/** Creates a group in one organisation, optionally under a parent and with an owner. */
export const createGroup = defineAction({
  name: 'group-create',
  describedAs: 'creating a group',
  requires: 'admin',
  command: {
    usage: '<name> [--external-id <id>] [--parent <group>] [--owner <who>]',
    positional: ['name'],
    flags: {
      'external-id': { field: 'externalId', type: 'string' },
      parent: { field: 'parent', type: 'string' },
      owner: { field: 'owner', type: 'string' },
      ...flags.org,
      ...flags.reason,
    },
  },
  input: z.object({
    name: groupNameSchema,
    externalId: externalIdSchema.optional(),
    parent: groupRefSchema.optional(),
    owner: accountRefSchema.optional(),
    organisation: groupOrgSchema,
    reason: reasonSchema,
  }),
  async run(ctx, input): Promise<GroupOutcome> {
    let organisation: IOrganisation | undefined = input.organisation ? await organisationBySlug(ctx.em, input.organisation) : undefined;
    const parent: IGroup | null = input.parent ? await loadGroup(ctx, input.parent, { organisation: input.organisation }) : null;
    organisation ??= parent?.organisation;
    const owner: IAccount | null = input.owner ? await loadAccount(ctx, input.owner) : null;
    if (owner && organisation && owner.organisation.id !== organisation.id) {
      throw new RefusedError(
        `${fullName(owner)} is in ${owner.organisation.slug}, not ${organisation.slug}; a group’s owner is in its organisation.`,
        'invalid-input',
      );
    }
    organisation ??= owner?.organisation ?? (await callersOrganisation(ctx));
    ctx.aboutTarget({ type: 'group', id: null, label: `${input.name} (${organisation.slug})`, organisationId: organisation.id });
    ctx.authorize(organisation.id);
    if (owner) requireOwnable(owner);
    await requireFreeName(ctx, organisation, input.name);
    if (input.externalId) await requireFreeExternalId(ctx, organisation, input.externalId);

    const group = ctx.em.create(Group, { organisation, name: input.name, externalId: input.externalId ?? null, parent, owner });
    ctx.aboutTarget(groupTarget(group));
    const joined = owner ? joinAsOwner(ctx, group, owner) : {};
    auditGroupChange(ctx, 'group-create', group, null, input.reason, joined);
    const details = [parent ? `under ${quoted(parent.name)}` : null, owner ? `owned by ${fullName(owner)}, who joined it as ${OWNER_JOINS_AS}` : null].filter(
      Boolean,
    );
    return {
      kind: 'group',
      groupId: group.id,
      message: `Created ${quoted(group.name)} in ${organisation.slug}${details.length ? `, ${details.join(', ')}` : ''}.`,
    };
  },
});

/** Without --org, a parent or an owner: the one organisation the caller's grants are limited to, else the default one. */
async function callersOrganisation(ctx: ActionContext): Promise<IOrganisation> {
  const scope = readableOrganisations(ctx.actor.grants);
  if (!scope) return organisationBySlug(ctx.em, undefined);
  const distinct = [...new Set(scope)];
  if (distinct.length > 1) throw new RefusedError('Your grants cover several organisations; say which with --org <slug>.', 'invalid-input');
  return ctx.em.findOneOrFail(Organisation, distinct[0]!);
}
