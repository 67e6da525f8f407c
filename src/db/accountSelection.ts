import { ACCOUNT_STATUSES, type AccountStatus } from '../domain/statuses.ts';
import { RefusedError } from '../domain/errors.ts';
import type { AccountSelection } from './bulkJobs.ts';

/**
 * The accounts a filter names, within the organisations in scope (null: all): `status:<s>` words, or nothing for
 * every live account. Soft-deleted accounts are never selected.
 */
export function accountSelection(filter: string, scope: string[] | null): AccountSelection & { description: string } {
  const statuses: AccountStatus[] = [];
  for (const word of filter.split(/\s+/).filter(Boolean)) {
    const status = /^status:(.+)$/i.exec(word)?.[1]?.toUpperCase();
    if (!status || !(ACCOUNT_STATUSES as readonly string[]).includes(status)) {
      throw new RefusedError(`“${word}” is not a filter this takes; use status:<${ACCOUNT_STATUSES.join('|').toLowerCase()}>.`, 'invalid-input');
    }
    statuses.push(status as AccountStatus);
  }
  const where = ["a.status <> 'DELETED'"];
  const params: unknown[] = [];
  if (statuses.length) {
    where.push('a.status = any(?::text[])');
    params.push(`{${statuses.join(',')}}`);
  }
  if (scope) {
    where.push('a.organisation_id = any(?::uuid[])');
    params.push(`{${scope.join(',')}}`);
  }
  return { where: where.join(' and '), params, description: statuses.length ? statuses.map((s) => `status:${s.toLowerCase()}`).join(' ') : 'all accounts' };
}
