import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { findGroupNames, findImportMatches, type ImportMatch } from '../../../db/importMatches.ts';
import { ACCOUNT_ROLES, defaultUsername } from '../../../domain/accounts.ts';
import { type Grant, mayRead } from '../../../domain/roles.ts';
import type { AccountStatus } from '../../../domain/statuses.ts';
import { BULK_CHANGES, decideStatusChange, type StatusChange } from '../bulk/bulkChanges.ts';
import { defineAction } from '../../action.ts';
import { emailSchema, personNameSchema, slugSchema, usernameSchema } from '../../inputs.ts';
import { organisationBySlug } from '../../organisations/organisations.ts';
import { IMPORTABLE_STATUSES, isReadCandidate, MAX_GROUPS_PER_ROW, type ImportCandidate, RowsByKey, type RowError } from './importRows.ts';

/**
 * How many rows one dry-run call classifies (one statement reads all their accounts) and one Apply chunk applies. A
 * million-row import: dry run 26.4 s and Apply 42.4 s in batches of 5,000, against 30.5 s and 43.9 s in batches of
 * 1,000, whose transactions cost more than their rows at a 300,000-row import (11 s and 13.3 s, against 8.1 s and 10.9 s).
 */
export const IMPORT_CHECK_BATCH = 5000;

/** Statuses a new account may start in: an import creates it staged or invited, or deactivated when the file blocks it. */
const NEW_ACCOUNT_STATUSES = new Set(['STAGED', 'INVITED', 'DEACTIVATED']);

const checkedCandidateSchema = z.object({
  row: z.number().int().positive(),
  email: emailSchema,
  firstName: personNameSchema,
  lastName: personNameSchema,
  username: usernameSchema.optional(),
  role: z.enum(ACCOUNT_ROLES).optional(),
  status: z.enum(IMPORTABLE_STATUSES).optional(),
  organisation: slugSchema.optional(),
  groups: z.array(z.string().trim().min(1).max(200)).max(MAX_GROUPS_PER_ROW).optional(),
});

/**
 * A candidate as the import's actions take it. One that an ImportRowReader made as it read the file passes as it is:
 * it was checked then by the same field rules, so a row is not checked again by each action it passes through (two,
 * for every row of a dry run). Anything else is checked in full, with the same messages.
 */
export const candidateSchema = z.unknown().transform((value, ctx): ImportCandidate => {
  if (isReadCandidate(value)) return value;
  const checked = checkedCandidateSchema.safeParse(value);
  if (checked.success) return checked.data;
  for (const issue of checked.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

/** The fields an update would change, in the order the import template has them. */
export type ImportChange = 'firstName' | 'lastName' | 'username' | 'role' | 'status' | 'groups';

export type ImportVerdict =
  | { row: number; email: string; outcome: 'create' }
  | { row: number; email: string; outcome: 'update'; accountId: string; changes: ImportChange[] }
  | { row: number; email: string; outcome: 'unchanged'; accountId: string }
  | { row: number; email: string; outcome: 'invalid'; errors: RowError[] };

export interface ImportCheck {
  organisation: string;
  verdicts: ImportVerdict[];
  counts: Record<ImportVerdict['outcome'], number>;
}

/**
 * The dry run of an import: what applying these rows (a batch of a parsed file's valid rows) to the organisation
 * would do to each, without changing anything: create, update (which fields), leave unchanged, or refuse (why). An
 * email belongs to one account across the platform, so a row whose email or username another organisation's
 * account has is refused, naming that organisation only to a caller who may read it.
 */
export const classifyImport = defineAction({
  name: 'import-check',
  describedAs: 'importing accounts',
  requires: 'admin',
  readOnly: true,
  input: z.object({
    organisation: slugSchema.optional(),
    candidates: z.array(candidateSchema).max(IMPORT_CHECK_BATCH, `check at most ${IMPORT_CHECK_BATCH} rows at once`),
  }),
  async run(ctx, input): Promise<ImportCheck> {
    const organisation = await organisationBySlug(ctx.em, input.organisation);
    ctx.aboutTarget({ type: 'organisation', id: organisation.id, label: organisation.slug, organisationId: organisation.id });
    ctx.authorize(organisation.id);
    const { verdicts } = await classifyRows(ctx.em, ctx.actor.grants, organisation, input.candidates);
    return { organisation: organisation.slug, verdicts, counts: countVerdicts(verdicts) };
  },
});

function countVerdicts(verdicts: readonly ImportVerdict[]): ImportCheck['counts'] {
  const counts = { create: 0, update: 0, unchanged: 0, invalid: 0 };
  for (const verdict of verdicts) counts[verdict.outcome]++;
  return counts;
}

interface ClassifiedRows {
  verdicts: ImportVerdict[];
  /** The accounts the rows are about, by email. */
  byEmail: ReadonlyMap<string, ImportMatch>;
  /** The organisation's groups the rows name, by lower-cased name. */
  groups: ReadonlyMap<string, { id: string; name: string }>;
}

/**
 * Decides each row against the accounts as they are now (the caller's grant already checked against the
 * organisation). `lock`: the accounts the rows are about stay locked until the transaction ends, for applying them.
 */
export async function classifyRows(
  em: EntityManager,
  grants: readonly Grant[],
  organisation: { id: string; slug: string },
  candidates: readonly ImportCandidate[],
  { lock = false }: { lock?: boolean } = {},
): Promise<ClassifiedRows> {
  const [matches, groups] = await Promise.all([
    findImportMatches(
      em,
      candidates.map((c) => c.email),
      candidates.map(usernameOf),
      { lock },
    ),
    findGroupNames(
      em,
      organisation.id,
      candidates.flatMap((c) => c.groups ?? []),
    ),
  ]);
  const byEmail = new Map(matches.map((m) => [m.email, m]));
  const byUsername = new Map(matches.map((m) => [m.username, m]));
  const where = (m: ImportMatch) => (mayRead(grants, m.organisationId) ? m.organisationSlug : 'an organisation you cannot see');

  const verdicts = candidates.map((c): ImportVerdict => {
    const errors: RowError[] = [];
    const fail = (column: string, reason: string) => errors.push({ row: c.row, column, reason });
    if (c.organisation !== undefined && c.organisation !== organisation.slug)
      fail('organisation', `names ${c.organisation}, but this import goes to ${organisation.slug}`);
    for (const name of c.groups ?? []) if (!groups.has(name.toLowerCase())) fail('groups', `${organisation.slug} has no group “${name}”`);

    const existing = byEmail.get(c.email);
    if (existing && existing.organisationId !== organisation.id) fail('email', `belongs to an account in ${where(existing)}`);
    else if (existing?.status === 'DELETED') fail('email', 'belongs to a deleted account; restore it rather than import it again');
    const holder = byUsername.get(usernameOf(c));
    if (holder && holder.email !== c.email && (c.username !== undefined || !existing))
      fail('username', `“${usernameOf(c)}” is taken by an account in ${where(holder)}`);
    if (!existing && c.status !== undefined && !NEW_ACCOUNT_STATUSES.has(c.status))
      fail('status', `a new account starts STAGED or INVITED (DEACTIVATED when blocked), not ${c.status}`);
    if (existing && errors.length === 0) {
      if (c.status !== undefined && c.status !== existing.status) {
        const moved = statusChange(c.status, existing);
        if ('refused' in moved) fail('status', moved.refused);
      }
      const wanted = c.groups && new Set(c.groups.map((name) => groups.get(name.toLowerCase())!.name));
      for (const owned of wanted ? existing.ownedGroups.filter((name) => !wanted.has(name)) : [])
        fail('groups', `leaves out “${owned}”, which the account owns; give the group another owner first`);
    }
    if (errors.length > 0) return { row: c.row, email: c.email, outcome: 'invalid', errors };
    if (!existing) return { row: c.row, email: c.email, outcome: 'create' };

    const changes = changedFields(c, existing, groups);
    return changes.length === 0
      ? { row: c.row, email: c.email, outcome: 'unchanged', accountId: existing.id }
      : { row: c.row, email: c.email, outcome: 'update', accountId: existing.id, changes };
  });
  return { verdicts, byEmail, groups };
}

/** The username a row gives its account: the file's, or the one a new account would get from its email. */
export const usernameOf = (c: ImportCandidate): string => c.username ?? defaultUsername(c.email);

/**
 * The usernames the rows of one file give their accounts, as its batches are classified in row order: a row whose
 * account would take the username an earlier row gives its account is refused, as a repeated email is, so the dry
 * run shows what Apply would find.
 */
export class UsernamesInFile {
  private readonly seen: RowsByKey;

  /** `maxRows`: the most rows the file may have. */
  constructor(maxRows: number) {
    this.seen = new RowsByKey(maxRows);
  }

  check(candidate: ImportCandidate, verdict: ImportVerdict): ImportVerdict {
    const takes =
      verdict.outcome === 'create'
        ? usernameOf(candidate)
        : verdict.outcome === 'update' && verdict.changes.includes('username')
          ? candidate.username
          : undefined;
    if (takes === undefined) return verdict;
    const earlier = this.seen.rowOf(takes);
    if (earlier === undefined) {
      this.seen.add(takes, candidate.row);
      return verdict;
    }
    const column = candidate.username === undefined ? 'email' : 'username';
    const reason = `gives the username “${takes}”, as row ${earlier} does${candidate.username === undefined ? ' (from the part before the @)' : ''}`;
    return { row: candidate.row, email: candidate.email, outcome: 'invalid', errors: [{ row: candidate.row, column, reason }] };
  }
}

/** The single action whose status a row asks for, by the status it names: an import moves a status only as they do. */
const STATUS_CHANGES: Partial<Record<AccountStatus, (from: AccountStatus) => string>> = {
  DEACTIVATED: () => 'deactivate',
  SUSPENDED: () => 'lock',
  ACTIVE: (from) => (from === 'DEACTIVATED' ? 'reactivate' : 'unlock'),
};

/**
 * How a row's status reaches an existing account: through the status machine and the rules of the single action
 * that sets that status (deactivate, lock, unlock, reactivate), or why it cannot.
 */
export function statusChange(
  wanted: AccountStatus,
  account: ImportMatch,
): { change: StatusChange; to: AccountStatus; failedSignIns: number } | { refused: string } {
  const name = STATUS_CHANGES[wanted]?.(account.status);
  const change = name ? BULK_CHANGES[name] : undefined;
  if (change?.kind !== 'status') return { refused: `an import makes an existing account ACTIVE, SUSPENDED or DEACTIVATED, not ${wanted}` };
  const decided = decideStatusChange(change, { ...account, ownsGroups: account.ownedGroups.length > 0 });
  if ('refused' in decided) return { refused: decided.refused.replace(/\.$/, '') };
  if ('unchanged' in decided || decided.values.status !== wanted)
    return { refused: `the status machine does not make a ${account.status} account ${wanted} by ${name}` };
  return { change, to: wanted, failedSignIns: decided.values.failed };
}

/** What a row would change on its account; a column the file does not have changes nothing. */
function changedFields(c: ImportCandidate, account: ImportMatch, groups: ReadonlyMap<string, { name: string }>): ImportChange[] {
  const changes: ImportChange[] = [];
  if (c.firstName !== account.firstName) changes.push('firstName');
  if (c.lastName !== account.lastName) changes.push('lastName');
  if (c.username !== undefined && c.username !== account.username) changes.push('username');
  if (c.role !== undefined && c.role !== account.role) changes.push('role');
  if (c.status !== undefined && c.status !== account.status) changes.push('status');
  if (c.groups !== undefined) {
    const wanted = new Set(c.groups.map((name) => groups.get(name.toLowerCase())!.name));
    if (wanted.size !== account.groups.length || account.groups.some((name) => !wanted.has(name))) changes.push('groups');
  }
  return changes;
}
