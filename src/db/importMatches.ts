import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountRole } from '../domain/accounts.ts';
import type { AccountStatus } from '../domain/statuses.ts';

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
}

/**
 * Every account, in any organisation and deleted or not (emails and usernames are unique across the platform), whose
 * email or username is among those given: one statement for a whole batch of rows, each list passed as one JSON
 * parameter so the statement stays the same whatever the batch size.
 */
export async function findImportMatches(em: EntityManager, emails: readonly string[], usernames: readonly string[]): Promise<ImportMatch[]> {
  if (emails.length === 0 && usernames.length === 0) return [];
  const rows = await em.execute<Record<string, any>[]>(
    `select a.id, a.email, a.username, a.first_name, a.last_name, a.role, a.status, a.organisation_id, o.slug as organisation_slug,
       coalesce((select array_agg(g.name order by g.name) from membership m join account_group g on g.id = m.group_id
         where m.account_id = a.id), '{}') as groups
     from account a join organisation o on o.id = a.organisation_id
     where a.email in (select jsonb_array_elements_text(?::jsonb)) or a.username in (select jsonb_array_elements_text(?::jsonb))`,
    [JSON.stringify(emails), JSON.stringify(usernames)],
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
  }));
}

/** The groups of one organisation among the names given, matched case-insensitively: lower-cased name to its name. */
export async function findGroupNames(em: EntityManager, organisationId: string, names: readonly string[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const rows = await em.execute<{ name: string }[]>(
    `select g.name from account_group g
     where g.organisation_id = ? and lower(g.name) in (select lower(jsonb_array_elements_text(?::jsonb)))`,
    [organisationId, JSON.stringify(names)],
  );
  return new Map(rows.map((row) => [row.name.toLowerCase(), row.name]));
}
