import { ACCOUNT_ROLES, type AccountRole } from './accounts.ts';
import { ACCOUNT_STATUSES, type AccountStatus } from './statuses.ts';

/**
 * Which accounts a list, an export or a bulk job is about, as people type it:
 * `status:locked-out,suspended group:"Field Crew" role:manager org:acme inactive>:90 sort:-last-sign-in ali`.
 * Pure: parsing never throws (a problem is a sentence naming what is allowed), and `accountFilterText` writes a
 * filter back as text that parses to the same filter, so a button or a job can carry it.
 */
export interface AccountFilter {
  /** Empty: the default, every status but DEACTIVATED (and DELETED). */
  statuses: AccountStatus[];
  /** Group names or external IDs as typed; an account in any of them matches. */
  groups: string[];
  roles: AccountRole[];
  /** Organisation slugs as typed (folded to lower case). */
  organisations: string[];
  /** No sign-in (or, never signed in, created) more than this many days ago. */
  inactiveDays: number | null;
  sort: AccountSort;
  /** Matches the start of the first name, last name, full name, username or email; '' for none. */
  text: string;
}

export const SORT_FIELDS = ['first-name', 'last-name', 'username', 'status', 'role', 'email', 'last-sign-in', 'added', 'modified'] as const;
export type SortField = (typeof SORT_FIELDS)[number];

export interface AccountSort {
  field: SortField;
  direction: 'asc' | 'desc';
}

export const DEFAULT_SORT: AccountSort = { field: 'last-name', direction: 'asc' };

/** The statuses a list shows unless its filter names statuses: a deactivated account is asked for (seed 002's toggle). */
export const DEFAULT_STATUSES: readonly AccountStatus[] = ACCOUNT_STATUSES.filter((s) => s !== 'DEACTIVATED' && s !== 'DELETED');

export const EMPTY_FILTER: AccountFilter = { statuses: [], groups: [], roles: [], organisations: [], inactiveDays: null, sort: DEFAULT_SORT, text: '' };

/** The longest filter text accepted: longer is refused, never cut (a cut filter would list other accounts). */
export const MAX_FILTER_TEXT = 1000;
/** The most values one key may take (`status:a,b,c`): more would only be a typo or an attack. */
const MAX_VALUES = 20;
const MAX_INACTIVE_DAYS = 36_500;

const KEYS = ['status', 'group', 'role', 'org', 'inactive>', 'sort'] as const;
type FilterKey = (typeof KEYS)[number];

/** Words other consoles use for our statuses (the seeds' own words), so an admin's habit works here too. */
const STATUS_WORDS: Record<string, AccountStatus> = {
  ...Object.fromEntries(ACCOUNT_STATUSES.map((s) => [statusWord(s), s])),
  validated: 'ACTIVE',
  provisioned: 'INVITED',
  inactive: 'DEACTIVATED',
  banned: 'DEACTIVATED',
  denied: 'LOCKED_OUT',
  'awaiting-new-password': 'PASSWORD_EXPIRED',
  locked: 'SUSPENDED',
};

const SORT_WORDS: Record<string, SortField> = {
  ...Object.fromEntries(SORT_FIELDS.map((f) => [f, f])),
  first: 'first-name',
  last: 'last-name',
  name: 'last-name',
  login: 'username',
  'sign-in': 'last-sign-in',
  created: 'added',
  updated: 'modified',
};

const SORT_LABELS: Record<SortField, string> = {
  'first-name': 'first name',
  'last-name': 'last name',
  username: 'username',
  status: 'status',
  role: 'role',
  email: 'email',
  'last-sign-in': 'last sign-in',
  added: 'date added',
  modified: 'date modified',
};

/** `LOCKED_OUT` is typed and shown as `locked-out`. */
export function statusWord(status: AccountStatus): string {
  return status.toLowerCase().replace(/_/g, '-');
}

export type FilterParse = { ok: true; filter: AccountFilter } | { ok: false; problem: string };

/** Reads a filter; never throws. A problem names the word at fault and what is allowed there, closest first. */
export function parseAccountFilter(text: string): FilterParse {
  try {
    return { ok: true, filter: readFilter(text) };
  } catch (error) {
    if (error instanceof FilterProblem) return { ok: false, problem: error.message };
    throw error;
  }
}

class FilterProblem extends Error {}

function readFilter(text: string): AccountFilter {
  if (text.length > MAX_FILTER_TEXT)
    throw new FilterProblem(`That filter is ${text.length} characters; a filter takes at most ${MAX_FILTER_TEXT}, e.g. \`status:active group:"Field Crew"\`.`);
  const statuses = new Set<AccountStatus>();
  const roles = new Set<AccountRole>();
  const organisations = new Set<string>();
  const groups: string[] = [];
  const words: string[] = [];
  let inactiveDays: number | null = null;
  let sort: AccountSort | null = null;
  for (const token of tokenize(text)) {
    const keyed = token.quotedWhole ? null : /^([^:\s]*):(.*)$/s.exec(token.text);
    if (!keyed) {
      // Quotes only group words; no name, username or email worth finding starts with one.
      const word = token.text.replace(/["“”]/g, '').trim();
      if (word) words.push(word);
      continue;
    }
    const key = keyOf(keyed[1]!);
    const value = keyed[2]!.trim();
    if (value === '') throw new FilterProblem(`\`${key}:\` needs a value, e.g. ${example(key)}.`);
    switch (key) {
      case 'status':
        for (const v of listValues(key, value)) statuses.add(oneOf('status', v, STATUS_WORDS, ACCOUNT_STATUSES.map(statusWord)));
        break;
      case 'role':
        for (const v of listValues(key, value)) roles.add(oneOf('role', v, Object.fromEntries(ACCOUNT_ROLES.map((r) => [r, r])), ACCOUNT_ROLES));
        break;
      case 'org':
        for (const v of listValues(key, value)) organisations.add(v);
        break;
      case 'group':
        if (groups.length >= MAX_VALUES) throw new FilterProblem(`A filter takes at most ${MAX_VALUES} groups (\`group:<name>\` each).`);
        if (!groups.includes(value)) groups.push(value);
        break;
      case 'inactive>': {
        if (inactiveDays !== null) throw new FilterProblem('Give `inactive>:<days>` once.');
        if (!/^\d{1,6}$/.test(value) || Number(value) > MAX_INACTIVE_DAYS)
          throw new FilterProblem(`\`inactive>:\` takes a number of days from 0 to ${MAX_INACTIVE_DAYS}, e.g. \`inactive>:90\`, not “${value}”.`);
        inactiveDays = Number(value);
        break;
      }
      case 'sort': {
        if (sort !== null) throw new FilterProblem('Give `sort:<field>` once.');
        const descending = value.startsWith('-');
        const field = oneOf('sort', descending ? value.slice(1) : value, SORT_WORDS, SORT_FIELDS);
        sort = { field, direction: descending ? 'desc' : 'asc' };
        break;
      }
    }
  }
  return {
    statuses: ACCOUNT_STATUSES.filter((s) => statuses.has(s)),
    groups,
    roles: ACCOUNT_ROLES.filter((r) => roles.has(r)),
    organisations: [...organisations].sort(),
    inactiveDays,
    sort: sort ?? DEFAULT_SORT,
    text: words.join(' ').replace(/\s+/g, ' ').trim(),
  };
}

function keyOf(typed: string): FilterKey {
  const folded = typed.toLowerCase();
  if ((KEYS as readonly string[]).includes(folded)) return folded as FilterKey;
  // `inactive:` says what it means; only the comparison is missing.
  const hint = folded === 'inactive' ? ' Write `inactive>:<days>` for accounts with no sign-in for more than that many days.' : '';
  throw new FilterProblem(
    `“${typed}:” is not a filter${suggest(folded, KEYS, ':')}${hint} Filters: ${KEYS.map((k) => `\`${k}:\``).join(', ')}; other words match the start of a name, username or email.`,
  );
}

function listValues(key: FilterKey, value: string): string[] {
  const values = value
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
  if (values.length > MAX_VALUES) throw new FilterProblem(`\`${key}:\` takes at most ${MAX_VALUES} values.`);
  if (values.length === 0) throw new FilterProblem(`\`${key}:\` needs a value, e.g. ${example(key)}.`);
  return values;
}

function oneOf<T extends string>(key: FilterKey, typed: string, words: Record<string, T>, allowed: readonly string[]): T {
  const folded = typed.toLowerCase().replace(/_/g, '-');
  const found = Object.hasOwn(words, folded) ? words[folded] : undefined;
  if (found) return found;
  throw new FilterProblem(`\`${key}:\` has no value “${typed}”${suggest(folded, allowed)} It takes ${allowed.map((a) => `\`${a}\``).join(', ')}.`);
}

function example(key: FilterKey): string {
  const examples: Record<FilterKey, string> = {
    status: '`status:locked-out` or `status:active,invited`',
    group: '`group:"Field Crew"` or `group:FCN-1`',
    role: '`role:manager`',
    org: '`org:acme`',
    'inactive>': '`inactive>:90`',
    sort: '`sort:last-sign-in` or `sort:-added` (newest first)',
  };
  return examples[key];
}

/**
 * The end of the sentence about a typo: "; did you mean `status:`?" for the allowed word nearest to it, when one is
 * near enough to be a typo, else a full stop.
 */
function suggest(typed: string, allowed: readonly string[], suffix = ''): string {
  let best: { word: string; distance: number } | undefined;
  for (const word of allowed) {
    const distance = editDistance(typed, word);
    if (!best || distance < best.distance) best = { word, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(best.word.length / 3)) ? `; did you mean \`${best.word}${suffix}\`?` : '.';
}

/** Damerau-style (adjacent swaps count once) edit distance, for the "did you mean" of short filter words. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 10) return Math.abs(a.length - b.length);
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

interface Token {
  text: string;
  /** `"a:b"` in quotes as a whole is text to search for, not a filter. */
  quotedWhole: boolean;
}

/** Splits on spaces, keeping `key:"quoted words"` and `"quoted words"` (straight or curly quotes) together. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /([^\s"“”]*)(?:"([^"]*)"|“([^”]*)”)|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    if (match[4] !== undefined) {
      if (/["“”]/.test(match[4])) throw new FilterProblem('A quotation mark is not closed: quote a name with spaces as `group:"Field Crew"` or `"Mary Ann"`.');
      tokens.push({ text: match[4], quotedWhole: false });
      continue;
    }
    const prefix = match[1]!;
    const quoted = (match[2] ?? match[3]!).trim();
    if (prefix === '' && quoted === '') continue;
    tokens.push({ text: `${prefix}${quoted}`, quotedWhole: prefix === '' });
  }
  return tokens;
}

/** The filter as text that parses back to the same filter; the default parts are left out, so no filter is ''. */
export function accountFilterText(filter: AccountFilter): string {
  const parts: string[] = [];
  if (filter.statuses.length) parts.push(`status:${filter.statuses.map(statusWord).join(',')}`);
  for (const group of filter.groups) parts.push(`group:${quoteIfNeeded(group)}`);
  if (filter.roles.length) parts.push(`role:${filter.roles.join(',')}`);
  for (const organisation of filter.organisations) parts.push(`org:${quoteIfNeeded(organisation)}`);
  if (filter.inactiveDays !== null) parts.push(`inactive>:${filter.inactiveDays}`);
  if (filter.sort.field !== DEFAULT_SORT.field || filter.sort.direction !== DEFAULT_SORT.direction)
    parts.push(`sort:${filter.sort.direction === 'desc' ? '-' : ''}${filter.sort.field}`);
  for (const word of filter.text ? filter.text.split(' ') : []) parts.push(word.includes(':') ? `"${word}"` : word);
  return parts.join(' ');
}

function quoteIfNeeded(value: string): string {
  if (!/[\s,"“”]/.test(value)) return value;
  return value.includes('"') && !value.includes('”') ? `“${value}”` : `"${value}"`;
}

/** The filter in words, for the line above a list: "Every status but deactivated, in group “Field Crew”, sorted by last name". */
export function describeAccountFilter(filter: AccountFilter): string {
  const parts: string[] = [filter.statuses.length ? `Status ${orList(filter.statuses.map(statusWord))}` : 'Every status but deactivated'];
  if (filter.groups.length) parts.push(`in group ${orList(filter.groups.map((g) => `“${g}”`))}`);
  if (filter.roles.length) parts.push(`role ${orList(filter.roles)}`);
  if (filter.organisations.length) parts.push(`in organisation ${orList(filter.organisations)}`);
  if (filter.inactiveDays !== null) parts.push(`no sign-in for more than ${filter.inactiveDays} day${filter.inactiveDays === 1 ? '' : 's'}`);
  if (filter.text) parts.push(`name, username or email starting with “${filter.text}”`);
  const direction =
    filter.sort.field === 'last-sign-in' || filter.sort.field === 'added' || filter.sort.field === 'modified'
      ? filter.sort.direction === 'asc'
        ? 'oldest first'
        : 'newest first'
      : filter.sort.direction === 'asc'
        ? 'A to Z'
        : 'Z to A';
  parts.push(`sorted by ${SORT_LABELS[filter.sort.field]}, ${direction}`);
  return parts.join(', ');
}

function orList(values: readonly string[]): string {
  return values.length <= 1 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
}

/** How to write a filter, for usage texts. */
export const ACCOUNT_FILTER_USAGE = `[status:<${ACCOUNT_STATUSES.map(statusWord).join('|')}>[,...]] [group:<name or external ID>] [role:<${ACCOUNT_ROLES.join('|')}>] [org:<slug>] [inactive>:<days>] [sort:[-]<${SORT_FIELDS.join('|')}>] [text]`;

/** Filter text from words that arrive already split (a shell's arguments): a word with spaces keeps them, quoted. */
export function filterTextFromWords(words: readonly string[]): string {
  return words
    .map((word) => {
      if (!/\s/.test(word)) return word;
      const keyed = /^([^:\s"“”]+):(.*)$/s.exec(word);
      return keyed ? `${keyed[1]}:${quoteIfNeeded(keyed[2]!)}` : quoteIfNeeded(word);
    })
    .join(' ');
}
