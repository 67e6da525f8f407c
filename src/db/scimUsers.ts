import type { EntityManager } from '@mikro-orm/postgresql';
import { EMAIL_TYPE } from '../domain/scimUser.ts';
import { USER_ATTRIBUTE_TYPES, type UserAttribute, type UserFilter } from '../domain/scimFilter.ts';
import { boundQuery, numbered, preparedQuery } from './boundQuery.ts';
import { inOrganisations, scimFilterSql, type Column, type Sql } from './scimFilterSql.ts';
import { notDeleted } from './notDeleted.ts';

/** One account as SCIM shows it (deleted accounts are not shown). */
export interface ScimUserRow {
  id: string;
  organisationId: string;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  status: string;
  externalId: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/**
 * Each attribute as an SQL expression over `a`. Case-insensitive attributes compare folded (username and email are
 * stored folded already); `collate "C"` lets the search indexes serve prefixes, as `/users list` does.
 */
const COLUMNS: { readonly [A in UserAttribute]: Column } = {
  id: { sql: 'cast(a.id as text)', params: [] },
  userName: { sql: 'a.username collate "C"', params: [] },
  givenName: { sql: 'lower(a.first_name) collate "C"', params: [] },
  familyName: { sql: 'lower(a.last_name) collate "C"', params: [] },
  displayName: { sql: `lower(a.first_name || ' ' || a.last_name) collate "C"`, params: [] },
  email: { sql: 'a.email collate "C"', params: [] },
  emailType: { sql: 'cast(? as text)', params: [EMAIL_TYPE] },
  emailPrimary: { sql: 'true', params: [] },
  active: { sql: `(a.status <> 'DEACTIVATED')`, params: [] },
  externalId: { sql: 'a.external_id', params: [] },
  created: { sql: 'a.created_at', params: [] },
  lastModified: { sql: 'a.updated_at', params: [] },
};

/** The filter as one parameterised condition: values only ever travel as parameters. */
export function filterSql(filter: UserFilter): Sql {
  return scimFilterSql(filter, COLUMNS, USER_ATTRIBUTE_TYPES);
}

const ROW = `a.id, a.organisation_id, a.username, a.first_name, a.last_name, a.email, a.status, a.external_id, a.created_at, a.updated_at, a.version`;

/**
 * One page of the accounts that match, in the order of `/users list` (last name, first name, then ID: the same index), with the
 * number that match, in one statement. The count reads only what the condition needs (an index-only scan where the
 * search indexes cover it); the page reads its rows straight from the index in order. `startIndex` is SCIM's 1-based
 * position, which only an OFFSET can honour. Its values are bound by PostgreSQL (boundQuery), not written into the
 * text: the hottest SCIM question (Okta's `userName eq` before every create) answered 0.25 ms sooner at p50. A filter
 * of one `eq` (that look-up, Entra ID's `externalId eq`) is also a prepared statement: there are only as many such
 * texts as attributes, and planning this statement cost more than running it.
 */
export async function scimUserPage(
  em: EntityManager,
  organisationIds: readonly string[] | null,
  filter: UserFilter | undefined,
  page: { startIndex: number; count: number },
): Promise<{ total: number; rows: ScimUserRow[] }> {
  const scope = inOrganisations(organisationIds);
  const where = filter ? filterSql(filter) : { sql: 'true', params: [] };
  const matching = `from account a where ${scope.sql} and ${notDeleted('a')} and ${where.sql}`;
  const sql = numbered(`select (select count(*) ${matching}) as total, p.* from (select 1) one
     left join lateral (select ${ROW} ${matching} order by lower(a.last_name) collate "C", lower(a.first_name) collate "C", a.id offset ? limit ?) p on true`);
  const params = [...scope.params, ...where.params, ...scope.params, ...where.params, page.startIndex - 1, page.count];
  const rows =
    filter?.kind === 'compare' && filter.op === 'eq'
      ? await preparedQuery<Record<string, any>>(em, sql, params)
      : await boundQuery<Record<string, any>>(em, sql, params);
  return { total: Number(rows[0]?.total ?? 0), rows: rows.filter((row) => row.id !== null).map(scimUserRow) };
}

/** The account with this ID, when it is one of these organisations' and not deleted. */
export async function scimUserById(em: EntityManager, organisationIds: readonly string[] | null, id: string): Promise<ScimUserRow | undefined> {
  const scope = inOrganisations(organisationIds);
  const rows = await preparedQuery<Record<string, any>>(em, numbered(`select ${ROW} from account a where a.id = ? and ${scope.sql} and ${notDeleted('a')}`), [
    id,
    ...scope.params,
  ]);
  return rows[0] ? scimUserRow(rows[0]) : undefined;
}

function scimUserRow(row: Record<string, any>): ScimUserRow {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    username: row.username,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    status: row.status,
    externalId: row.external_id,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    version: Number(row.version),
  };
}
