import { z } from 'zod';
import { liveAccountIds, scimGroupById, scimGroupPage, type ScimGroupRow } from '../../db/scimGroups.ts';
import { FieldRefusedError, RefusedError } from '../../domain/errors.ts';
import { MAX_FILTER_LENGTH, parseGroupFilter, ScimFilterError } from '../../domain/scimFilter.ts';
import { defineAction } from '../action.ts';
import { SCIM_MAX_RESULTS } from './scimUsers.ts';

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
  input: z.object({
    filter: z.string().max(MAX_FILTER_LENGTH).optional(),
    startIndex: z.number().int().min(1).default(1),
    count: z.number().int().min(0).default(100),
    withMembers: z.boolean().default(true),
  }),
  async run(ctx, { filter, startIndex, count, withMembers }): Promise<{ total: number; startIndex: number; rows: ScimGroupRow[] }> {
    let parsed: ReturnType<typeof parseGroupFilter> | undefined;
    try {
      parsed = filter?.trim() ? parseGroupFilter(filter) : undefined;
    } catch (error) {
      if (error instanceof ScimFilterError) throw new FieldRefusedError(error.message, 'invalid-input', 'filter');
      throw error;
    }
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
