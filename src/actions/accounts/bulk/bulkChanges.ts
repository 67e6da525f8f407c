import { RefusedError } from '../../../domain/errors.ts';
import type { MailTemplate } from '../../../domain/tokens.ts';
import { type AccountStatus, type LifecycleEvent, type TransitionContext, transition } from '../../../domain/statuses.ts';
import type { CardAction } from '../../action.ts';
import { deactivateAccount } from '../deactivateAccount.ts';
import { lockAccount } from '../lockAccount.ts';
import { reactivateAccount } from '../reactivateAccount.ts';
import { resendInvite } from '../resendInvite.ts';
import { resetMfa } from '../resetMfa.ts';
import { resetPassword } from '../resetPassword.ts';
import { sendInvite } from '../sendInvite.ts';
import { unlockAccount } from '../unlockAccount.ts';

/** The fields a change sets besides the status the status machine decides, as SQL over the row being updated. */
export interface BulkChange {
  /** The single-account action it applies to many: its name, role and wording. */
  single: CardAction;
  event: LifecycleEvent;
  /** Why, when the person gave no reason: kept as the status reason, as the single action does. */
  defaultReason: string | null;
  /** `set` clauses for the account row (`a`), beyond status and failed sign-ins. */
  alsoSets: string;
  /** Whether an account must be left as it is although the status machine allows the event (nothing to change). */
  unchanged?: (row: BulkRow) => boolean;
  /** A refusal of the single action that the status machine does not make (e.g. a group owner cannot be deactivated). */
  refuse?: (row: BulkRow) => string | undefined;
  /** The verb in progress messages: "Deactivating 1,200 accounts". */
  doing: string;
  /** The mail each changed account is sent (through the outbox, in the chunk's transaction), as the single action does. */
  mail?: MailTemplate;
}

/** What the status machine and the change's own rules need to know of an account. */
export type BulkRow = Omit<TransitionContext, 'subject'> & {
  status: AccountStatus;
  organisationId: string;
  ownsGroups: boolean;
  mfaEnrolled: boolean;
  firstName?: string;
  lastName?: string;
};

export type BulkDecision =
  | { refused: string }
  | { unchanged: true }
  | { to: AccountStatus; failedSignIns: number; changes: Record<string, { before: unknown; after: unknown }> };

/**
 * What a bulk change does to one account, as the single action would decide: outside the grant's organisations,
 * refused by the change's own rule or by the status machine (with its sentence), nothing to change, or the new values.
 */
export function decideBulkChange(change: BulkChange, row: BulkRow, scope: string[] | null): BulkDecision {
  if (scope && !scope.includes(row.organisationId)) return { refused: 'your grant does not cover its organisation.' };
  const own = change.refuse?.(row);
  if (own) return { refused: own };
  let result: { to: AccountStatus | 'PURGED'; failedSignIns: number };
  try {
    result = transition(row.status, change.event, { ...row, subject: row.firstName ? `${row.firstName} ${row.lastName ?? ''}`.trim() : undefined });
  } catch (error) {
    if (error instanceof RefusedError) return { refused: error.userMessage };
    throw error;
  }
  if (result.to === 'PURGED') return { refused: 'a bulk change never purges accounts.' };
  if (result.to === row.status && (change.unchanged?.(row) ?? true)) return { unchanged: true };
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  if (result.to !== row.status) changes.status = { before: row.status, after: result.to };
  if (change.event === 'reset-mfa') changes.mfaEnrolled = { before: true, after: false };
  if (change.mail) changes.credential = { before: null, after: change.mail === 'invitation' ? 'invitation mail' : 'password reset mail' };
  if (result.failedSignIns !== row.failedSignIns) changes.failedSignIns = { before: row.failedSignIns, after: result.failedSignIns };
  return { to: result.to, failedSignIns: result.failedSignIns, changes };
}

/** The changes `/users bulk` applies, by the name of the action each repeats for one account. */
export const BULK_CHANGES: Readonly<Record<string, BulkChange>> = {
  deactivate: {
    single: deactivateAccount,
    event: 'deactivate',
    defaultReason: 'deactivated by an admin',
    alsoSets: '',
    refuse: (row) => (row.ownsGroups ? 'it owns groups; give them another owner first.' : undefined),
    doing: 'Deactivating',
  },
  reactivate: { single: reactivateAccount, event: 'reactivate', defaultReason: null, alsoSets: '', doing: 'Reactivating' },
  lock: { single: lockAccount, event: 'lock', defaultReason: 'locked by an admin', alsoSets: ', suspended_until = null', doing: 'Locking' },
  unlock: { single: unlockAccount, event: 'unlock', defaultReason: null, alsoSets: ', suspended_until = null', doing: 'Unlocking' },
  'send-invite': {
    single: sendInvite,
    event: 'send-invite',
    defaultReason: 'invitation sent',
    alsoSets: '',
    mail: 'invitation',
    doing: 'Inviting',
  },
  'resend-invite': { single: resendInvite, event: 'resend-invite', defaultReason: null, alsoSets: '', mail: 'invitation', doing: 'Resending invitations to' },
  'reset-password': {
    single: resetPassword,
    event: 'reset-password',
    defaultReason: 'password reset link sent',
    alsoSets: '',
    mail: 'password-reset',
    doing: 'Sending password reset links to',
  },
  'reset-mfa': {
    single: resetMfa,
    event: 'reset-mfa',
    defaultReason: null,
    alsoSets: ', mfa_enrolled = false',
    unchanged: (row) => !row.mfaEnrolled,
    doing: 'Resetting MFA of',
  },
};

export const BULK_CHANGE_NAMES = Object.keys(BULK_CHANGES);
