import type { EntityManager } from '@mikro-orm/postgresql';

export interface SeedOptions {
  users: number;
  organisation: string;
  /** Accounts per group on average; every account is in one or two groups. */
  groupSize?: number;
}

export interface SeedResult {
  organisation: string;
  accounts: number;
  groups: number;
  memberships: number;
  seconds: number;
}

const FIRST_NAMES = [
  'Alice',
  'Bob',
  'Carla',
  'David',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemi',
  'Liam',
  'Maya',
  'Noah',
  'Olga',
  'Pedro',
  'Quinn',
  'Rosa',
  'Sami',
  'Tara',
  'Uma',
  'Victor',
  'Wen',
  'Ximena',
  'Yusuf',
  'Zoe',
  'Amara',
  'Bruno',
  'Chloe',
  'Dmitri',
  'Esther',
  'Felix',
];
const LAST_NAMES = [
  'Smith',
  'Garcia',
  'Mueller',
  'Okafor',
  'Nguyen',
  'Kowalski',
  'Rossi',
  'Tanaka',
  'Silva',
  'Haddad',
  'Johansson',
  'Murphy',
  'Dubois',
  'Novak',
  'Patel',
  'Cohen',
  'Larsen',
  'Moreau',
  'Ivanova',
  'Fischer',
  'Costa',
  'Yilmaz',
  'Kim',
  'Andersen',
  'Brown',
  'Schmidt',
  'Lopez',
  'Wilson',
  'Chen',
  'Ahmed',
  'Jensen',
  'Varga',
];
const MODULES = ['Reporting', 'Scheduling', 'Dispatch', 'Inventory', 'Billing', 'Forms', 'Analytics', 'Documents'];
const ADD_ONS = ['Badge printer', 'Map overlay', 'Legacy import', 'Custom dashboard'];
const PRODUCTS = ['Field app', 'Web portal', 'API access'];

// Status mix of a lived-in directory, as cumulative thresholds over n % 100.
const STATUS_CASE = `case
  when n % 100 < 78 then 'ACTIVE' when n % 100 < 84 then 'INVITED' when n % 100 < 86 then 'STAGED'
  when n % 100 < 88 then 'LOCKED_OUT' when n % 100 < 92 then 'SUSPENDED' when n % 100 < 97 then 'DEACTIVATED'
  when n % 100 < 98 then 'RECOVERY' else 'PASSWORD_EXPIRED' end`;

/** Our own constant word lists as an SQL array literal (the query parameters expand arrays into lists). */
function sqlArray(words: readonly string[]): string {
  return `array[${words.map((w) => `'${w.replace(/'/g, "''")}'`).join(',')}]::text[]`;
}

/**
 * Fills an organisation with realistic accounts, groups, memberships, modules, add-ons and licences, in set-based
 * SQL (generate_series) in batches: a million accounts take about a minute. Adds to what is there (the numbering
 * continues), so it can be run more than once.
 */
export async function seedDemo(em: EntityManager, options: SeedOptions, onProgress?: (done: number) => void): Promise<SeedResult> {
  const started = performance.now();
  // One transaction: an interrupted seed leaves nothing behind.
  const result = await em.transactional((tx) => seedInTransaction(tx, options, onProgress));
  await em.execute('analyze');
  return { ...result, seconds: Math.round((performance.now() - started) / 100) / 10 };
}

async function seedInTransaction(conn: EntityManager, options: SeedOptions, onProgress?: (done: number) => void): Promise<Omit<SeedResult, 'seconds'>> {
  const groupSize = options.groupSize ?? 50;
  await conn.execute(
    `insert into organisation (id, slug, name, created_at, updated_at) values (gen_random_uuid(), ?, ?, now(), now())
     on conflict (slug) do nothing`,
    [options.organisation, `${options.organisation[0]!.toUpperCase()}${options.organisation.slice(1)}`],
  );
  const [org] = await conn.execute<{ id: string }[]>(`select id from organisation where slug = ?`, [options.organisation]);
  await conn.execute(
    `insert into feature (id, key, name, kind)
     select gen_random_uuid(), lower(replace(name, ' ', '-')), name, kind
     from (select unnest(${sqlArray(MODULES)}) as name, 'module' as kind union all select unnest(${sqlArray(ADD_ONS)}), 'add_on') f
     on conflict (key) do nothing`,
  );
  // Numbered after every seeded account of any organisation: usernames are unique across the platform.
  const [{ offset }] = (await conn.execute<{ offset: string }[]>(
    `select coalesce(max(substring(username from '\\.(\\d+)$')::bigint), 0) as offset from account`,
  )) as [{ offset: string }];
  const first = Number(offset) + 1;
  const last = first + options.users - 1;
  const domain = `${options.organisation}.example`;

  const batch = 100_000;
  for (let from = first; from <= last; from += batch) {
    const to = Math.min(last, from + batch - 1);
    await conn.execute(
      `insert into account (id, organisation_id, username, email, first_name, last_name, status, status_reason, status_changed_at,
         role, auth_source, mfa_enrolled, developer_mode, failed_sign_ins, last_sign_in_at, created_at, updated_at, version)
       select gen_random_uuid(), ?, lower(f || '.' || l || '.' || n), lower(f || '.' || l || '.' || n || '@' || ?), f, l, s,
         case s when 'LOCKED_OUT' then 'too many wrong passwords' when 'SUSPENDED' then 'locked by an admin'
                when 'DEACTIVATED' then 'left the organisation' else null end,
         -- An ACTIVE account has been so since the day after it was added; the other statuses are recent.
         case when s = 'ACTIVE' then now() - (199 + n % 900) * interval '1 day' else now() - (n % 40) * interval '1 day' end,
         (array['user','user','user','manager','administrator'])[1 + n % 5], case when n % 7 = 0 then 'sso' else 'local' end,
         n % 3 <> 0, n % 53 = 0, case when s = 'LOCKED_OUT' then 10 else 0 end,
         case when s in ('INVITED', 'STAGED') then null else now() - ((n * 7919) % 130) * interval '1 day' - (n % 86400) * interval '1 second' end,
         now() - (200 + n % 900) * interval '1 day', now() - (n % 60) * interval '1 day', 1
       from (select n, ${sqlArray(FIRST_NAMES)} as fs, ${sqlArray(LAST_NAMES)} as ls from generate_series(?::bigint, ?::bigint) n) g,
         lateral (select fs[1 + (n * 31) % array_length(fs, 1)] as f, ls[1 + (n * 17 / 3) % array_length(ls, 1)] as l, ${STATUS_CASE} as s) x`,
      [org!.id, domain, from, to],
    );
    onProgress?.(to - first + 1);
  }

  const groups = Math.max(1, Math.ceil(options.users / groupSize));
  await conn.execute(
    `insert into account_group (id, organisation_id, name, external_id, created_at, updated_at, version)
     select gen_random_uuid(), ?, (array['Team','Crew','Office','Squad','Unit'])[1 + g % 5] || ' ' || g, 'ext-' || ? || '-' || g,
       now() - (g % 400) * interval '1 day', now(), 1
     from generate_series(1, ?) g
     on conflict do nothing`,
    [org!.id, options.organisation, groups],
  );
  // Fresh statistics, or the planner takes the new tables for empty ones and picks nested loops.
  await conn.execute('analyze account, account_group');
  // Every account joins group 1 + (n mod groups); every third account also a second group. Equality joins only,
  // so Postgres hashes them instead of comparing every account with every group.
  const memberships = await conn.execute(
    `with numbered as (
       select id, substring(username from '\\.(\\d+)$')::bigint as n from account
       where organisation_id = ? and substring(username from '\\.(\\d+)$')::bigint between ? and ?
     ), grp as (
       select id, substring(external_id from '-(\\d+)$')::bigint as g from account_group where organisation_id = ?
     )
     insert into membership (account_id, group_id, role, created_at)
     select numbered.id, grp.id, (array['member','member','member','editor','manager'])[1 + (n % 5)], now()
     from numbered
       cross join lateral (values (1 + n % ?), (case when n % 3 = 0 then 1 + (n * 7) % ? end)) wanted(g)
       join grp on grp.g = wanted.g
     on conflict do nothing`,
    [org!.id, first, last, org!.id, groups, groups],
    'run',
  );
  await conn.execute(
    `update account_group g set owner_id = (select m.account_id from membership m where m.group_id = g.id order by m.role desc, m.account_id limit 1)
     where g.organisation_id = ? and g.owner_id is null`,
    [org!.id],
  );
  await conn.execute(
    `insert into licence (id, group_id, product, seats, created_at)
     select gen_random_uuid(), g.id, p.product, 10 + (abs(hashtext(g.id::text || p.product)) % 90), now()
     from account_group g, unnest(${sqlArray(PRODUCTS)}) with ordinality p(product, i)
     where g.organisation_id = ? and abs(hashtext(g.id::text)) % 3 >= p.i - 1
       and not exists (select 1 from licence l where l.group_id = g.id and l.product = p.product)`,
    [org!.id],
  );
  await conn.execute(
    `insert into group_feature (group_id, feature_id, active, created_at)
     select g.id, f.id, true, now() from account_group g join feature f on f.kind = 'module'
     where g.organisation_id = ? and abs(hashtext(g.id::text || f.key)) % 4 = 0
     on conflict do nothing`,
    [org!.id],
  );
  await conn.execute(
    `insert into account_feature (account_id, feature_id, active, created_at)
     select a.id, f.id, f.kind = 'module' or abs(hashtext(a.id::text)) % 2 = 0, now()
     from account a join feature f on abs(hashtext(a.id::text || f.key)) % (case f.kind when 'module' then 5 else 20 end) = 0
     where a.organisation_id = ? and substring(a.username from '\\.(\\d+)$')::bigint between ? and ?
     on conflict do nothing`,
    [org!.id, first, last],
  );
  return {
    organisation: options.organisation,
    accounts: options.users,
    groups,
    memberships: Number((memberships as { affectedRows?: number }).affectedRows ?? 0),
  };
}
