import { z } from 'zod';
import type { AccountSummary } from '../../db/accountCards.ts';
import { searchAccountSummaries } from '../../db/accountSearch.ts';
import { defineAction } from '../action.ts';

/** The most accounts one search answers with (a Slack external select shows about that many). */
export const SEARCH_RESULT_LIMIT = 20;

/**
 * Accounts whose name, last name, username or email starts with the query, as you type (the Slack account picker):
 * only in the organisations the caller's grants cover, never soft-deleted ones. A read, so only refusals are audited.
 */
export const searchAccountsAction = defineAction({
  name: 'search',
  describedAs: 'searching accounts',
  requires: 'viewer',
  readOnly: true,
  input: z.object({ query: z.string().max(100, 'search with at most 100 characters') }),
  async run(ctx, { query }): Promise<AccountSummary[]> {
    return searchAccountSummaries(ctx.em, query, ctx.organisationsInScope(), SEARCH_RESULT_LIMIT);
  },
});
