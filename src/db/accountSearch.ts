import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountSummary, OrganisationScope } from './accountCards.ts';
import { escapeLike } from './like.ts';
import { notDeleted } from './notDeleted.ts';

/**
 * What a search matches, as a prefix, each backed by one partial index (see the `*_search` indexes in
 * entities/Account.ts): the SQL here must repeat the indexed expressions exactly, or PostgreSQL cannot use them.
 * `COLLATE "C"` (username and email are "C" columns) lets one plain btree serve both `LIKE 'abc%'` (as a range) and
 * `ORDER BY`, which the database's own collation (C.UTF-8 is not "C" to PostgreSQL) and text_pattern_ops cannot. The
 * full name also covers first names. The rank orders the answer: name matches first, then logins.
 */
const SEARCHED = [
  { rank: 1, key: `lower(a.first_name || ' ' || a.last_name) collate "C"` },
  { rank: 2, key: `lower(a.last_name) collate "C"` },
  { rank: 3, key: `a.username collate "C"` },
  { rank: 4, key: `a.email collate "C"` },
] as const;

/** The longest search text used; longer input is cut (nothing indexed is that long a prefix worth typing). */
const MAX_TEXT = 320;

/** Folds what someone typed the way the indexed keys are folded: lower case, single spaces, no outer spaces. */
export function normaliseSearchText(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase().slice(0, MAX_TEXT);
}

/**
 * Accounts whose full name ("alice li"), last name, username or email starts with the text, case-insensitively,
 * leaving out soft-deleted ones, within the scope: at most `limit`, name matches first, each group in key order.
 *
 * One statement of index-ordered range scans: every (key, organisation) pair is its own branch, `ORDER BY` the
 * indexed expression `LIMIT n`, so each reads at most n index entries that match; the branches are then
 * deduplicated (an account keeps its best rank) and the first n of them joined to their rows. An OR of the
 * prefixes, or `ILIKE '%...%'`, would have to collect and sort every match first.
 */
export async function searchAccountSummaries(em: EntityManager, text: string, scope: OrganisationScope, limit: number): Promise<AccountSummary[]> {
  const folded = normaliseSearchText(text);
  if (folded === '' || limit < 1 || (scope !== null && scope.length === 0)) return [];
  const pattern = `${escapeLike(folded)}%`;
  // One branch per organisation keeps the organisation an equality in the index condition (key, organisation_id):
  // `organisation_id = any(...)` would cost the scan its order on PostgreSQL before 17.
  const organisations: (string | null)[] = scope === null ? [null] : [...new Set(scope)];
  const branches: string[] = [];
  const params: unknown[] = [];
  for (const { rank, key } of SEARCHED) {
    for (const organisation of organisations) {
      branches.push(
        `(select a.id, ${rank} as rank, ${key} as key from account a
          where ${notDeleted('a')} and ${key} like ?${organisation === null ? '' : ' and a.organisation_id = ?'}
          order by ${key} limit ?)`,
      );
      params.push(pattern, ...(organisation === null ? [] : [organisation]), limit);
    }
  }
  const rows = await em.execute<Record<string, any>[]>(
    `with hit as (${branches.join('\nunion all\n')}),
     best as (select distinct on (id) id, rank, key from hit order by id, rank, key)
     select a.id, a.username, a.first_name, a.last_name, a.email, a.status, o.slug as organisation_slug
     from best b join account a on a.id = b.id join organisation o on o.id = a.organisation_id
     order by b.rank, b.key, a.id
     limit ?`,
    [...params, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    username: row.username,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    status: row.status,
    organisationSlug: row.organisation_slug,
  }));
}
