import { z } from 'zod';
import { escapeLike } from '../../db/like.ts';
import { Group, Membership, type IAccount, type IGroup, type IOrganisation } from '../../db/entities/index.ts';
import { FieldRefusedError, RefusedError } from '../../domain/errors.ts';
import { readableOrganisations } from '../../domain/roles.ts';
import type { ActionContext } from '../action.ts';
import { changedFields, type FieldChanges } from '../audit.ts';
import { organisationBySlug } from '../organisations/organisations.ts';
import { slugSchema } from '../inputs.ts';
import { type AuditTarget, accountLabel } from '../auditTargets.ts';

/** Names one group: its name (quoted when it has spaces) or its external ID. */
export const groupRefSchema = z.string().trim().min(1, 'say which group: its name (in quotes if it has spaces) or its external ID').max(200);
export const groupNameSchema = z.string().trim().min(1, 'must not be empty').max(200);
export const externalIdSchema = z.string().trim().min(1, 'must not be empty').max(200);
/** `--org <slug>`: which organisation a group name belongs to, when the same name exists in several. */
export const groupOrgSchema = slugSchema.optional();

function groupLabel(group: Pick<IGroup, 'name'> & { organisation: Pick<IOrganisation, 'slug'> }): string {
  return `${group.name} (${group.organisation.slug})`;
}

export function groupTarget(group: IGroup): AuditTarget {
  return { type: 'group', id: group.id, label: groupLabel(group), organisationId: group.organisation.id };
}

/** “Night Shift”, as sentences quote group names. */
export function quoted(name: string): string {
  return `“${name}”`;
}

interface GroupLookup {
  /** `--org`: look only in this organisation (its slug). */
  organisation?: string;
  /**
   * Look only in this organisation: the account's, when the group is named together with an account. The action is
   * then about the account, so refusals stay audited against it.
   */
  within?: IOrganisation;
}

/**
 * The group named by `ref` among the organisations the caller's grants cover: its ID, an exact name, then an external
 * ID, then a name in any case. The same name in two organisations is refused, asking for --org. Checks the caller's
 * role in its organisation and, unless it was looked up `within` an account's organisation, audits against it.
 */
export async function loadGroup(ctx: ActionContext, ref: string, lookup: GroupLookup = {}): Promise<IGroup> {
  const group = await findGroup(ctx, ref, lookup);
  if (!lookup.within) ctx.aboutTarget(groupTarget(group));
  ctx.authorize(group.organisation.id);
  return group;
}

async function findGroup(ctx: ActionContext, ref: string, lookup: GroupLookup): Promise<IGroup> {
  let organisation = lookup.within;
  if (lookup.organisation) {
    const named = await organisationBySlug(ctx.em, lookup.organisation);
    ctx.authorize(named.id);
    if (organisation && organisation.id !== named.id) {
      throw new RefusedError(
        `The account is in ${organisation.slug}, not ${named.slug}; a group and its members are in the same organisation.`,
        'invalid-input',
      );
    }
    organisation = named;
  }
  const organisations = organisation ? [organisation.id] : readableOrganisations(ctx.actor.grants);
  const scope = organisations ? { organisation: { $in: organisations } } : {};
  const options = { populate: ['organisation', 'owner', 'parent'], orderBy: { name: 'asc' }, limit: 10 } as const;
  // A card's buttons and replies name the group by its ID.
  if (z.uuid().safeParse(ref).success) {
    const [byId] = await ctx.em.find(Group, { ...scope, id: ref.toLowerCase() }, options);
    if (byId) return byId;
  }
  const exact = await ctx.em.find(Group, { ...scope, $or: [{ name: ref }, { externalId: ref }] }, options);
  const matches = namedBy(ref, exact.length ? exact : await ctx.em.find(Group, { ...scope, name: { $ilike: escapeLike(ref) } }, options));
  if (matches.length === 0) throw new RefusedError(noGroupMatches(ref, organisation?.slug), 'not-found');
  if (matches.length > 1) throw new RefusedError(severalGroupsMatch(ref, matches), 'invalid-input');
  return matches[0]!;
}

/**
 * The groups `ref` names among `candidates` (groups whose name matches it in any case, or whose external ID is it):
 * those with exactly that name, else those with that external ID, else those whose name matches in another case.
 */
function namedBy<G extends Pick<IGroup, 'name' | 'externalId'>>(ref: string, candidates: readonly G[]): G[] {
  const tiers = [candidates.filter((g) => g.name === ref), candidates.filter((g) => g.externalId === ref), [...candidates]];
  return tiers.find((tier) => tier.length > 0) ?? [];
}

/** Why a group name finds nothing; `where` is the organisation looked in, or none for every organisation the grant covers. */
export function noGroupMatches(ref: string, where?: string): string {
  return `No group matches ${quoted(ref)}${where ? ` in ${where}` : ''}. Name a group by its name (in quotes if it has spaces) or its external ID.`;
}

function severalGroupsMatch(ref: string, matches: readonly IGroup[]): string {
  return new Set(matches.map((g) => g.organisation.id)).size > 1
    ? `${quoted(ref)} names groups in ${matches.map((g) => g.organisation.slug).join(', ')}; say which with --org <slug>.`
    : `${quoted(ref)} matches ${matches.map((g) => quoted(g.name)).join(', ')}; type the name exactly as it is written.`;
}

/** A group `ref` names in one organisation, or why it names none there (several groups whose names differ only in case). */
export type GroupInOrganisation = { group: { id: string; name: string } } | { refused: string };

/**
 * The group `ref` names in each of these organisations (null: every one), as loadGroup finds a group within an
 * account's organisation: by ID, exact name, external ID, then name in any case. Organisations where it names no
 * group are left out. A change to accounts of several organisations takes each account's group from its own.
 */
export async function groupInEachOrganisation(
  ctx: ActionContext,
  ref: string,
  organisationIds: readonly string[] | null,
): Promise<Map<string, GroupInOrganisation>> {
  const byId = z.uuid().safeParse(ref).success ? [{ id: ref.toLowerCase() }] : [];
  const candidates = await ctx.em.find(
    Group,
    { ...(organisationIds ? { organisation: { $in: [...organisationIds] } } : {}), $or: [...byId, { name: { $ilike: escapeLike(ref) } }, { externalId: ref }] },
    { populate: ['organisation'], orderBy: { name: 'asc' } },
  );
  const found = new Map<string, GroupInOrganisation>();
  for (const organisationId of new Set(candidates.map((g) => g.organisation.id))) {
    const inOrganisation = candidates.filter((g) => g.organisation.id === organisationId);
    const byItsId = inOrganisation.filter((g) => g.id === ref.toLowerCase());
    const matches = byItsId.length ? byItsId : namedBy(ref, inOrganisation);
    if (matches.length === 1) found.set(organisationId, { group: { id: matches[0]!.id, name: matches[0]!.name } });
    else if (matches.length > 1) found.set(organisationId, { refused: severalGroupsMatch(ref, matches) });
  }
  return found;
}

/** Refuses a name that another group of the organisation already has, in any case. */
export async function requireFreeName(ctx: ActionContext, organisation: IOrganisation, name: string, except?: string): Promise<void> {
  const taken = await ctx.em.findOne(Group, { organisation: organisation.id, name: { $ilike: escapeLike(name) }, ...(except ? { id: { $ne: except } } : {}) });
  if (taken) throw new FieldRefusedError(`${organisation.slug} already has a group called ${quoted(taken.name)}; choose another name.`, 'conflict', 'name');
}

export async function requireFreeExternalId(ctx: ActionContext, organisation: IOrganisation, externalId: string, except?: string): Promise<void> {
  const taken = await ctx.em.findOne(Group, { organisation: organisation.id, externalId, ...(except ? { id: { $ne: except } } : {}) });
  if (taken)
    throw new FieldRefusedError(
      `The external ID ${quoted(externalId)} already belongs to ${quoted(taken.name)} in ${organisation.slug}.`,
      'conflict',
      'externalId',
    );
}

const GROUP_AUDITED = ['name', 'externalId', 'owner', 'parent'] as const;
type GroupSnapshot = Record<(typeof GROUP_AUDITED)[number], string | null>;
const NO_GROUP: GroupSnapshot = { name: null, externalId: null, owner: null, parent: null };

/** The group's audited fields as people read them: the owner as name and email, the parent by name. */
export function groupSnapshot(group: IGroup): GroupSnapshot {
  return {
    name: group.name,
    externalId: group.externalId ?? null,
    owner: group.owner ? accountLabel(group.owner) : null,
    parent: group.parent ? (group.parent as IGroup).name : null,
  };
}

/** One audit event with the group fields that changed since `before` (null: the group is new), plus `extra` changes. */
export function auditGroupChange(
  ctx: ActionContext,
  action: string,
  group: IGroup,
  before: GroupSnapshot | null,
  reason?: string,
  extra: FieldChanges = {},
): void {
  ctx.audit.record({
    action,
    target: groupTarget(group),
    changes: { ...changedFields(before ?? NO_GROUP, groupSnapshot(group), GROUP_AUDITED), ...extra },
    reason,
  });
}

/** Group owners are contacts people reach: an account that cannot come back by itself cannot be one. */
export function requireOwnable(account: IAccount): void {
  if (account.status === 'DEACTIVATED' || account.status === 'DELETED') {
    throw new RefusedError(`${account.firstName} ${account.lastName} is ${account.status}; a group owner must be an active account.`, 'invalid-state');
  }
}

/** The role a new owner gets when ownership makes them a member: the owner is the group's administrative contact. */
export const OWNER_JOINS_AS = 'manager' as const;

/**
 * Makes sure the new owner is a member: returns the audit change when they had to join, or nothing when they were
 * one already.
 */
export async function ensureOwnerIsMember(ctx: ActionContext, group: IGroup, owner: IAccount): Promise<FieldChanges> {
  return (await ctx.em.findOne(Membership, { account: owner, group })) ? {} : joinAsOwner(ctx, group, owner);
}

/** Adds the owner of a new group to it. */
export function joinAsOwner(ctx: ActionContext, group: IGroup, owner: IAccount): FieldChanges {
  ctx.em.create(Membership, { account: owner, group, role: OWNER_JOINS_AS });
  return { [`members.${accountLabel(owner)}`]: { before: null, after: OWNER_JOINS_AS } };
}
