import { z } from 'zod';
import { selectionWhereInScope } from '../../../db/accountList.ts';
import type { SqlWhere } from '../../../db/bulkJobs.ts';
import { accountFilterText } from '../../../domain/accountFilter.ts';
import { ACCOUNT_ROLES } from '../../../domain/accounts.ts';
import { RefusedError } from '../../../domain/errors.ts';
import type { ActionContext } from '../../action.ts';
import { groupInEachOrganisation, noGroupMatches, quoted } from '../../groups/groups.ts';
import { reasonSchema } from '../../inputs.ts';
import { selectAccounts } from '../accountSelection.ts';
import { BULK_CHANGE_NAMES, BULK_CHANGES, type BulkTarget } from './bulkChanges.ts';

/** A bulk change as people ask for it, in a preview and again on Confirm. */
export const bulkRequestFields = {
  change: z.enum(BULK_CHANGE_NAMES as [string, ...string[]], { error: `must be one of ${BULK_CHANGE_NAMES.join(', ')}` }),
  /** What the change takes: a role (`role`), a group's name, external ID or ID (`add-to-group`, `remove-from-group`). */
  value: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((text) => text || undefined),
  /** Which accounts, in the words of `/users list` filters. */
  filter: z.string().trim().max(500).default(''),
  reason: reasonSchema,
};

/**
 * What a preview and a start both need: the change with its value checked (bulkTarget), and the accounts the filter
 * selects within the caller's grant, described in words.
 */
export interface ResolvedBulkRequest {
  scope: string[] | null;
  target: BulkTarget;
  selection: SqlWhere & { description: string };
}

export async function resolveBulkRequest(ctx: ActionContext, request: { change: string; value?: string; filter: string }): Promise<ResolvedBulkRequest> {
  const scope = ctx.organisationsInScope();
  const target = await bulkTarget(ctx, request.change, request.value, scope);
  const { filter, selection } = await selectAccounts(ctx.em, request.filter, scope);
  return { scope, target, selection: { ...selectionWhereInScope(selection), description: accountFilterText(filter) || 'every status but deactivated' } };
}

/**
 * The change `name` with its value, ready to decide each account: a status change takes none, a role change a role,
 * and a group change a group's name, external ID or ID, found in each organisation of `scope` as one account's
 * change finds it in that account's organisation. A value that cannot be used is refused with a sentence.
 */
export async function bulkTarget(ctx: ActionContext, name: string, value: string | undefined, scope: string[] | null): Promise<BulkTarget> {
  const change = BULK_CHANGES[name];
  if (!change) throw new Error(`"${name}" is no bulk change`);
  if (change.kind === 'status') {
    if (value !== undefined) throw new RefusedError(`\`${name}\` takes no role or group: \`/users bulk ${name} [filters]\`.`, 'invalid-input');
    return { kind: 'status', change, shown: '' };
  }
  if (change.kind === 'role') {
    const role = ACCOUNT_ROLES.find((known) => known === value?.toLowerCase());
    if (!role) {
      const problem = value === undefined ? 'Say which role' : `${quoted(value)} is not a role`;
      throw new RefusedError(`${problem}; a role is ${ACCOUNT_ROLES.join(', ')}: \`/users bulk role <role> [filters]\`.`, 'invalid-input');
    }
    return { kind: 'role', change, role, shown: role };
  }
  if (value === undefined) {
    throw new RefusedError(
      `Say which group, by its name (in quotes if it has spaces) or its external ID: \`/users bulk ${name} <group> [filters]\`.`,
      'invalid-input',
    );
  }
  const groups = await groupInEachOrganisation(ctx, value, scope);
  const found = [...groups.values()];
  const named = found.find((group) => 'group' in group)?.group;
  if (!named) {
    const ambiguous = found.find((group) => 'refused' in group)?.refused;
    throw new RefusedError(ambiguous ?? noGroupMatches(value, 'your organisations'), 'invalid-input');
  }
  // A group picked from a menu comes by its ID: messages name it.
  const label = named.id === value.toLowerCase() ? named.name : value;
  return { kind: 'group', change, groups, missing: noGroupMatches(label, 'its organisation'), shown: quoted(label) };
}
