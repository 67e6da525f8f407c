import type { EntityManager } from '@mikro-orm/postgresql';
import { type AccountSelection, groupsNamed, organisationIds } from '../../db/accountList.ts';
import { type AccountFilter, DEFAULT_STATUSES, parseAccountFilter } from '../../domain/accountFilter.ts';
import { RefusedError } from '../../domain/errors.ts';

/**
 * The accounts a filter names (`/users list`, export, bulk), within the organisations in `scope` (null: all): the
 * filter read, and its names resolved to rows. A filter that cannot be read is refused with the parser's sentence.
 */
export async function selectAccounts(em: EntityManager, text: string, scope: string[] | null): Promise<{ filter: AccountFilter; selection: AccountSelection }> {
  const parsed = parseAccountFilter(text);
  if (!parsed.ok) throw new RefusedError(parsed.problem, 'invalid-input');
  return { filter: parsed.filter, selection: await selectionFor(em, parsed.filter, scope) };
}

/** The filter's names as rows, inside the caller's scope: an organisation or group they cannot see is as unknown as one that does not exist. */
async function selectionFor(em: EntityManager, filter: AccountFilter, scope: string[] | null): Promise<AccountSelection> {
  const visible = await organisationIds(em, null);
  const inScope = new Map([...visible].filter(([, id]) => scope === null || scope.includes(id)));
  for (const slug of filter.organisations) {
    if (!inScope.has(slug)) {
      const slugs = [...inScope.keys()].sort();
      const listed = slugs.length <= 20 ? `: ${slugs.map((s) => `\`${s}\``).join(', ')}` : '';
      const seen = slugs.length === 1 ? 'one organisation' : `${slugs.length} organisations`;
      throw new RefusedError(`\`org:\` has no organisation “${slug}” that you can see. You can see ${seen}${listed}.`, 'invalid-input');
    }
  }
  const ids = filter.organisations.length ? filter.organisations.map((slug) => inScope.get(slug)!) : [...inScope.values()];
  let groupIds: string[] | null = null;
  if (filter.groups.length) {
    const named = await groupsNamed(em, filter.groups, ids);
    const missing = filter.groups.find((ref) => !named.get(ref)?.length);
    if (missing !== undefined)
      throw new RefusedError(
        `\`group:\` has no group “${missing}” in ${filter.organisations.length ? 'those organisations' : 'your organisations'}. Name a group by its name or its external ID (\`/user group <name>\` looks one up).`,
        'invalid-input',
      );
    groupIds = [...new Set([...named.values()].flat())];
  }
  return {
    statuses: filter.statuses.length ? filter.statuses : DEFAULT_STATUSES,
    groupIds,
    roles: filter.roles,
    organisationIds: ids,
    inactiveDays: filter.inactiveDays,
    text: filter.text,
    sort: filter.sort,
  };
}
