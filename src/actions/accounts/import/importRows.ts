import { z } from 'zod';
import { ACCOUNT_ROLES, defaultUsername, type AccountRole } from '../../../domain/accounts.ts';
import type { ColumnPlan, ImportField } from '../../../domain/importLayouts.ts';
import { recoverFormula } from '../../../domain/spreadsheetCells.ts';
import { ACCOUNT_STATUSES, type AccountStatus } from '../../../domain/statuses.ts';
import { emailSchema, personNameSchema, slugSchema, usernameSchema } from '../../inputs.ts';

/** Statuses a file may name: every one but DELETED, which only a deletion's approval reaches. */
export const IMPORTABLE_STATUSES = ACCOUNT_STATUSES.filter((status) => status !== 'DELETED');

/** How many groups one row may name (the create form allows as many). */
export const MAX_GROUPS_PER_ROW = 20;

/** One valid row: what the file says about one account, folded and checked. */
export interface ImportCandidate {
  /** The row's number as the spreadsheet shows it (the header is row 1, or 2 below Entra's version line). */
  row: number;
  email: string;
  firstName: string;
  lastName: string;
  username?: string;
  role?: AccountRole;
  status?: AccountStatus;
  /** An organisation's slug, when the file names one. */
  organisation?: string;
  /** Group names, when the file has a groups column (an empty list then means "in no group"). */
  groups?: string[];
}

export interface RowError {
  row: number;
  /** The column as the file names it. */
  column: string;
  reason: string;
}

export type ImportRow = { row: number; candidate: ImportCandidate } | { row: number; errors: RowError[] };

/** The candidates an ImportRowReader of this process made: each field was checked as the row was read. */
const readCandidates = new WeakSet<object>();

/** Whether this is a candidate as an ImportRowReader made it (and so needs no second check by the same rules). */
export function isReadCandidate(value: unknown): value is ImportCandidate {
  return typeof value === 'object' && value !== null && readCandidates.has(value);
}

const caseless = <T extends string>(values: readonly T[], message: string) =>
  z
    .string()
    .transform((value) =>
      value
        .trim()
        .replace(/[\s-]+/g, '_')
        .toUpperCase(),
    )
    .pipe(z.enum(values.map((value) => value.toUpperCase()) as [string, ...string[]], message))
    .transform((value) => values.find((v) => v.toUpperCase() === value)!);

const fieldSchemas = {
  email: emailSchema,
  firstName: personNameSchema,
  lastName: personNameSchema,
  username: usernameSchema,
  role: caseless(ACCOUNT_ROLES, `must be one of ${ACCOUNT_ROLES.join(', ')}`),
  status: caseless(IMPORTABLE_STATUSES, `must be one of ${IMPORTABLE_STATUSES.join(', ')}`),
  organisation: slugSchema,
  groups: z
    .string()
    .transform((cell) => [
      ...new Set(
        cell
          .split(';')
          .map((name) => name.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.string().max(200, 'a group name is longer than 200 characters')).max(MAX_GROUPS_PER_ROW, `name at most ${MAX_GROUPS_PER_ROW} groups`)),
  blocked: z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .pipe(z.enum(['yes', 'no'], 'must be Yes or No')),
} satisfies Partial<Record<ImportField, z.ZodType>>;

/**
 * Reads the rows of one file: each becomes a candidate or the list of what is wrong with it, column by column. An
 * email seen on an earlier row makes the later row an error; the earlier row stands. Cells an export neutralised
 * against formulas are read back as the text they stood for.
 */
export class ImportRowReader {
  private readonly seen: RowsByKey;
  private readonly plan: ColumnPlan;
  private readonly headers: readonly string[];

  /** `maxRows`: the most rows the file may have, which the emails seen are sized for. */
  constructor(plan: ColumnPlan, headers: readonly string[], maxRows: number) {
    this.plan = plan;
    this.headers = headers;
    this.seen = new RowsByKey(maxRows);
  }

  read(row: number, cells: readonly string[]): ImportRow {
    const errors: RowError[] = [];
    const cell = (field: ImportField) => {
      const index = this.plan.fields[field];
      return index === undefined ? undefined : recoverFormula((cells[index] ?? '').trim());
    };
    const column = (field: ImportField) => (this.headers[this.plan.fields[field]!] ?? field).trim();
    const check = <F extends keyof typeof fieldSchemas>(field: F, value: string | undefined, as: ImportField = field) => {
      if (value === undefined) return undefined;
      const parsed = fieldSchemas[field].safeParse(value);
      if (parsed.success) return parsed.data as z.output<(typeof fieldSchemas)[F]>;
      errors.push({ row, column: column(as), reason: reasonOf(parsed.error, value) });
      return undefined;
    };
    const optional = (field: ImportField) => {
      const value = cell(field);
      return value === '' ? undefined : value;
    };

    let firstName = cell('firstName') || undefined;
    let lastName = cell('lastName') || undefined;
    const displayName = cell('displayName');
    if (displayName && !firstName && !lastName) [firstName, lastName] = splitDisplayName(displayName);
    const nameField = (field: 'firstName' | 'lastName', value: string | undefined) => {
      if (value !== undefined) return check(field, value);
      const from = this.plan.fields[field] !== undefined ? field : this.plan.fields.displayName !== undefined ? 'displayName' : undefined;
      errors.push({ row, column: from ? column(from) : field === 'firstName' ? 'first name' : 'last name', reason: 'is missing' });
      return undefined;
    };

    const rawEmail = cell('email') ?? '';
    if (rawEmail === '') errors.push({ row, column: column('email'), reason: 'is missing' });
    const email = rawEmail === '' ? undefined : check('email', rawEmail);
    const first = nameField('firstName', firstName);
    const last = nameField('lastName', lastName);
    const username = check('username', usernameFromLogin(optional('username'), this.plan.layout === 'okta'));
    const role = check('role', optional('role'));
    const blocked = check('blocked', optional('blocked'));
    const status = blocked === 'yes' ? 'DEACTIVATED' : check('status', optional('status'));
    const organisation = check('organisation', optional('organisation'));
    const groupsCell = cell('groups');
    const groups = groupsCell === undefined ? undefined : check('groups', groupsCell);

    if (email !== undefined) {
      const earlier = this.seen.rowOf(email);
      if (earlier !== undefined) errors.push({ row, column: column('email'), reason: `repeats the email of row ${earlier}` });
      else if (errors.length === 0) this.seen.add(email, row);
    }
    if (errors.length > 0 || email === undefined || first === undefined || last === undefined) return { row, errors };
    const candidate: ImportCandidate = { row, email, firstName: first, lastName: last };
    if (username !== undefined) candidate.username = username;
    if (role !== undefined) candidate.role = role as AccountRole;
    if (status !== undefined) candidate.status = status as AccountStatus;
    if (organisation !== undefined) candidate.organisation = organisation;
    if (groups !== undefined) candidate.groups = Object.freeze(groups) as string[];
    // Frozen as it was checked, so that what passes unchecked later is what was checked.
    readCandidates.add(Object.freeze(candidate));
    return { row, candidate };
  }
}

/**
 * The row of each key (an email, a username) seen so far, kept as a 64-bit fingerprint and a row number in typed
 * arrays (12 bytes a key): a Map of the emails themselves took 126 MB for a million-row file. Two keys share a
 * fingerprint with odds of about 1 in 30 million for a million-row file, and that would show as a false "repeats"
 * error. The arrays are sized for the most keys there can be from the start: memory the table never touches is never
 * in use, and growing by copying held both the old and the new arrays until a full garbage collection (37 of a
 * million-row dry run's 300 MB, at the moment the two tables of a file grew).
 */
export class RowsByKey {
  private keys: Uint32Array;
  private rows: Uint32Array;
  private size = 0;

  constructor(maxKeys: number) {
    const slots = 2 ** Math.ceil(Math.log2(Math.max(1024, 2 * maxKeys)));
    this.keys = new Uint32Array(2 * slots);
    this.rows = new Uint32Array(slots);
  }

  rowOf(key: string): number | undefined {
    const [high, low] = fingerprint(key);
    const slot = this.find(high, low);
    return this.rows[slot] === 0 ? undefined : this.rows[slot];
  }

  add(key: string, row: number): void {
    if (2 * (this.size + 1) > this.rows.length) this.grow();
    const [high, low] = fingerprint(key);
    this.put(high, low, row);
  }

  private put(high: number, low: number, row: number): void {
    const slot = this.find(high, low);
    if (this.rows[slot] === 0) this.size++;
    this.keys[2 * slot] = high;
    this.keys[2 * slot + 1] = low;
    this.rows[slot] = row;
  }

  /** The slot holding this fingerprint, or the empty slot where it would go (open addressing, linear probing). */
  private find(high: number, low: number): number {
    const mask = this.rows.length - 1;
    let slot = low & mask;
    while (this.rows[slot] !== 0 && (this.keys[2 * slot] !== high || this.keys[2 * slot + 1] !== low)) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { keys, rows } = this;
    this.keys = new Uint32Array(keys.length * 2);
    this.rows = new Uint32Array(rows.length * 2);
    this.size = 0;
    for (let slot = 0; slot < rows.length; slot++) if (rows[slot] !== 0) this.put(keys[2 * slot]!, keys[2 * slot + 1]!, rows[slot]!);
  }
}

/** Two 32-bit halves mixed from every UTF-16 unit (the cyrb53 construction, without folding them to 53 bits). */
function fingerprint(key: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const unit = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ unit, 2654435761);
    h2 = Math.imul(h2 ^ unit, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}

/** Entra's display name when the file has no first and last names: the last word is the last name. */
function splitDisplayName(displayName: string): [string | undefined, string | undefined] {
  const words = displayName.trim().split(/\s+/);
  if (words.length < 2) return [words[0], undefined];
  return [words.slice(0, -1).join(' '), words.at(-1)];
}

/** Okta's login is usually an email; Roster's username is then its part before the @, as when an account is created. */
function usernameFromLogin(login: string | undefined, isOkta: boolean): string | undefined {
  if (login === undefined || !isOkta || !login.includes('@')) return login;
  return defaultUsername(login);
}

function reasonOf(error: z.ZodError, value: string): string {
  const issue = error.issues[0]!;
  if (issue.code === 'too_big' && issue.origin === 'string') return `is longer than ${issue.maximum} characters`;
  if (issue.code === 'too_small' && value.trim() === '') return 'is missing';
  return issue.message;
}
