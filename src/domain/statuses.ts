import { RefusedError } from './errors.ts';

/**
 * The account status machine. Pure: no I/O, no clock.
 *
 * Every (status, event) pair is decided in TABLE below, one row per status with every event
 * spelled out, so adding a status or an event does not compile until each new pair is decided.
 */

export const ACCOUNT_STATUSES = ['STAGED', 'INVITED', 'ACTIVE', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'SUSPENDED', 'DEACTIVATED', 'DELETED'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const LIFECYCLE_EVENTS = [
  'send-invite',
  'resend-invite',
  'sign-in-success',
  'sign-in-failure',
  'password-set',
  'lock',
  'lock-until',
  'lock-expiry',
  'unlock',
  'deactivate',
  'reactivate',
  'reset-password',
  'temporary-password',
  'reset-mfa',
  'inactivity',
  'delete',
  'restore',
  'purge',
] as const;
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

export const DELETION_POLICIES = ['soft', 'hard', 'never'] as const;
export type DeletionPolicy = (typeof DELETION_POLICIES)[number];

export type AuthSource = 'local' | 'sso';

export interface TransitionContext {
  deletionPolicy: DeletionPolicy;
  authSource: AuthSource;
  /** The account has signed in at least once. */
  hasSignedIn: boolean;
  /** Consecutive failed sign-ins BEFORE this event. */
  failedSignIns: number;
  /** The organisation's lockout threshold (default 10); a whole number of at least 1. */
  lockoutThreshold: number;
  /** The password is a temporary one an admin issued, which its owner has not replaced yet. */
  passwordTemporary: boolean;
  /** Name used in refusal sentences, default "The account". */
  subject?: string;
}

/** 'PURGED' means the row is removed for good (hard delete, or purge of a soft-deleted account). */
export type TransitionResult = { to: AccountStatus | 'PURGED'; failedSignIns: number };

// ---------------------------------------------------------------------------------------------
// The table's vocabulary
// ---------------------------------------------------------------------------------------------

/**
 * Where a permitted event leads: a status, 'PURGED', or
 * - 'SAME': the status does not change;
 * - 'LOCKED_OUT_AT_THRESHOLD': the status does not change, unless the failure count reaches the
 *   organisation's threshold, which locks the account out.
 */
type Target = AccountStatus | 'PURGED' | 'SAME' | 'LOCKED_OUT_AT_THRESHOLD';

/** What happens to the consecutive failed sign-in counter. */
type Counter = 'keep' | 'reset' | 'count';

interface Move {
  readonly to: Target;
  readonly failures: Counter;
}

/** A refusal: the end of the sentence "<subject> is <STATUS>; <refusal>". */
type Refusal = string;

type Outcome = Move | Refusal;

/** A pair whose outcome depends on the context. */
type Branch =
  | { readonly by: 'authSource'; readonly local: Outcome; readonly sso: Outcome }
  | { readonly by: 'deletionPolicy'; readonly soft: Outcome; readonly hard: Outcome; readonly never: Outcome }
  | { readonly by: 'hasSignedIn'; readonly yes: Outcome; readonly no: Outcome }
  /**
   * Whether the account has a password it may use: none before its first sign-in; none while its wrong passwords
   * reach the organisation's threshold (the counter is kept through a deactivation), whatever its status says; only
   * to replace it while it is a temporary one.
   */
  | {
      readonly by: 'password';
      readonly neverSignedIn: Outcome;
      readonly lockedOut: Outcome;
      readonly temporary: Outcome;
      readonly usable: Outcome;
    };

type Cell = Outcome | Branch;

const go = (to: Target, failures: Counter = 'keep'): Move => ({ to, failures });

// Refusals shared by several pairs.
const NOT_INVITED_YET = 'an account cannot sign in before it is invited; send the invitation first.';
const NO_PASSWORD_BEFORE_INVITE = 'it has no password until it accepts an invitation; send the invitation instead.';
const NO_PASSWORD_YET = 'it has no password until it accepts the invitation; resend the invitation instead.';
const NEVER_SIGNED_IN_NO_LOCK = 'it has never signed in, so there is nothing to lock; deactivate it instead to keep it out.';
const ALREADY_JOINED = 'it has already accepted an invitation, so there is none to send.';
const NO_LOCK_TO_EXPIRE = 'it is not suspended, so there is no lock to expire.';
const NOT_LOCKED = 'it is not locked, so there is nothing to unlock.';
const NOT_DEACTIVATED = 'it is not deactivated, so there is nothing to reactivate.';
const ACTIVE_ONLY_SWEEP = 'the inactivity sweep only suspends ACTIVE accounts, so it is left as it is.';
const NOT_DELETED_RESTORE = 'it is not deleted, so there is nothing to restore.';
const NOT_DELETED_PURGE = 'only a DELETED account can be purged; delete it first.';
const LOCKED_OUT_HINT = 'it cannot sign in after too many wrong passwords; unlock it or issue a temporary password.';
const SUSPENDED_NO_SIGN_IN = 'a suspended account cannot sign in; unlock it first.';
const SUSPENDED_NO_RESET = 'a password reset does not lift an admin lock; unlock it first.';
const DEACTIVATED_NO_SIGN_IN = 'a deactivated account cannot sign in; reactivate it first.';
const DEACTIVATED_NO_RESET = 'reactivate it first, then reset the password.';
const DEACTIVATED_NO_INVITE = 'reactivate it instead; an account that never signed in comes back INVITED.';
const DELETED_ONLY = 'a deleted account can only be restored (it comes back DEACTIVATED) or purged.';

/** Delete from any live status follows the organisation's deletion policy. */
const DELETE_BY_POLICY: Branch = {
  by: 'deletionPolicy',
  soft: go('DELETED'),
  hard: go('PURGED'),
  never: 'this organisation never deletes accounts; deactivate it instead, which keeps the history.',
};

// ---------------------------------------------------------------------------------------------
// The transition table: TABLE[from][event]
// ---------------------------------------------------------------------------------------------

const TABLE: { readonly [S in AccountStatus]: { readonly [E in LifecycleEvent]: Cell } } = {
  STAGED: {
    'send-invite': go('INVITED'),
    'resend-invite': 'no invitation has gone out yet; send the invitation instead.',
    'sign-in-success': NOT_INVITED_YET,
    'sign-in-failure': NOT_INVITED_YET,
    'password-set': NO_PASSWORD_BEFORE_INVITE,
    lock: NEVER_SIGNED_IN_NO_LOCK,
    'lock-until': NEVER_SIGNED_IN_NO_LOCK,
    'lock-expiry': NO_LOCK_TO_EXPIRE,
    unlock: 'it is not locked; send the invitation to let them in.',
    deactivate: go('DEACTIVATED'),
    reactivate: 'it is not deactivated; send the invitation instead.',
    'reset-password': NO_PASSWORD_BEFORE_INVITE,
    'temporary-password': NO_PASSWORD_BEFORE_INVITE,
    'reset-mfa': go('SAME'),
    inactivity: ACTIVE_ONLY_SWEEP,
    delete: DELETE_BY_POLICY,
    restore: NOT_DELETED_RESTORE,
    purge: NOT_DELETED_PURGE,
  },
  INVITED: {
    'send-invite': 'the invitation is already out; resend it instead.',
    'resend-invite': go('SAME'),
    'sign-in-success': go('ACTIVE', 'reset'), // first sign-in
    'sign-in-failure': 'it has no password yet, so there is nothing to count; resend the invitation if they cannot get in.',
    'password-set': go('ACTIVE', 'reset'), // the invitee sets their first password
    lock: NEVER_SIGNED_IN_NO_LOCK,
    'lock-until': NEVER_SIGNED_IN_NO_LOCK,
    'lock-expiry': NO_LOCK_TO_EXPIRE,
    unlock: 'it is not locked; resend the invitation if they cannot get in.',
    deactivate: go('DEACTIVATED'),
    reactivate: 'it is not deactivated; resend the invitation if they lost it.',
    'reset-password': NO_PASSWORD_YET,
    'temporary-password': NO_PASSWORD_YET,
    'reset-mfa': go('SAME'),
    inactivity: ACTIVE_ONLY_SWEEP,
    delete: DELETE_BY_POLICY,
    restore: NOT_DELETED_RESTORE,
    purge: NOT_DELETED_PURGE,
  },
  ACTIVE: {
    'send-invite': ALREADY_JOINED,
    'resend-invite': 'it has already accepted its invitation; reset the password instead if they cannot sign in.',
    'sign-in-success': go('ACTIVE', 'reset'),
    'sign-in-failure': go('LOCKED_OUT_AT_THRESHOLD', 'count'),
    'password-set': go('ACTIVE', 'reset'), // an ordinary password change
    lock: go('SUSPENDED'),
    'lock-until': go('SUSPENDED'),
    'lock-expiry': NO_LOCK_TO_EXPIRE,
    unlock: NOT_LOCKED,
    deactivate: go('DEACTIVATED'),
    reactivate: NOT_DEACTIVATED,
    'reset-password': go('RECOVERY', 'reset'),
    'temporary-password': go('PASSWORD_EXPIRED', 'reset'),
    'reset-mfa': go('SAME'),
    inactivity: go('SUSPENDED'),
    delete: DELETE_BY_POLICY,
    restore: NOT_DELETED_RESTORE,
    purge: NOT_DELETED_PURGE,
  },
  RECOVERY: {
    'send-invite': ALREADY_JOINED,
    'resend-invite': 'it has already accepted its invitation; send a new reset link instead.',
    'sign-in-success': {
      by: 'authSource',
      local: 'they must set a new password from the reset link first.',
      sso: go('ACTIVE', 'reset'), // a password reset does not apply to SSO: signing in clears it
    },
    'sign-in-failure': go('LOCKED_OUT_AT_THRESHOLD', 'count'),
    'password-set': go('ACTIVE', 'reset'),
    lock: go('SUSPENDED'),
    'lock-until': go('SUSPENDED'),
    'lock-expiry': NO_LOCK_TO_EXPIRE,
    unlock: 'it is not locked; they sign in by setting a new password from the reset link (send a new link if it is lost).',
    deactivate: go('DEACTIVATED'),
    reactivate: 'it is not deactivated; they sign in by setting a new password from the reset link.',
    'reset-password': go('RECOVERY', 'reset'), // a new link
    'temporary-password': go('PASSWORD_EXPIRED', 'reset'),
    'reset-mfa': go('SAME'),
    inactivity: ACTIVE_ONLY_SWEEP,
    delete: DELETE_BY_POLICY,
    restore: NOT_DELETED_RESTORE,
    purge: NOT_DELETED_PURGE,
  },
  PASSWORD_EXPIRED: {
    'send-invite': ALREADY_JOINED,
    'resend-invite': 'it has already accepted its invitation; issue a new temporary password or reset link instead.',
    'sign-in-success': {
      by: 'authSource',
      local: 'they must replace the temporary password with one of their own first.',
      sso: go('ACTIVE', 'reset'),
    },
    'sign-in-failure': go('LOCKED_OUT_AT_THRESHOLD', 'count'),
    'password-set': go('ACTIVE', 'reset'),
    lock: go('SUSPENDED'),
    'lock-until': go('SUSPENDED'),
    'lock-expiry': NO_LOCK_TO_EXPIRE,
    unlock: 'it is not locked; they sign in with the temporary password and set their own.',
    deactivate: go('DEACTIVATED'),
    reactivate: 'it is not deactivated; they sign in with the temporary password and set their own.',
    'reset-password': go('RECOVERY', 'reset'),
    'temporary-password': go('PASSWORD_EXPIRED', 'reset'),
    'reset-mfa': go('SAME'),
    inactivity: ACTIVE_ONLY_SWEEP,
    delete: DELETE_BY_POLICY,
    restore: NOT_DELETED_RESTORE,
    purge: NOT_DELETED_PURGE,
  },
  LOCKED_OUT: {
    'send-invite': ALREADY_JOINED,
    'resend-invite': 'it has already accepted its invitation; unlock it instead.',
    'sign-in-success': LOCKED_OUT_HINT,
    'sign-in-failure': 'it is already locked out after too many wrong passwords; unlock it or issue a temporary password.',
    'password-set': 'it cannot sign in to set a password; unlock it, send a reset link or issue a temporary password.',
    lock: go('SUSPENDED'), // an admin lock takes over
    'lock-until': go('SUSPENDED'),
    'lock-expiry': 'it is locked out by wrong passwords, not suspended, so no lock expires; unlock it instead.',
    unlock: go('ACTIVE', 'reset'),
    deactivate: go('DEACTIVATED'),
    reactivate: 'it is locked out, not deactivated; unlock it instead.',
    'reset-password': go('RECOVERY', 'reset'), // the reset link also ends the lockout
    'temporary-password': go('PASSWORD_EXPIRED', 'reset'), // a locked-out account given a new password
    'reset-mfa': go('SAME'),
    inactivity: ACTIVE_ONLY_SWEEP,
    delete: DELETE_BY_POLICY,
    restore: NOT_DELETED_RESTORE,
    purge: NOT_DELETED_PURGE,
  },
  SUSPENDED: {
    'send-invite': ALREADY_JOINED,
    'resend-invite': 'it has already accepted its invitation; unlock it instead.',
    'sign-in-success': SUSPENDED_NO_SIGN_IN,
    'sign-in-failure': SUSPENDED_NO_SIGN_IN,
    'password-set': 'a suspended account cannot set a password; unlock it first.',
    lock: go('SUSPENDED'), // the new lock replaces the old one (indefinite, or a new end date)
    'lock-until': go('SUSPENDED'),
    'lock-expiry': go('ACTIVE', 'reset'),
    unlock: go('ACTIVE', 'reset'),
    deactivate: go('DEACTIVATED'),
    reactivate: 'it is suspended, not deactivated; unlock it instead.',
    'reset-password': SUSPENDED_NO_RESET,
    'temporary-password': SUSPENDED_NO_RESET,
    'reset-mfa': go('SAME'),
    inactivity: ACTIVE_ONLY_SWEEP,
    delete: DELETE_BY_POLICY,
    restore: NOT_DELETED_RESTORE,
    purge: NOT_DELETED_PURGE,
  },
  DEACTIVATED: {
    'send-invite': DEACTIVATED_NO_INVITE,
    'resend-invite': DEACTIVATED_NO_INVITE,
    'sign-in-success': DEACTIVATED_NO_SIGN_IN,
    'sign-in-failure': DEACTIVATED_NO_SIGN_IN,
    'password-set': 'a deactivated account cannot set a password; reactivate it first.',
    lock: 'it already cannot sign in, so there is nothing to lock.',
    'lock-until': 'it already cannot sign in, so there is nothing to lock.',
    'lock-expiry': NO_LOCK_TO_EXPIRE,
    unlock: 'it is deactivated, not locked; reactivate it instead.',
    deactivate: 'it is already deactivated, so there is nothing to do.',
    // Deactivating and reactivating is no way around the password rules: a locked-out account comes back LOCKED_OUT
    // (for an unlock, a reset link or a temporary password, as before), one with a temporary password PASSWORD_EXPIRED.
    reactivate: {
      by: 'password',
      neverSignedIn: go('INVITED', 'reset'),
      lockedOut: go('LOCKED_OUT'),
      temporary: go('PASSWORD_EXPIRED', 'reset'),
      usable: go('ACTIVE', 'reset'),
    },
    'reset-password': DEACTIVATED_NO_RESET,
    'temporary-password': DEACTIVATED_NO_RESET,
    'reset-mfa': go('SAME'),
    inactivity: ACTIVE_ONLY_SWEEP,
    delete: {
      by: 'deletionPolicy',
      soft: go('DELETED'),
      hard: go('PURGED'),
      never: 'that already keeps the history, and this organisation never deletes accounts.',
    },
    restore: NOT_DELETED_RESTORE,
    purge: NOT_DELETED_PURGE,
  },
  DELETED: {
    'send-invite': DELETED_ONLY,
    'resend-invite': DELETED_ONLY,
    'sign-in-success': DELETED_ONLY,
    'sign-in-failure': DELETED_ONLY,
    'password-set': DELETED_ONLY,
    lock: DELETED_ONLY,
    'lock-until': DELETED_ONLY,
    'lock-expiry': DELETED_ONLY,
    unlock: DELETED_ONLY,
    deactivate: DELETED_ONLY,
    reactivate: 'restore it first (it comes back DEACTIVATED), then reactivate it.',
    'reset-password': DELETED_ONLY,
    'temporary-password': DELETED_ONLY,
    'reset-mfa': DELETED_ONLY,
    inactivity: DELETED_ONLY,
    delete: 'it is already deleted; purge it to remove it for good, or restore it.',
    restore: {
      by: 'deletionPolicy',
      soft: go('DEACTIVATED'), // an admin reactivates afterwards: no surprise access
      never: go('DEACTIVATED'), // deleted before the policy changed: bringing it back keeps the history
      hard: 'this organisation deletes accounts for good (hard policy), so it cannot be restored; switch the policy to soft first if it must come back.',
    },
    purge: {
      by: 'deletionPolicy',
      soft: go('PURGED'),
      hard: go('PURGED'),
      never: 'this organisation never deletes accounts, so it is not purged; restore it instead, which keeps the history.',
    },
  },
};

/**
 * Events that never apply to an account signing in through SSO, whatever its status: passwords
 * live in the identity provider. Checked before TABLE.
 */
const SSO_REFUSALS: { readonly [E in LifecycleEvent]?: Refusal } = {
  'sign-in-failure': 'it signs in through SSO, so wrong passwords are counted by the identity provider, not by Roster.',
  'password-set': 'it signs in through SSO, so its password is set in the identity provider.',
  'reset-password': 'it signs in through SSO, so reset the password in the identity provider.',
  'temporary-password': 'it signs in through SSO, so set a temporary password in the identity provider.',
};

const SIGN_IN_STATUSES: ReadonlySet<AccountStatus> = new Set<AccountStatus>(['ACTIVE', 'RECOVERY', 'PASSWORD_EXPIRED']);

// What each status means beyond its own name; the card shows the name, then this, so nothing is said twice.
const EXPLANATIONS: { readonly [S in AccountStatus]: string | null } = {
  STAGED: 'created, not invited yet',
  INVITED: 'has not signed in yet',
  ACTIVE: null,
  RECOVERY: 'password reset pending',
  PASSWORD_EXPIRED: 'must set a new password at next sign-in',
  LOCKED_OUT: 'too many wrong passwords',
  SUSPENDED: 'locked', // by an admin, or by the inactivity sweep, whose reason says so
  DEACTIVATED: 'cannot sign in, history kept',
  DELETED: 'can be restored until it is purged',
};

// ---------------------------------------------------------------------------------------------
// Public functions
// ---------------------------------------------------------------------------------------------

/**
 * Applies one lifecycle event. Throws `RefusedError(..., 'invalid-state')` with a sentence naming the
 * subject, its status and what to do instead when the event does not apply.
 */
export function transition(from: AccountStatus, event: LifecycleEvent, ctx: TransitionContext): TransitionResult {
  const row = Object.hasOwn(TABLE, from) ? TABLE[from] : undefined;
  if (row === undefined || !Object.hasOwn(row, event)) {
    throw new TypeError(`Unknown account status or lifecycle event: ${String(from)} / ${String(event)}`);
  }
  const ssoRefusal = ctx.authSource === 'sso' ? SSO_REFUSALS[event] : undefined;
  if (ssoRefusal !== undefined) throw refusal(from, ssoRefusal, ctx);

  const outcome = pick(row[event], ctx);
  if (typeof outcome === 'string') throw refusal(from, outcome, ctx);
  return apply(from, outcome, ctx);
}

/** Only ACTIVE, RECOVERY and PASSWORD_EXPIRED may sign in (the last two only to finish their reset). */
export function canSignIn(status: AccountStatus): boolean {
  return SIGN_IN_STATUSES.has(status);
}

/** What the status means beyond its name, e.g. 'too many wrong passwords' for LOCKED_OUT; null when the name says it all. */
export function explainStatus(status: AccountStatus): string | null {
  return EXPLANATIONS[status];
}

/**
 * The events that `transition` would not refuse, in LIFECYCLE_EVENTS order (used to build menus). It reads the same
 * table without throwing: a card asks this for every event, and a thrown refusal per event costs a stack trace each.
 */
export function allowedEvents(from: AccountStatus, ctx: TransitionContext): LifecycleEvent[] {
  const row = TABLE[from];
  return LIFECYCLE_EVENTS.filter((event) => !(ctx.authSource === 'sso' && SSO_REFUSALS[event] !== undefined) && typeof pick(row[event], ctx) !== 'string');
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function pick(cell: Cell, ctx: TransitionContext): Outcome {
  if (typeof cell === 'string' || !('by' in cell)) return cell;
  switch (cell.by) {
    case 'authSource':
      return cell[ctx.authSource];
    case 'deletionPolicy':
      return cell[ctx.deletionPolicy];
    case 'hasSignedIn':
      return ctx.hasSignedIn ? cell.yes : cell.no;
    case 'password': {
      const local = ctx.authSource === 'local';
      if (local && ctx.passwordTemporary) return cell.temporary;
      if (!ctx.hasSignedIn) return cell.neverSignedIn;
      return local && ctx.failedSignIns >= ctx.lockoutThreshold ? cell.lockedOut : cell.usable;
    }
  }
}

function apply(from: AccountStatus, move: Move, ctx: TransitionContext): TransitionResult {
  const failedSignIns = move.failures === 'reset' ? 0 : move.failures === 'count' ? ctx.failedSignIns + 1 : ctx.failedSignIns;
  switch (move.to) {
    case 'SAME':
      return { to: from, failedSignIns };
    case 'LOCKED_OUT_AT_THRESHOLD': {
      const threshold = ctx.lockoutThreshold;
      if (!Number.isInteger(threshold) || threshold < 1) {
        throw new RangeError(`The lockout threshold must be a whole number of at least 1, not ${threshold}.`);
      }
      return { to: failedSignIns >= threshold ? 'LOCKED_OUT' : from, failedSignIns };
    }
    default:
      return { to: move.to, failedSignIns };
  }
}

function refusal(from: AccountStatus, rest: Refusal, ctx: TransitionContext): RefusedError {
  const subject = ctx.subject?.trim() || 'The account';
  return new RefusedError(`${subject} is ${from}; ${rest}`, 'invalid-state');
}
