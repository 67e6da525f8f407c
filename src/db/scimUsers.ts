import type { EntityManager } from '@mikro-orm/postgresql';
import { EMAIL_TYPE } from '../domain/scimUser.ts';
import { USER_ATTRIBUTE_TYPES, type CompareOperator, type UserAttribute, type UserFilter } from '../domain/scimFilter.ts';
import { escapeLike } from './like.ts';

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

interface Sql {
  sql: string;
  params: unknown[];
}

/**
 * Each attribute as an SQL expression over `a`. Case-insensitive attributes compare folded (username and email are
 * stored folded already); `collate "C"` lets the search indexes serve prefixes, as `/users list` does.
 */
const COLUMNS: { readonly [A in UserAttribute]: Sql } = {
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

const COMPARISONS: { readonly [O in Exclude<CompareOperator, 'co' | 'sw' | 'ew'>]: string } = {
  eq: '=',
  ne: 'is distinct from',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
};

/** The filter as one parameterised condition: values only ever travel as parameters. */
export function filterSql(filter: UserFilter): Sql {
  switch (filter.kind) {
    case 'and':
    case 'or': {
      const left = filterSql(filter.left);
      const right = filterSql(filter.right);
      return { sql: `(${left.sql} ${filter.kind} ${right.sql})`, params: [...left.params, ...right.params] };
    }
    case 'not': {
      // A comparison with a missing value (no externalId) is unknown in SQL; `not` of it must hold, as in SCIM.
      const inner = filterSql(filter.filter);
      return { sql: `(not coalesce(${inner.sql}, false))`, params: inner.params };
    }
    case 'present': {
      const column = COLUMNS[filter.attribute];
      const type = USER_ATTRIBUTE_TYPES[filter.attribute];
      const sql = type === 'string' || type === 'caseExactString' ? `(${column.sql} is not null and ${column.sql} <> '')` : `(${column.sql} is not null)`;
      return { sql, params: type === 'string' || type === 'caseExactString' ? [...column.params, ...column.params] : column.params };
    }
    case 'compare': {
      const column = COLUMNS[filter.attribute];
      const type = USER_ATTRIBUTE_TYPES[filter.attribute];
      const value = type === 'string' && typeof filter.value === 'string' ? filter.value.toLowerCase() : filter.value;
      if (filter.op === 'co' || filter.op === 'sw' || filter.op === 'ew') {
        const text = escapeLike(String(value));
        const pattern = filter.op === 'co' ? `%${text}%` : filter.op === 'sw' ? `${text}%` : `%${text}`;
        return { sql: `(${column.sql} like ?)`, params: [...column.params, pattern] };
      }
      return { sql: `(${column.sql} ${COMPARISONS[filter.op]} ?)`, params: [...column.params, value] };
    }
  }
}

const ROW = `a.id, a.organisation_id, a.username, a.first_name, a.last_name, a.email, a.status, a.external_id, a.created_at, a.updated_at, a.version`;

function inOrganisations(organisationIds: readonly string[] | null): Sql {
  if (organisationIds === null) return { sql: 'true', params: [] };
  if (organisationIds.length === 0) return { sql: 'false', params: [] };
  return { sql: `a.organisation_id in (${organisationIds.map(() => '?').join(', ')})`, params: [...organisationIds] };
}

/**
 * One page of the accounts that match, in the order of `/users list` (last name, then ID: the same index), with the
 * number that match, in one statement. `startIndex` is SCIM's 1-based position, which only an OFFSET can honour.
 */
export async function scimUserPage(
  em: EntityManager,
  organisationIds: readonly string[] | null,
  filter: UserFilter | undefined,
  page: { startIndex: number; count: number },
): Promise<{ total: number; rows: ScimUserRow[] }> {
  const scope = inOrganisations(organisationIds);
  const where = filter ? filterSql(filter) : { sql: 'true', params: [] };
  const rows = await em.execute<Record<string, any>[]>(
    `with matched as (select ${ROW} from account a where ${scope.sql} and a.status <> 'DELETED' and ${where.sql})
     select t.total, p.* from (select count(*) as total from matched) t
     left join lateral (select * from matched a order by lower(a.last_name) collate "C", a.id offset ? limit ?) p on true`,
    [...scope.params, ...where.params, page.startIndex - 1, page.count],
  );
  return { total: Number(rows[0]?.total ?? 0), rows: rows.filter((row) => row.id !== null).map(scimUserRow) };
}

/** The account with this ID, when it is one of these organisations' and not deleted. */
export async function scimUserById(em: EntityManager, organisationIds: readonly string[] | null, id: string): Promise<ScimUserRow | undefined> {
  const scope = inOrganisations(organisationIds);
  const rows = await em.execute<Record<string, any>[]>(`select ${ROW} from account a where a.id = ? and ${scope.sql} and a.status <> 'DELETED'`, [
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
