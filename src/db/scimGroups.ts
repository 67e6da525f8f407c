import type { EntityManager } from '@mikro-orm/postgresql';
import { GROUP_ATTRIBUTE_TYPES, type GroupAttribute, type GroupFilter } from '../domain/scimFilter.ts';
import type { ScimMember } from '../domain/scimGroup.ts';
import { inOrganisations, scimFilterSql, type Column, type Sql } from './scimFilterSql.ts';
import { notDeleted } from './notDeleted.ts';

/** One group as SCIM shows it; `members` only when asked for (identity providers look groups up without them). */
export interface ScimGroupRow {
  id: string;
  organisationId: string;
  name: string;
  externalId: string | null;
  ownerId: string | null;
  createdAt: Date;
  lastModified: Date;
  /**
   * What the weak ETag carries: the group's own version and its members, so adding or removing one (from Slack, a bulk
   * change or SCIM) moves it on as a rename does.
   */
  version: string;
  members?: ScimMember[];
}

/** A member is an account of the group that is not deleted; its display name is the account's full name. */
const LIVE_MEMBER = `from membership m join account ma on ma.id = m.account_id where m.group_id = g.id and ${notDeleted('ma')}`;

const LAST_MODIFIED = `greatest(g.updated_at, (select max(m.created_at) ${LIVE_MEMBER}))`;

const COLUMNS: { readonly [A in GroupAttribute]: Column } = {
  id: { sql: 'cast(g.id as text)', params: [] },
  displayName: { sql: 'lower(g.name)', params: [] },
  externalId: { sql: 'g.external_id', params: [] },
  memberValue: { sql: 'cast(m.account_id as text)', params: [], around: (condition) => `exists (select 1 ${LIVE_MEMBER} and ${condition})` },
  memberDisplay: {
    sql: `lower(ma.first_name || ' ' || ma.last_name)`,
    params: [],
    around: (condition) => `exists (select 1 ${LIVE_MEMBER} and ${condition})`,
  },
  created: { sql: 'g.created_at', params: [] },
  lastModified: { sql: LAST_MODIFIED, params: [] },
};

export function groupFilterSql(filter: GroupFilter): Sql {
  return scimFilterSql(filter, COLUMNS, GROUP_ATTRIBUTE_TYPES);
}

const ROW = `g.id, g.organisation_id, g.name, g.external_id, g.owner_id, g.created_at, ${LAST_MODIFIED} as last_modified,
  left(md5(g.version || ':' || coalesce((select string_agg(cast(m.account_id as text), ',' order by m.account_id) ${LIVE_MEMBER}), '')), 16) as etag`;

/** One page of the groups that match, by name then ID, with how many match, in one statement (startIndex is 1-based). */
export async function scimGroupPage(
  em: EntityManager,
  organisationIds: readonly string[] | null,
  filter: GroupFilter | undefined,
  page: { startIndex: number; count: number; withMembers: boolean },
): Promise<{ total: number; rows: ScimGroupRow[] }> {
  const scope = inOrganisations(organisationIds, 'g');
  const where = filter ? groupFilterSql(filter) : { sql: 'true', params: [] };
  const rows = await em.execute<Record<string, any>[]>(
    `with matched as (select g.* from account_group g where ${scope.sql} and ${where.sql})
     select t.total, p.* from (select count(*) as total from matched) t
     left join lateral (select ${ROW} from matched g order by lower(g.name), g.id offset ? limit ?) p on true`,
    [...scope.params, ...where.params, page.startIndex - 1, page.count],
  );
  const groups = rows.filter((row) => row.id !== null).map(scimGroupRow);
  if (page.withMembers) await attachMembers(em, groups);
  return { total: Number(rows[0]?.total ?? 0), rows: groups };
}

/** The group with this ID, when it is one of these organisations'. */
export async function scimGroupById(
  em: EntityManager,
  organisationIds: readonly string[] | null,
  id: string,
  withMembers: boolean,
): Promise<ScimGroupRow | undefined> {
  const scope = inOrganisations(organisationIds, 'g');
  const rows = await em.execute<Record<string, any>[]>(`select ${ROW} from account_group g where g.id = ? and ${scope.sql}`, [id, ...scope.params]);
  const groups = rows.map(scimGroupRow);
  if (withMembers) await attachMembers(em, groups);
  return groups[0];
}

/** Which of these ids are live accounts of these organisations: the Users a group may take as members. */
export async function liveAccountIds(em: EntityManager, organisationIds: readonly string[] | null, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const scope = inOrganisations(organisationIds);
  const rows = await em.execute<{ id: string }[]>(`select a.id from account a where a.id = any(cast(? as uuid[])) and ${scope.sql} and ${notDeleted('a')}`, [
    `{${ids.join(',')}}`,
    ...scope.params,
  ]);
  return new Set(rows.map((row) => row.id));
}

async function attachMembers(em: EntityManager, groups: ScimGroupRow[]): Promise<void> {
  if (groups.length === 0) return;
  const rows = await em.execute<{ group_id: string; id: string; display: string }[]>(
    `select m.group_id, ma.id, ma.first_name || ' ' || ma.last_name as display
     from membership m join account ma on ma.id = m.account_id
     where m.group_id = any(cast(? as uuid[])) and ${notDeleted('ma')}
     order by lower(ma.last_name) collate "C", ma.id`,
    [`{${groups.map((group) => group.id).join(',')}}`],
  );
  const byGroup = new Map<string, ScimMember[]>();
  for (const group of groups) {
    group.members = [];
    byGroup.set(group.id, group.members);
  }
  for (const row of rows) byGroup.get(row.group_id)?.push({ value: row.id, display: row.display });
}

function scimGroupRow(row: Record<string, any>): ScimGroupRow {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    name: row.name,
    externalId: row.external_id,
    ownerId: row.owner_id,
    createdAt: new Date(row.created_at),
    lastModified: new Date(row.last_modified),
    version: row.etag,
  };
}
