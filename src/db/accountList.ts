import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountRole } from '../domain/accounts.ts';
import type { AccountSort, SortField } from '../domain/accountFilter.ts';
import type { AccountStatus } from '../domain/statuses.ts';
import { normaliseSearchText } from './accountSearch.ts';
import { to as copyTo } from 'pg-copy-streams';
import { escapeLike } from './like.ts';
import { notDeleted } from './notDeleted.ts';

/** A filter with its names resolved to rows: what SQL selects. Lists, exports and bulk jobs all read accounts by it. */
export interface AccountSelection {
  statuses: readonly AccountStatus[];
  /** Accounts in any of these groups; null: no group condition. */
  groupIds: readonly string[] | null;
  roles: readonly AccountRole[];
  /** Every organisation the accounts may be in (the caller's scope, narrowed by `org:`); none selects nothing. */
  organisationIds: readonly string[];
  inactiveDays: number | null;
  text: string;
  sort: AccountSort;
}

/** Where a page starts: the sort keys of the row next to it (as PostgreSQL prints them) and that row's id. */
export interface ListCursor {
  keys: string[];
  id: string;
}

export interface AccountListRow {
  id: string;
  firstName: string;
  lastName: string;
  username: string;
  email: string;
  status: AccountStatus;
  role: AccountRole;
  organisationSlug: string;
  lastSignInAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** This row's place in the order, for a cursor next to it. */
  cursor: ListCursor;
}

interface SortKey {
  sql: string;
  type: 'text' | 'timestamptz';
}

const LAST_NAME: SortKey = { sql: `lower(a.last_name) collate "C"`, type: 'text' };
const FIRST_NAME: SortKey = { sql: `lower(a.first_name) collate "C"`, type: 'text' };

/**
 * The keys each sort orders by, then the id. Accounts that share a last name, a status or a role follow by name, as
 * a reader expects, not by id. A key repeats an indexed expression exactly (the `*_search` indexes,
 * `account_list_last_name`), so an index can give the order; `COLLATE "C"` as there. A missing last sign-in sorts as
 * the oldest (never signed in).
 */
const SORT_KEYS: Record<SortField, readonly SortKey[]> = {
  'first-name': [{ sql: `lower(a.first_name || ' ' || a.last_name) collate "C"`, type: 'text' }],
  'last-name': [LAST_NAME, FIRST_NAME],
  username: [{ sql: `a.username collate "C"`, type: 'text' }],
  email: [{ sql: `a.email collate "C"`, type: 'text' }],
  status: [{ sql: `a.status collate "C"`, type: 'text' }, LAST_NAME, FIRST_NAME],
  role: [{ sql: `a.role collate "C"`, type: 'text' }, LAST_NAME, FIRST_NAME],
  'last-sign-in': [{ sql: `coalesce(a.last_sign_in_at, '-infinity'::timestamptz)`, type: 'timestamptz' }],
  added: [{ sql: 'a.created_at', type: 'timestamptz' }],
  modified: [{ sql: 'a.updated_at', type: 'timestamptz' }],
};

/** How many keys a sort's cursor carries. */
export function sortKeyCount(field: SortField): number {
  return SORT_KEYS[field].length;
}

/** The search's prefixes (see accountSearch.ts), each an indexed expression, so the planner can OR four index ranges. */
const TEXT_KEYS = [`lower(a.first_name || ' ' || a.last_name) collate "C"`, `lower(a.last_name) collate "C"`, `a.username collate "C"`, `a.email collate "C"`];

/**
 * Above this many organisations, one scan with `organisation_id in (...)` replaces one branch per organisation: each
 * branch reads at most a page from its index, but planning hundreds of them would cost more than it saves.
 */
const MAX_BRANCHES = 50;

/** The WHERE for a selection, without the organisation: with `?` placeholders, and its parameters in order. */
export function selectionWhere(selection: AccountSelection): { sql: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  // Spelt out, so the planner can use the indexes that leave deleted accounts out.
  if (!selection.statuses.includes('DELETED')) conditions.push(notDeleted('a'));
  conditions.push(`a.status in (${placeholders(selection.statuses.length)})`);
  params.push(...selection.statuses);
  if (selection.roles.length) {
    conditions.push(`a.role in (${placeholders(selection.roles.length)})`);
    params.push(...selection.roles);
  }
  if (selection.groupIds) {
    conditions.push(`exists (select 1 from membership m where m.account_id = a.id and m.group_id in (${placeholders(selection.groupIds.length)}))`);
    params.push(...selection.groupIds);
  }
  if (selection.inactiveDays !== null) {
    conditions.push(`coalesce(a.last_sign_in_at, a.created_at) < now() - make_interval(days => ?)`);
    params.push(selection.inactiveDays);
  }
  const text = normaliseSearchText(selection.text);
  if (text) {
    conditions.push(`(${TEXT_KEYS.map((key) => `${key} like ?`).join(' or ')})`);
    params.push(...TEXT_KEYS.map(() => `${escapeLike(text)}%`));
  }
  return { sql: conditions.join(' and '), params };
}

/** The whole WHERE for a selection over `account a`, organisations included, for statements over all of it (bulk jobs). */
export function selectionWhereInScope(selection: AccountSelection): { sql: string; params: unknown[] } {
  if (!selectable(selection)) return { sql: 'false', params: [] };
  const where = selectionWhere(selection);
  return {
    sql: `a.organisation_id in (${placeholders(selection.organisationIds.length)}) and ${where.sql}`,
    params: [...selection.organisationIds, ...where.params],
  };
}

/** How many accounts the selection holds, with the same WHERE as its pages. */
export async function countSelection(em: EntityManager, selection: AccountSelection): Promise<number> {
  if (!selectable(selection)) return 0;
  const where = selectionWhere(selection);
  const rows = await em.execute<{ n: string }[]>(
    `select count(*) as n from account a where a.organisation_id in (${placeholders(selection.organisationIds.length)}) and ${where.sql}`,
    [...selection.organisationIds, ...where.params],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * One page of the selection in its sort order, after (or before) a cursor: keyset paging, so a page stays right while
 * accounts are added or changed elsewhere in the order. `more` says whether rows lie beyond the page in that direction.
 * Each organisation is its own branch, `ORDER BY key, id LIMIT n`, so an index on (organisation, key, id) reads no
 * more than a page per organisation, as the search does.
 */
export async function selectionPage(
  em: EntityManager,
  selection: AccountSelection,
  page: { after?: ListCursor; before?: ListCursor; limit: number },
): Promise<{ rows: AccountListRow[]; more: boolean }> {
  if (!selectable(selection)) return { rows: [], more: false };
  const keys = SORT_KEYS[selection.sort.field];
  const backwards = page.before !== undefined;
  const descending = (selection.sort.direction === 'desc') !== backwards;
  const order = descending ? 'desc' : 'asc';
  const where = selectionWhere(selection);
  const cursor = page.after ?? page.before;
  const keyColumns = keys.map((_, i) => `k${i}`);
  // A row comparison over the keys and the id: the page starts strictly after (or before) the cursor's row.
  const pastCursor = (columns: readonly string[]) =>
    cursor ? ` and (${columns.join(', ')}) ${descending ? '<' : '>'} (${keys.map((key) => `?::${key.type}`).join(', ')}, ?::uuid)` : '';
  const cursorParams = cursor ? [...cursor.keys, cursor.id] : [];
  const orderBy = (columns: readonly string[]) => columns.map((column) => `${column} ${order}`).join(', ');
  const selectKeys = keys.map((key, i) => `${key.sql} as k${i}`).join(', ');
  const fetch = page.limit + 1;
  let hits: string;
  const params: unknown[] = [];
  if (normaliseSearchText(selection.text)) {
    // A name prefix selects few accounts out of many: collect them through the four prefix indexes first (a
    // BitmapOr), then order those. Left to itself the planner walks the whole sort index filtering by the prefix.
    hits = `matched as materialized (select a.id, ${selectKeys} from account a
        where a.organisation_id in (${placeholders(selection.organisationIds.length)}) and ${where.sql}),
      first_hits as (select id, ${keyColumns.join(', ')} from matched where true${pastCursor([...keyColumns, 'id'])}
        order by ${orderBy([...keyColumns, 'id'])} limit ?)`;
    params.push(...selection.organisationIds, ...where.params, ...cursorParams, fetch);
  } else {
    const organisationSets = selection.organisationIds.length > MAX_BRANCHES ? [selection.organisationIds] : selection.organisationIds.map((id) => [id]);
    const branches: string[] = [];
    const keyExpressions = [...keys.map((key) => key.sql), 'a.id'];
    for (const organisations of organisationSets) {
      branches.push(
        `(select a.id, ${selectKeys} from account a
          where a.organisation_id in (${placeholders(organisations.length)}) and ${where.sql}${pastCursor(keyExpressions)}
          order by ${orderBy(keyExpressions)} limit ?)`,
      );
      params.push(...organisations, ...where.params, ...cursorParams, fetch);
    }
    hits = `hit as (${branches.join('\nunion all\n')}),
      first_hits as (select id, ${keyColumns.join(', ')} from hit order by ${orderBy([...keyColumns, 'id'])} limit ?)`;
    params.push(fetch);
  }
  const rows = await em.execute<Record<string, any>[]>(
    `with ${hits}
     select a.id, a.first_name, a.last_name, a.username, a.email, a.status, a.role, o.slug as organisation_slug,
       a.last_sign_in_at, a.created_at, a.updated_at, json_build_array(${keyColumns.map((column) => `h.${column}::text`).join(', ')}) as sort_keys
     from first_hits h join account a on a.id = h.id join organisation o on o.id = a.organisation_id
     order by ${orderBy([...keyColumns.map((column) => `h.${column}`), 'h.id'])}`,
    params,
  );
  const more = rows.length > page.limit;
  const kept = rows.slice(0, page.limit).map(toRow);
  return { rows: backwards ? kept.reverse() : kept, more };
}

/** The groups a filter names, by name (case-insensitively) or external ID, within these organisations. */
export async function groupsNamed(em: EntityManager, refs: readonly string[], organisationIds: readonly string[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>(refs.map((ref) => [ref, []]));
  if (!refs.length || !organisationIds.length) return found;
  const rows = await em.execute<{ id: string; name: string; external_id: string | null }[]>(
    `select g.id, g.name, g.external_id from account_group g
     where g.organisation_id in (${placeholders(organisationIds.length)})
       and (lower(g.name) in (${placeholders(refs.length)}) or g.external_id in (${placeholders(refs.length)}))`,
    [...organisationIds, ...refs.map((ref) => ref.toLowerCase()), ...refs],
  );
  for (const ref of refs) {
    found.set(
      ref,
      rows.filter((row) => row.name.toLowerCase() === ref.toLowerCase() || row.external_id === ref).map((row) => row.id),
    );
  }
  return found;
}

/** Organisation IDs by slug, for those that exist; null for every organisation's. */
export async function organisationIds(em: EntityManager, slugs: readonly string[] | null): Promise<Map<string, string>> {
  if (slugs !== null && !slugs.length) return new Map();
  const rows = await em.execute<{ id: string; slug: string }[]>(
    slugs === null ? 'select id, slug from organisation' : `select id, slug from organisation where slug in (${placeholders(slugs.length)})`,
    slugs ?? [],
  );
  return new Map(rows.map((row) => [row.slug, row.id]));
}

function selectable(selection: AccountSelection): boolean {
  return selection.organisationIds.length > 0 && selection.statuses.length > 0 && (selection.groupIds === null || selection.groupIds.length > 0);
}

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

function toRow(row: Record<string, any>): AccountListRow {
  return {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    username: row.username,
    email: row.email,
    status: row.status,
    role: row.role,
    organisationSlug: row.organisation_slug,
    lastSignInAt: row.last_sign_in_at == null ? null : new Date(row.last_sign_in_at),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    cursor: { keys: row.sort_keys, id: row.id },
  };
}

/** One account of an export, with its group names: the import template's columns (jobs/accountExport.ts writes them). */
export interface ExportRow {
  email: string;
  firstName: string;
  lastName: string;
  username: string;
  role: string;
  status: string;
  /** The organisation's slug. */
  organisation: string;
  groups: string[];
  /** The times as the file shows them: ISO 8601 in UTC to the millisecond (`2026-11-03T10:15:00.000Z`). */
  lastSignInAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A time as an export writes it, formatted by PostgreSQL: the text of JavaScript's `toISOString()`. */
const isoUtc = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The columns of ExportRow, in its order, as SQL over `account a` and `organisation o`. */
const EXPORT_COLUMNS = [
  'a.email',
  'a.first_name',
  'a.last_name',
  'a.username',
  'a.role',
  'a.status',
  'o.slug',
  '(select json_agg(g.name order by g.name) from membership m join account_group g on g.id = m.group_id where m.account_id = a.id)',
  isoUtc('a.last_sign_in_at'),
  isoUtc('a.created_at'),
  isoUtc('a.updated_at'),
];

/** What a backslash stands before in COPY's text format; any other character stands for itself (`\\` for a backslash). */
const COPY_ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** One field of COPY's text format: `\N` is null. */
function copyField(field: string): string | null {
  if (field === '\\N') return null;
  return field.includes('\\') ? field.replace(/\\(.)/gs, (_, char: string) => COPY_ESCAPES[char] ?? char) : field;
}

function exportRow(line: string): ExportRow {
  const [email, firstName, lastName, username, role, status, organisation, groups, lastSignInAt, createdAt, updatedAt] = line.split('\t').map(copyField);
  return {
    email: email!,
    firstName: firstName!,
    lastName: lastName!,
    username: username!,
    role: role!,
    status: status!,
    organisation: organisation!,
    groups: groups ? JSON.parse(groups) : [],
    lastSignInAt: lastSignInAt!,
    createdAt: createdAt!,
    updatedAt: updatedAt!,
  };
}

/**
 * Every account of a selection with its group names, as PostgreSQL streams them with one `COPY ... TO STDOUT`: a batch
 * of rows for each piece that arrives, in no particular order. One statement reads the table in a single pass and
 * sees one moment of it; paging by ID instead read each row from wherever it lay, at a third of the speed.
 */
export async function* selectionExportRows(em: EntityManager, selection: AccountSelection): AsyncGenerator<ExportRow[]> {
  const where = selectionWhereInScope(selection);
  // COPY takes no parameters: they are written into the statement as every other query's are (MikroORM's quoting).
  const sql = em
    .getPlatform()
    .formatQuery(
      `copy (select ${EXPORT_COLUMNS.join(', ')} from account a join organisation o on o.id = a.organisation_id where ${where.sql}) to stdout`,
      where.params,
    );
  const client = await (await em.getConnection().getNativeClient()).connect();
  let complete = false;
  try {
    const copy = client.query(copyTo(sql)).setEncoding('utf8');
    let partial = '';
    for await (const piece of copy) {
      const lines = (partial + piece).split('\n');
      partial = lines.pop()!;
      yield lines.map(exportRow);
    }
    complete = true;
  } finally {
    // A connection left in the middle of a COPY (the reader stopped early) cannot serve anyone else.
    client.release(!complete);
  }
}
