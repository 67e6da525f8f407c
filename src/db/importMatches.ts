import type { EntityManager } from '@mikro-orm/postgresql';
import { boundQuery } from './boundQuery.ts';
import type { AccountRole } from '../domain/accounts.ts';
import type { AccountStatus, AuthSource, DeletionPolicy } from '../domain/statuses.ts';

/** An account that an import row may be about: the same email, or the username the row would take. */
export interface ImportMatch {
  id: string;
  email: string;
  username: string;
  firstName: string;
  lastName: string;
  role: AccountRole;
  status: AccountStatus;
  organisationId: string;
  organisationSlug: string;
  /** Names of the groups it belongs to, sorted. */
  groups: string[];
  /** Names of the groups it owns, sorted: it cannot leave those. */
  ownedGroups: string[];
  /** What the status machine needs, for a row that changes the status. */
  authSource: AuthSource;
  hasSignedIn: boolean;
  failedSignIns: number;
  passwordTemporary: boolean;
  mfaEnrolled: boolean;
  deletionPolicy: DeletionPolicy;
  lockoutThreshold: number;
}

/**
 * Every account, in any organisation and deleted or not (emails and usernames are unique across the platform), whose
 * email or username is among those given: one statement for a whole batch of rows, each list bound as one array
 * parameter so the statement stays the same whatever the batch size. `= any(...)` lets the planner look each up in
 * its unique index (a BitmapOr); `in (select ...)` scanned the whole table, slower with every account imported.
 * `lock`: the accounts stay locked until the transaction ends (an import applying its rows).
 */
export async function findImportMatches(
  em: EntityManager,
  emails: readonly string[],
  usernames: readonly string[],
  { lock = false } = {},
): Promise<ImportMatch[]> {
  if (emails.length === 0 && usernames.length === 0) return [];
  const rows = await boundQuery<Record<string, any>>(
    em,
    `select a.id, a.email, a.username, a.first_name, a.last_name, a.role, a.status, a.organisation_id, o.slug as organisation_slug,
       coalesce((select array_agg(g.name order by g.name) from membership m join account_group g on g.id = m.group_id
         where m.account_id = a.id), '{}') as groups,
       coalesce((select array_agg(g.name order by g.name) from account_group g where g.owner_id = a.id), '{}') as owned_groups,
       a.auth_source, a.last_sign_in_at is not null as has_signed_in, a.failed_sign_ins, a.password_temporary, a.mfa_enrolled,
       o.deletion_policy, o.lockout_threshold
     from account a join organisation o on o.id = a.organisation_id
     where a.email = any($1::text[]) or a.username = any($2::text[])
     ${lock ? 'order by a.id for update of a' : ''}`,
    [emails, usernames],
  );
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    username: row.username,
    firstName: row.first_name,
    lastName: row.last_name,
    role: row.role,
    status: row.status,
    organisationId: row.organisation_id,
    organisationSlug: row.organisation_slug,
    groups: row.groups,
    ownedGroups: row.owned_groups,
    authSource: row.auth_source,
    hasSignedIn: row.has_signed_in,
    failedSignIns: row.failed_sign_ins,
    passwordTemporary: row.password_temporary,
    mfaEnrolled: row.mfa_enrolled,
    deletionPolicy: row.deletion_policy,
    lockoutThreshold: row.lockout_threshold,
  }));
}

/** The groups of one organisation among the names given, matched case-insensitively: lower-cased name to the group. */
export async function findGroupNames(em: EntityManager, organisationId: string, names: readonly string[]): Promise<Map<string, { id: string; name: string }>> {
  if (names.length === 0) return new Map();
  const rows = await em.execute<{ id: string; name: string }[]>(
    `select g.id, g.name from account_group g
     where g.organisation_id = ? and lower(g.name) in (select lower(jsonb_array_elements_text(?::jsonb)))`,
    [organisationId, JSON.stringify(names)],
  );
  return new Map(rows.map((row) => [row.name.toLowerCase(), row]));
}
