import { z } from 'zod';
import { liveAccountIds, scimGroupById, scimGroupPage, type ScimGroupRow } from '../../db/scimGroups.ts';
import { FieldRefusedError, RefusedError } from '../../domain/errors.ts';
import { parseGroupFilter } from '../../domain/scimFilter.ts';
import { defineAction, runWithin, type GroupOutcome } from '../action.ts';
import { addToGroup } from '../groups/addToGroup.ts';
import { createGroup } from '../groups/createGroup.ts';
import { groupRefSchema } from '../groups/groups.ts';
import { removeFromGroup } from '../groups/removeFromGroup.ts';
import { renameGroup } from '../groups/renameGroup.ts';
import { setGroupExternalId } from '../groups/setGroupExternalId.ts';
import { parsedFilter, SCIM_MAX_RESULTS, scimListInput } from './scimUsers.ts';
import { PROVISIONED_REASON } from './updateProvisionedAccount.ts';

/** One group as SCIM shows it, when it is one the caller may read; otherwise refused as not found, naming nothing. */
export const scimGroup = defineAction({
  name: 'scim-group',
  describedAs: 'reading groups over SCIM',
  requires: 'viewer',
  readOnly: true,
  input: z.object({ groupId: z.string().trim().min(1).max(100), withMembers: z.boolean().default(true) }),
  async run(ctx, { groupId, withMembers }): Promise<ScimGroupRow> {
    const found = z.uuid().safeParse(groupId).success ? await scimGroupById(ctx.em, ctx.organisationsInScope(), groupId.toLowerCase(), withMembers) : undefined;
    if (!found) throw new RefusedError(`No Group has the id “${groupId}”.`, 'not-found');
    return found;
  },
});

/** The groups a SCIM filter selects, one page at a time from SCIM's 1-based `startIndex`, with how many match. */
export const scimGroups = defineAction({
  name: 'scim-groups',
  describedAs: 'listing groups over SCIM',
  requires: 'viewer',
  readOnly: true,
  input: scimListInput.extend({ withMembers: z.boolean().default(true) }),
  async run(ctx, { filter, startIndex, count, withMembers }): Promise<{ total: number; startIndex: number; rows: ScimGroupRow[] }> {
    const parsed = parsedFilter(filter, parseGroupFilter);
    const page = await scimGroupPage(ctx.em, ctx.organisationsInScope(), parsed, { startIndex, count: Math.min(count, SCIM_MAX_RESULTS), withMembers });
    return { ...page, startIndex };
  },
});

/** The most members one request may name: about what the largest body (512 KiB) holds. */
const MAX_MEMBERS = 10_000;

/**
 * Checks, before a group changes, that every member a request adds is a User the caller may see: one of another
 * organisation, deleted or unknown is refused by name, and the group is left as it was.
 */
export const scimMembersCheck = defineAction({
  name: 'scim-members-check',
  describedAs: 'changing group membership over SCIM',
  requires: 'admin',
  readOnly: true,
  input: z.object({ userIds: z.array(z.string().max(100)).min(1).max(MAX_MEMBERS) }),
  async run(ctx, { userIds }): Promise<void> {
    const wellFormed = userIds.filter((id) => z.uuid().safeParse(id).success);
    const found = await liveAccountIds(ctx.em, ctx.organisationsInScope(), wellFormed);
    const unknown = userIds.filter((id) => !found.has(id));
    if (unknown.length === 0) return;
    const shown = unknown.slice(0, 5).map((id) => `“${id}”`);
    throw new FieldRefusedError(
      `members: no User of this organisation has the id ${shown.join(', ')}${unknown.length > 5 ? ` (and ${unknown.length - 5} more)` : ''}; a group's members are Users of its organisation.`,
      'invalid-input',
      'members',
    );
  },
});

const memberIds = z.array(z.string().max(100)).max(MAX_MEMBERS).default([]);

/**
 * A SCIM POST of a Group: the group and its first members in one transaction, by the same group actions Slack and the
 * CLI run (their rules, their audit events), so a member it may not add leaves no group behind.
 */
export const createProvisionedGroup = defineAction({
  name: 'scim-group-create',
  describedAs: 'changing groups over SCIM',
  requires: 'admin',
  input: z.object({ name: z.string(), externalId: z.string().optional(), organisation: z.string(), members: memberIds }),
  async run(ctx, { name, externalId, organisation, members }): Promise<GroupOutcome> {
    if (members.length > 0) await runWithin(ctx, scimMembersCheck, { userIds: members });
    const created = await runWithin(ctx, createGroup, { name, externalId, organisation, reason: PROVISIONED_REASON });
    for (const account of members) await runWithin(ctx, addToGroup, { account, group: created.groupId, reason: PROVISIONED_REASON });
    return created;
  },
});

/**
 * A SCIM PUT or PATCH of a Group: its name, external ID and members changed together in one transaction, each change
 * by the group action Slack and the CLI run, so a refusal of any (the owner leaving, a member of another organisation)
 * leaves the group as it was.
 */
export const updateProvisionedGroup = defineAction({
  name: 'scim-group-update',
  describedAs: 'changing groups over SCIM',
  requires: 'admin',
  input: z.object({ group: groupRefSchema, name: z.string().optional(), externalId: z.string().optional(), adds: memberIds, removes: memberIds }),
  async run(ctx, { group, name, externalId, adds, removes }): Promise<GroupOutcome> {
    const reason = PROVISIONED_REASON;
    if (adds.length > 0) await runWithin(ctx, scimMembersCheck, { userIds: adds });
    let outcome: GroupOutcome = { kind: 'group', groupId: group, message: 'Changed the group’s members.' };
    if (name !== undefined) outcome = await runWithin(ctx, renameGroup, { group, name, reason });
    if (externalId !== undefined) outcome = await runWithin(ctx, setGroupExternalId, { group, externalId, reason });
    for (const account of removes) await runWithin(ctx, removeFromGroup, { account, group, reason });
    for (const account of adds) await runWithin(ctx, addToGroup, { account, group, reason });
    return outcome;
  },
});
