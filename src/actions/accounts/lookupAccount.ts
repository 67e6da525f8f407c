import { z } from 'zod';
import { findAccountCard, type AccountCard, type AccountSummary, type CardKey } from '../../db/accountCards.ts';
import { searchAccountSummaries } from '../../db/accountSearch.ts';
import { normaliseLogin } from '../../domain/accounts.ts';
import { defineAction } from '../action.ts';

/** How many name matches a lookup lists before asking for a narrower query. */
export const LOOKUP_MATCH_LIMIT = 10;

export type LookupResult =
  | { kind: 'card'; card: AccountCard }
  | { kind: 'matches'; query: string; matches: AccountSummary[]; more: boolean }
  | { kind: 'none'; query: string };

export const lookupAccount = defineAction({
  name: 'lookup',
  describedAs: 'looking up accounts',
  requires: 'viewer',
  readOnly: true,
  input: z.object({ query: z.string().trim().min(1, 'say whose account: an email, username, ID or name').max(320) }),
  async run(ctx, { query }): Promise<LookupResult> {
    const exact = await findExact(ctx.em, query);
    if (exact) {
      ctx.aboutTarget({ type: 'account', id: exact.id, label: `${exact.firstName} ${exact.lastName} <${exact.email}>`, organisationId: exact.organisation.id });
      ctx.authorize(exact.organisation.id);
      return { kind: 'card', card: exact };
    }
    const scope = ctx.organisationsInScope();
    const found = await searchAccountSummaries(ctx.em, query, scope, LOOKUP_MATCH_LIMIT + 1);
    if (found.length === 1) {
      const card = await findAccountCard(ctx.em, { by: 'id', value: found[0]!.id });
      if (card) return { kind: 'card', card };
    }
    if (found.length === 0) return { kind: 'none', query };
    return { kind: 'matches', query, matches: found.slice(0, LOOKUP_MATCH_LIMIT), more: found.length > LOOKUP_MATCH_LIMIT };
  },
});

// Built once: making a zod schema costs more than checking a string with it.
const accountId = z.uuid();

/** An ID, an email or a username names exactly one account. */
function findExact(em: Parameters<typeof findAccountCard>[0], query: string): Promise<AccountCard | null> {
  const key: CardKey = accountId.safeParse(query).success
    ? { by: 'id', value: query.toLowerCase() }
    : { by: query.includes('@') ? 'email' : 'username', value: normaliseLogin(query) };
  return findAccountCard(em, key);
}
