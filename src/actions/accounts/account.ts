import { findAccountByRef } from '../../db/accountLookup.ts';
import { Group, type IAccount } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';
import { transition, type LifecycleEvent, type TransitionResult } from '../../domain/statuses.ts';
import type { AccountOutcome, ActionContext, Secret } from '../action.ts';
import { changedFields } from '../audit.ts';
import { accountTarget } from '../auditTargets.ts';

interface LoadOptions {
  /** The version the caller saw (a card, a form): any other means someone changed the account meanwhile. */
  expectedVersion?: number;
}

/**
 * The account `ref` names, once the caller's grant is checked against its organisation; refusals from here on are
 * audited against it.
 */
export async function loadAccount(ctx: ActionContext, ref: string, { expectedVersion }: LoadOptions = {}): Promise<IAccount> {
  const account = await findAccountByRef(ctx.em, ref);
  if (!account) throw new RefusedError(`No account matches “${ref}”.`, 'not-found');
  ctx.aboutTarget(accountTarget(account));
  ctx.authorize(account.organisation.id);
  if (expectedVersion !== undefined && account.version !== expectedVersion) {
    throw new RefusedError(`${fullName(account)} was changed by someone else meanwhile; nothing was changed. Here is the current card.`, 'conflict');
  }
  return account;
}

/**
 * As loadAccount, for changes that only a live account can take (its fields, groups, modules): a soft-deleted account
 * keeps what it had until it is restored or purged. Status changes go through the status machine instead, which has
 * its own sentence for each event on a deleted account.
 */
export async function loadLiveAccount(ctx: ActionContext, ref: string, options: LoadOptions = {}): Promise<IAccount> {
  const account = await loadAccount(ctx, ref, options);
  if (account.status === 'DELETED') throw new RefusedError(deletedUntilRestored(fullName(account)), 'invalid-state');
  return account;
}

/** Refuses to take away an account that owns groups: each group needs another owner first. */
export async function requireNoOwnedGroups(ctx: ActionContext, account: IAccount): Promise<void> {
  const owned = await ctx.em.find(Group, { owner: account.id }, { fields: ['name'], orderBy: { name: 'asc' } });
  if (owned.length === 0) return;
  throw new RefusedError(
    `${fullName(account)} owns ${owned.map((g) => `“${g.name}”`).join(', ')}; give ${owned.length === 1 ? 'that group' : 'those groups'} another owner first.`,
    'invalid-state',
  );
}

/** Why a soft-deleted account takes no change but a status change: `who` is its name ("The account" where none is at hand). */
export function deletedUntilRestored(who: string): string {
  return `${who} is DELETED; restore it first.`;
}

export function fullName(account: Pick<IAccount, 'firstName' | 'lastName'>): string {
  return `${account.firstName} ${account.lastName}`;
}

/** What an account action tells every surface: the sentence, shown above the account's card. */
export function accountOutcome(account: Pick<IAccount, 'id'>, message: string, secret?: Secret): AccountOutcome {
  return { kind: 'account', accountId: account.id, message, ...(secret ? { secret } : {}) };
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

/** Where the event takes the account now, as the status machine decides with the organisation's rules; throws its sentence. */
export function lifecycleOutcome(account: IAccount, event: LifecycleEvent): TransitionResult {
  return transition(account.status, event, {
    deletionPolicy: account.organisation.deletionPolicy,
    authSource: account.authSource,
    hasSignedIn: account.lastSignInAt !== null && account.lastSignInAt !== undefined,
    failedSignIns: account.failedSignIns,
    lockoutThreshold: account.organisation.lockoutThreshold,
    passwordTemporary: account.passwordTemporary,
    subject: fullName(account),
  });
}

/** Throws the status machine's sentence when the event does not apply to the account now; changes nothing. */
export function requireLifecycle(account: IAccount, event: LifecycleEvent): void {
  lifecycleOutcome(account, event);
}

/** Moves the account through the status machine, or throws the machine's sentence. */
export function applyLifecycle(account: IAccount, event: LifecycleEvent, reason?: string | null): void {
  const result = lifecycleOutcome(account, event);
  if (result.to === 'PURGED') throw new Error(`${event} purges; purging is not done through applyLifecycle`);
  if (result.to !== account.status) {
    account.status = result.to;
    account.statusChangedAt = new Date();
    account.statusReason = reason ?? null;
  }
  account.failedSignIns = result.failedSignIns;
}

/** One audit event with the fields that changed since `before` (and the approval request it carried out, if any). */
export function auditAccountChange(ctx: ActionContext, action: string, account: IAccount, before: Snapshot, reason?: string, approvalId?: string): void {
  ctx.audit.record({
    action,
    target: accountTarget(account),
    changes: changedFields(before, snapshot(account), AUDITED),
    reason,
    approvalId,
  });
}
