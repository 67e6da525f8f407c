import type { EntityManager } from '@mikro-orm/postgresql';

export interface OrganisationCounts {
  id: string;
  slug: string;
  name: string;
  /** Accounts by status; a status no account has is left out. */
  counts: Record<string, number>;
}

const inScope = (column: string, scope: readonly string[] | null) => (scope === null ? 'true' : `${column} = any(?::uuid[])`);
const scopeParams = (scope: readonly string[] | null) => (scope === null ? [] : [`{${scope.join(',')}}`]);

/** Each organisation in scope (by name) with its accounts counted by status, from the (organisation, status) index. */
export async function countsByOrganisation(
  em: EntityManager,
  scope: readonly string[] | null,
  limit: number,
): Promise<{ organisations: OrganisationCounts[]; total: number }> {
  const organisations = await em.execute<{ id: string; slug: string; name: string; total: string }[]>(
    `select id, slug, name, count(*) over () as total from organisation where ${inScope('id', scope)} order by name limit ?`,
    [...scopeParams(scope), limit],
  );
  if (organisations.length === 0) return { organisations: [], total: 0 };
  const rows = await em.execute<{ organisationId: string; status: string; n: string }[]>(
    `select organisation_id as "organisationId", status, count(*) as n from account where organisation_id = any(?::uuid[]) group by 1, 2`,
    [`{${organisations.map((o) => o.id).join(',')}}`],
  );
  const counts = new Map(organisations.map((o) => [o.id, {} as Record<string, number>]));
  for (const row of rows) counts.get(row.organisationId)![row.status] = Number(row.n);
  return {
    total: Number(organisations[0]!.total),
    organisations: organisations.map((o) => ({ id: o.id, slug: o.slug, name: o.name, counts: counts.get(o.id)! })),
  };
}

export interface LockedOutLine {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  organisationId: string;
  organisation: string;
  lockedAt: Date;
}

/** The locked-out accounts in scope, the most recent lockout first, and how many there are in all. */
export async function lockedOutAccounts(
  em: EntityManager,
  scope: readonly string[] | null,
  limit: number,
): Promise<{ accounts: LockedOutLine[]; total: number }> {
  const accounts = await em.execute<(LockedOutLine & { total: string })[]>(
    `select a.id, a.first_name as "firstName", a.last_name as "lastName", a.email, a.organisation_id as "organisationId", o.slug as organisation, a.status_changed_at as "lockedAt",
       count(*) over () as total
     from account a join organisation o on o.id = a.organisation_id
     where a.status = 'LOCKED_OUT' and ${inScope('a.organisation_id', scope)} order by a.status_changed_at desc, a.id limit ?`,
    [...scopeParams(scope), limit],
  );
  return { total: Number(accounts[0]?.total ?? 0), accounts: accounts.map(({ total: _total, ...line }) => ({ ...line, lockedAt: new Date(line.lockedAt) })) };
}
