import type { EntityManager } from '@mikro-orm/postgresql';

/** How many subgroup names the card lists; the count is always whole. */
const SUBGROUPS_ON_CARD = 10;

export interface GroupCard {
  id: string;
  name: string;
  externalId: string | null;
  organisation: { id: string; slug: string; name: string };
  owner: { id: string; name: string; email: string } | null;
  parent: { id: string; name: string } | null;
  memberCount: number;
  subgroupCount: number;
  /** The first SUBGROUPS_ON_CARD, by name. */
  subgroups: string[];
  licences: { product: string; seats: number; expiresAt: string | null }[];
  modules: string[];
  createdAt: Date;
  updatedAt: Date;
}

// One round trip, as for the account card (accountCards.ts).
const GROUP_CARD_SQL = `
select g.id, g.name, g.external_id, g.created_at, g.updated_at,
  json_build_object('id', o.id, 'slug', o.slug, 'name', o.name) as organisation,
  (select json_build_object('id', ow.id, 'name', ow.first_name || ' ' || ow.last_name, 'email', ow.email) from account ow where ow.id = g.owner_id) as owner,
  (select json_build_object('id', p.id, 'name', p.name) from account_group p where p.id = g.parent_id) as parent,
  (select count(*) from membership m where m.group_id = g.id)::int as member_count,
  (select count(*) from account_group s where s.parent_id = g.id)::int as subgroup_count,
  coalesce((select json_agg(s.name order by s.name) from (select name from account_group where parent_id = g.id order by name limit ${SUBGROUPS_ON_CARD}) s), '[]') as subgroups,
  coalesce((select json_agg(json_build_object('product', l.product, 'seats', l.seats, 'expiresAt', l.expires_at) order by l.product)
    from licence l where l.group_id = g.id), '[]') as licences,
  coalesce((select json_agg(f.name order by f.name)
    from group_feature gf join feature f on f.id = gf.feature_id where gf.group_id = g.id and gf.active), '[]') as modules
from account_group g join organisation o on o.id = g.organisation_id
where g.id = ?
`;

export async function findGroupCard(em: EntityManager, groupId: string): Promise<GroupCard | null> {
  const [row] = await em.execute<Record<string, any>[]>(GROUP_CARD_SQL, [groupId]);
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    externalId: row.external_id,
    organisation: row.organisation,
    owner: row.owner,
    parent: row.parent,
    memberCount: row.member_count,
    subgroupCount: row.subgroup_count,
    subgroups: row.subgroups,
    licences: row.licences,
    modules: row.modules,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
