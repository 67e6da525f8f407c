import { z } from 'zod';
import { escapeLike } from '../../db/like.ts';
import { Group } from '../../db/entities/index.ts';
import { defineAction } from '../action.ts';

/** The most groups one search answers with: a Slack external select shows about that many. */
const GROUP_SEARCH_LIMIT = 20;

export interface GroupSummary {
  id: string;
  name: string;
  organisationSlug: string;
}

/**
 * Groups whose name contains the text, or whose external ID starts with it, case-insensitively, in the organisations
 * the caller's grants cover (the group picker of the create-account modal). A read, so only refusals are audited.
 */
export const searchGroupsAction = defineAction({
  name: 'group-search',
  describedAs: 'searching groups',
  requires: 'viewer',
  readOnly: true,
  input: z.object({ query: z.string().trim().max(100, 'search with at most 100 characters') }),
  async run(ctx, { query }): Promise<GroupSummary[]> {
    const scope = ctx.organisationsInScope();
    if (scope !== null && scope.length === 0) return [];
    const text = escapeLike(query);
    const groups = await ctx.em.find(
      Group,
      {
        ...(scope === null ? {} : { organisation: { $in: scope } }),
        ...(text ? { $or: [{ name: { $ilike: `%${text}%` } }, { externalId: { $ilike: `${text}%` } }] } : {}),
      },
      { populate: ['organisation'], fields: ['name', 'organisation.slug'], orderBy: { name: 'asc', id: 'asc' }, limit: GROUP_SEARCH_LIMIT },
    );
    return groups.map((group) => ({ id: group.id, name: group.name, organisationSlug: group.organisation.slug }));
  },
});
