import { z } from 'zod';
import { Account, type IAccount } from '../../db/entities/index.ts';
import { normaliseLogin } from '../../domain/accounts.ts';
import { RefusedError } from '../../domain/errors.ts';
import { transition, type LifecycleEvent } from '../../domain/statuses.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActionContext, ActionOutcome } from '../action.ts';
import type { AuditTarget } from '../audit.ts';
import { changedFields } from '../audit.ts';
import { accountLabel } from '../organisations/organisations.ts';

/** Names one account: its ID, email or username (Slack resolves @mentions to the email before this). */
export const accountRefSchema = z.string().trim().min(1, 'say which account: an email, username or ID').max(320);
export const reasonSchema = z.string().trim().min(1).max(500).optional();
/** The version the caller saw; a different one means someone else changed the account meanwhile. */
export const expectedVersionSchema = z.number().int().positive().optional();

/** An action on one account: the surfaces show the account's card after the sentence. */
export interface AccountOutcome extends ActionOutcome {
  accountId: string;
}

/** The account an ID, email or username names, with its organisation. */
export function findAccountByRef(em: EntityManager, ref: string): Promise<IAccount | null> {
  const where = z.uuid().safeParse(ref).success
    ? { id: ref.toLowerCase() }
    : ref.includes('@')
      ? { email: normaliseLogin(ref) }
      : { username: normaliseLogin(ref) };
  return em.findOne(Account, where, { populate: ['organisation'] });
}

export function accountTarget(account: IAccount): AuditTarget {
  return { type: 'account', id: account.id, label: accountLabel(account), organisationId: account.organisation.id };
}

export async function loadAccount(ctx: ActionContext, ref: string, expectedVersion?: number): Promise<IAccount> {
  const account = await findAccountByRef(ctx.em, ref);
  if (!account) throw new RefusedError(`No account matches “${ref}”.`, 'not-found');
  ctx.aboutTarget(accountTarget(account));
  ctx.authorize(account.organisation.id);
  if (expectedVersion !== undefined && account.version !== expectedVersion) {
    throw new RefusedError(`${fullName(account)} was changed by someone else meanwhile; nothing was changed. Here is the current card.`, 'conflict');
  }
  return account;
}

export function fullName(account: Pick<IAccount, 'firstName' | 'lastName'>): string {
  return `${account.firstName} ${account.lastName}`;
}

const AUDITED = [
  'status',
  'statusReason',
  'suspendedUntil',
  'failedSignIns',
  'role',
  'email',
  'username',
  'firstName',
  'lastName',
  'mfaEnrolled',
  'developerMode',
  'authSource',
] as const;
type Snapshot = Pick<IAccount, (typeof AUDITED)[number]>;

export function snapshot(account: IAccount): Snapshot {
  return Object.fromEntries(AUDITED.map((field) => [field, account[field]])) as Snapshot;
}

/** Moves the account through the status machine, or throws the machine's sentence. */
export function applyLifecycle(account: IAccount, event: LifecycleEvent, reason?: string | null): void {
  const result = transition(account.status, event, {
    deletionPolicy: account.organisation.deletionPolicy,
    authSource: account.authSource,
    hasSignedIn: account.lastSignInAt !== null && account.lastSignInAt !== undefined,
    failedSignIns: account.failedSignIns,
    lockoutThreshold: account.organisation.lockoutThreshold,
    subject: fullName(account),
  });
  if (result.to === 'PURGED') throw new Error(`${event} purges; purging is not done through applyLifecycle`);
  if (result.to !== account.status) {
    account.status = result.to;
    account.statusChangedAt = new Date();
    account.statusReason = reason ?? null;
  }
  account.failedSignIns = result.failedSignIns;
}

/** One audit event with the fields that changed since `before`. */
export function auditAccountChange(ctx: ActionContext, action: string, account: IAccount, before: Snapshot, reason?: string): void {
  ctx.audit.record({
    action,
    target: accountTarget(account),
    changes: changedFields(before, snapshot(account), AUDITED),
    reason,
  });
}
