import { z } from 'zod';
import { scimUserById, scimUserPage, type ScimUserRow } from '../../db/scimUsers.ts';
import { FieldRefusedError, RefusedError } from '../../domain/errors.ts';
import { MAX_FILTER_LENGTH, parseUserFilter, ScimFilterError } from '../../domain/scimFilter.ts';
import { defineAction } from '../action.ts';

/** The most Users one SCIM page returns (ServiceProviderConfig's `filter.maxResults`); a larger `count` gets this many. */
export const SCIM_MAX_RESULTS = 200;

/** What a SCIM list asks: a filter, and the page from SCIM's 1-based `startIndex`. */
export const scimListInput = z.object({
  filter: z.string().max(MAX_FILTER_LENGTH).optional(),
  startIndex: z.number().int().min(1).default(1),
  count: z.number().int().min(0).default(100),
});

/** One account as SCIM shows it, when it is one the caller may read; otherwise refused as not found, naming nothing. */
export const scimUser = defineAction({
  name: 'scim-user',
  describedAs: 'reading accounts over SCIM',
  requires: 'viewer',
  readOnly: true,
  input: z.object({ accountId: z.string().trim().min(1).max(100) }),
  async run(ctx, { accountId }): Promise<ScimUserRow> {
    const found = z.uuid().safeParse(accountId).success ? await scimUserById(ctx.em, ctx.organisationsInScope(), accountId.toLowerCase()) : undefined;
    if (!found) throw new RefusedError(`No User has the id “${accountId}”.`, 'not-found');
    return found;
  },
});

/** The accounts a SCIM filter selects, one page at a time from SCIM's 1-based `startIndex`, with how many match. */
export const scimUsers = defineAction({
  name: 'scim-users',
  describedAs: 'listing accounts over SCIM',
  requires: 'viewer',
  readOnly: true,
  input: scimListInput,
  async run(ctx, { filter, startIndex, count }): Promise<{ total: number; startIndex: number; rows: ScimUserRow[] }> {
    const parsed = parsedFilter(filter, parseUserFilter);
    const page = await scimUserPage(ctx.em, ctx.organisationsInScope(), parsed, { startIndex, count: Math.min(count, SCIM_MAX_RESULTS) });
    return { ...page, startIndex };
  },
});

/** The `filter` of a SCIM list, parsed; one the grammar refuses is refused as that field, with the parser's sentence. */
export function parsedFilter<Filter>(filter: string | undefined, parse: (text: string) => Filter): Filter | undefined {
  if (!filter?.trim()) return undefined;
  try {
    return parse(filter);
  } catch (error) {
    if (error instanceof ScimFilterError) throw new FieldRefusedError(error.message, 'invalid-input', 'filter');
    throw error;
  }
}
