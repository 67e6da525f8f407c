import { describe, it, expect } from 'vitest';
import { RefusedError } from '../../src/domain/errors.ts';
import {
  ACCOUNT_STATUSES,
  DELETION_POLICIES,
  LIFECYCLE_EVENTS,
  allowedEvents,
  canSignIn,
  explainStatus,
  transition,
  type AccountStatus,
  type AuthSource,
  type LifecycleEvent,
  type TransitionContext,
  type TransitionResult,
} from '../../src/domain/statuses.ts';

const AUTH_SOURCES: readonly AuthSource[] = ['local', 'sso'];

/** The default context: soft deletion, local password (its owner's own), has signed in, no failures, threshold 10. */
const base: TransitionContext = {
  deletionPolicy: 'soft',
  authSource: 'local',
  hasSignedIn: true,
  failedSignIns: 0,
  lockoutThreshold: 10,
  passwordTemporary: false,
};

function ctx(overrides: Partial<TransitionContext> = {}): TransitionContext {
  return { ...base, ...overrides };
}

type Expected = AccountStatus | 'PURGED' | 'refused';

function outcome(from: AccountStatus, event: LifecycleEvent, context: TransitionContext): Expected {
  try {
    return transition(from, event, context).to;
  } catch (error) {
    if (error instanceof RefusedError) return 'refused';
    throw error;
  }
}

function refusalOf(from: AccountStatus, event: LifecycleEvent, context: TransitionContext): RefusedError {
  try {
    const result = transition(from, event, context);
    throw new Error(`expected ${from} + ${event} to be refused, got ${JSON.stringify(result)}`);
  } catch (error) {
    if (error instanceof RefusedError) return error;
    throw error;
  }
}

function* everyContext(subject?: string): Generator<TransitionContext> {
  for (const deletionPolicy of DELETION_POLICIES) {
    for (const authSource of AUTH_SOURCES) {
      for (const hasSignedIn of [true, false]) {
        for (const failedSignIns of [0, 9]) {
          for (const passwordTemporary of [false, true])
            yield { deletionPolicy, authSource, hasSignedIn, failedSignIns, lockoutThreshold: 10, passwordTemporary, ...(subject ? { subject } : {}) };
        }
      }
    }
  }
}

const R = 'refused' as const;

/** Every (status, event) pair under the default context, written out: changing a rule must change this table. */
const EXPECTED: { readonly [S in AccountStatus]: { readonly [E in LifecycleEvent]: Expected } } = {
  STAGED: {
    'send-invite': 'INVITED',
    'resend-invite': R,
    'sign-in-success': R,
    'sign-in-failure': R,
    'password-set': R,
    lock: R,
    'lock-until': R,
    'lock-expiry': R,
    unlock: R,
    deactivate: 'DEACTIVATED',
    reactivate: R,
    'reset-password': R,
    'temporary-password': R,
    'reset-mfa': 'STAGED',
    inactivity: R,
    delete: 'DELETED',
    restore: R,
    purge: R,
  },
  INVITED: {
    'send-invite': R,
    'resend-invite': 'INVITED',
    'sign-in-success': 'ACTIVE',
    'sign-in-failure': R,
    'password-set': 'ACTIVE',
    lock: R,
    'lock-until': R,
    'lock-expiry': R,
    unlock: R,
    deactivate: 'DEACTIVATED',
    reactivate: R,
    'reset-password': R,
    'temporary-password': R,
    'reset-mfa': 'INVITED',
    inactivity: R,
    delete: 'DELETED',
    restore: R,
    purge: R,
  },
  ACTIVE: {
    'send-invite': R,
    'resend-invite': R,
    'sign-in-success': 'ACTIVE',
    'sign-in-failure': 'ACTIVE',
    'password-set': 'ACTIVE',
    lock: 'SUSPENDED',
    'lock-until': 'SUSPENDED',
    'lock-expiry': R,
    unlock: R,
    deactivate: 'DEACTIVATED',
    reactivate: R,
    'reset-password': 'RECOVERY',
    'temporary-password': 'PASSWORD_EXPIRED',
    'reset-mfa': 'ACTIVE',
    inactivity: 'SUSPENDED',
    delete: 'DELETED',
    restore: R,
    purge: R,
  },
  RECOVERY: {
    'send-invite': R,
    'resend-invite': R,
    'sign-in-success': R,
    'sign-in-failure': 'RECOVERY',
    'password-set': 'ACTIVE',
    lock: 'SUSPENDED',
    'lock-until': 'SUSPENDED',
    'lock-expiry': R,
    unlock: R,
    deactivate: 'DEACTIVATED',
    reactivate: R,
    'reset-password': 'RECOVERY',
    'temporary-password': 'PASSWORD_EXPIRED',
    'reset-mfa': 'RECOVERY',
    inactivity: R,
    delete: 'DELETED',
    restore: R,
    purge: R,
  },
  PASSWORD_EXPIRED: {
    'send-invite': R,
    'resend-invite': R,
    'sign-in-success': R,
    'sign-in-failure': 'PASSWORD_EXPIRED',
    'password-set': 'ACTIVE',
    lock: 'SUSPENDED',
    'lock-until': 'SUSPENDED',
    'lock-expiry': R,
    unlock: R,
    deactivate: 'DEACTIVATED',
    reactivate: R,
    'reset-password': 'RECOVERY',
    'temporary-password': 'PASSWORD_EXPIRED',
    'reset-mfa': 'PASSWORD_EXPIRED',
    inactivity: R,
    delete: 'DELETED',
    restore: R,
    purge: R,
  },
  LOCKED_OUT: {
    'send-invite': R,
    'resend-invite': R,
    'sign-in-success': R,
    'sign-in-failure': R,
    'password-set': R,
    lock: 'SUSPENDED',
    'lock-until': 'SUSPENDED',
    'lock-expiry': R,
    unlock: 'ACTIVE',
    deactivate: 'DEACTIVATED',
    reactivate: R,
    'reset-password': 'RECOVERY',
    'temporary-password': 'PASSWORD_EXPIRED',
    'reset-mfa': 'LOCKED_OUT',
    inactivity: R,
    delete: 'DELETED',
    restore: R,
    purge: R,
  },
  SUSPENDED: {
    'send-invite': R,
    'resend-invite': R,
    'sign-in-success': R,
    'sign-in-failure': R,
    'password-set': R,
    lock: 'SUSPENDED',
    'lock-until': 'SUSPENDED',
    'lock-expiry': 'ACTIVE',
    unlock: 'ACTIVE',
    deactivate: 'DEACTIVATED',
    reactivate: R,
    'reset-password': R,
    'temporary-password': R,
    'reset-mfa': 'SUSPENDED',
    inactivity: R,
    delete: 'DELETED',
    restore: R,
    purge: R,
  },
  DEACTIVATED: {
    'send-invite': R,
    'resend-invite': R,
    'sign-in-success': R,
    'sign-in-failure': R,
    'password-set': R,
    lock: R,
    'lock-until': R,
    'lock-expiry': R,
    unlock: R,
    deactivate: R,
    reactivate: 'ACTIVE',
    'reset-password': R,
    'temporary-password': R,
    'reset-mfa': 'DEACTIVATED',
    inactivity: R,
    delete: 'DELETED',
    restore: R,
    purge: R,
  },
  DELETED: {
    'send-invite': R,
    'resend-invite': R,
    'sign-in-success': R,
    'sign-in-failure': R,
    'password-set': R,
    lock: R,
    'lock-until': R,
    'lock-expiry': R,
    unlock: R,
    deactivate: R,
    reactivate: R,
    'reset-password': R,
    'temporary-password': R,
    'reset-mfa': R,
    inactivity: R,
    delete: R,
    restore: 'DEACTIVATED',
    purge: 'PURGED',
  },
};

describe('transition: every combination', () => {
  it('moves to a defined status or refuses with a sentence naming the subject and status', () => {
    let checked = 0;
    for (const from of ACCOUNT_STATUSES) {
      for (const event of LIFECYCLE_EVENTS) {
        for (const context of everyContext('Alice Smith')) {
          checked++;
          let result: TransitionResult;
          try {
            result = transition(from, event, context);
          } catch (error) {
            expect(error, `${from} + ${event}`).toBeInstanceOf(RefusedError);
            const refused = error as RefusedError;
            expect(refused.code).toBe('invalid-state');
            expect(refused.userMessage).toBe(refused.message);
            expect(refused.message.startsWith(`Alice Smith is ${from}; `), refused.message).toBe(true);
            expect(refused.message.endsWith('.')).toBe(true);
            expect(refused.message.toLowerCase()).not.toContain('invalid transition');
            continue;
          }
          expect([...ACCOUNT_STATUSES, 'PURGED'], `${from} + ${event}`).toContain(result.to);
          expect(Number.isInteger(result.failedSignIns) && result.failedSignIns >= 0).toBe(true);
        }
      }
    }
    expect(checked).toBe(ACCOUNT_STATUSES.length * LIFECYCLE_EVENTS.length * 3 * 2 * 2 * 2 * 2);
  });

  it('names "The account" when no subject is given', () => {
    expect(refusalOf('DEACTIVATED', 'unlock', base).message).toBe('The account is DEACTIVATED; it is deactivated, not locked; reactivate it instead.');
    expect(refusalOf('ACTIVE', 'restore', ctx({ subject: '   ' })).message.startsWith('The account is ACTIVE; ')).toBe(true);
  });

  it('refuses with the subject, the status and what to do instead', () => {
    expect(refusalOf('DEACTIVATED', 'sign-in-success', ctx({ subject: 'Alice Smith' })).message).toBe(
      'Alice Smith is DEACTIVATED; a deactivated account cannot sign in; reactivate it first.',
    );
  });
});

describe('transition: expected outcome of every (status, event) pair in the default context', () => {
  for (const from of ACCOUNT_STATUSES) {
    it(from, () => {
      const actual = Object.fromEntries(LIFECYCLE_EVENTS.map((event) => [event, outcome(from, event, base)]));
      expect(actual).toEqual(EXPECTED[from]);
    });
  }
});

describe('sign-in and lockout counting', () => {
  it('only ACTIVE, RECOVERY and PASSWORD_EXPIRED can sign in', () => {
    expect(ACCOUNT_STATUSES.filter(canSignIn)).toEqual(['ACTIVE', 'RECOVERY', 'PASSWORD_EXPIRED']);
  });

  it('counts failures and locks out exactly at the threshold', () => {
    let status: AccountStatus = 'ACTIVE';
    let failedSignIns = 0;
    for (let attempt = 1; attempt <= 9; attempt++) {
      ({ to: status, failedSignIns } = transition(status, 'sign-in-failure', ctx({ failedSignIns })) as {
        to: AccountStatus;
        failedSignIns: number;
      });
      expect(status).toBe('ACTIVE');
      expect(failedSignIns).toBe(attempt);
    }
    expect(transition(status, 'sign-in-failure', ctx({ failedSignIns }))).toEqual({ to: 'LOCKED_OUT', failedSignIns: 10 });
  });

  it('uses the organisation threshold', () => {
    expect(transition('ACTIVE', 'sign-in-failure', ctx({ lockoutThreshold: 3, failedSignIns: 1 }))).toEqual({ to: 'ACTIVE', failedSignIns: 2 });
    expect(transition('ACTIVE', 'sign-in-failure', ctx({ lockoutThreshold: 3, failedSignIns: 2 }))).toEqual({ to: 'LOCKED_OUT', failedSignIns: 3 });
    expect(transition('ACTIVE', 'sign-in-failure', ctx({ lockoutThreshold: 1 }))).toEqual({ to: 'LOCKED_OUT', failedSignIns: 1 });
    // A count already past a lowered threshold locks at the next failure.
    expect(transition('ACTIVE', 'sign-in-failure', ctx({ lockoutThreshold: 3, failedSignIns: 7 }))).toEqual({ to: 'LOCKED_OUT', failedSignIns: 8 });
  });

  it('locks out from RECOVERY and PASSWORD_EXPIRED too', () => {
    expect(transition('RECOVERY', 'sign-in-failure', ctx({ failedSignIns: 8 }))).toEqual({ to: 'RECOVERY', failedSignIns: 9 });
    expect(transition('RECOVERY', 'sign-in-failure', ctx({ failedSignIns: 9 }))).toEqual({ to: 'LOCKED_OUT', failedSignIns: 10 });
    expect(transition('PASSWORD_EXPIRED', 'sign-in-failure', ctx({ failedSignIns: 9 }))).toEqual({ to: 'LOCKED_OUT', failedSignIns: 10 });
  });

  it('rejects a threshold that is not a whole number of at least 1', () => {
    for (const lockoutThreshold of [0, -1, 2.5, Number.NaN]) {
      expect(() => transition('ACTIVE', 'sign-in-failure', ctx({ lockoutThreshold }))).toThrow(RangeError);
    }
  });

  it('resets the count on success, password set, unlock, reset link and temporary password', () => {
    expect(transition('ACTIVE', 'sign-in-success', ctx({ failedSignIns: 7 }))).toEqual({ to: 'ACTIVE', failedSignIns: 0 });
    expect(transition('RECOVERY', 'password-set', ctx({ failedSignIns: 7 }))).toEqual({ to: 'ACTIVE', failedSignIns: 0 });
    expect(transition('LOCKED_OUT', 'unlock', ctx({ failedSignIns: 10 }))).toEqual({ to: 'ACTIVE', failedSignIns: 0 });
    expect(transition('LOCKED_OUT', 'reset-password', ctx({ failedSignIns: 10 }))).toEqual({ to: 'RECOVERY', failedSignIns: 0 });
    expect(transition('LOCKED_OUT', 'temporary-password', ctx({ failedSignIns: 10 }))).toEqual({ to: 'PASSWORD_EXPIRED', failedSignIns: 0 });
    expect(transition('SUSPENDED', 'lock-expiry', ctx({ failedSignIns: 4 }))).toEqual({ to: 'ACTIVE', failedSignIns: 0 });
  });

  it('keeps the count on events that do not touch credentials', () => {
    expect(transition('ACTIVE', 'reset-mfa', ctx({ failedSignIns: 4 }))).toEqual({ to: 'ACTIVE', failedSignIns: 4 });
    expect(transition('ACTIVE', 'lock', ctx({ failedSignIns: 4 }))).toEqual({ to: 'SUSPENDED', failedSignIns: 4 });
  });

  it('refuses sign-in events from statuses that cannot sign in, saying why', () => {
    expect(refusalOf('LOCKED_OUT', 'sign-in-success', base).message).toContain('unlock it or issue a temporary password');
    expect(refusalOf('SUSPENDED', 'sign-in-failure', base).message).toContain('unlock it first');
    expect(refusalOf('STAGED', 'sign-in-success', base).message).toContain('send the invitation first');
    expect(refusalOf('RECOVERY', 'sign-in-success', base).message).toContain('set a new password');
    expect(refusalOf('PASSWORD_EXPIRED', 'sign-in-success', base).message).toContain('temporary password');
    for (const from of ACCOUNT_STATUSES.filter((s) => !canSignIn(s))) {
      expect(outcome(from, 'sign-in-failure', base), from).toBe('refused');
    }
  });
});

describe('SSO accounts', () => {
  const sso = ctx({ authSource: 'sso', subject: 'Bob Jones' });

  it('refuses every password event for every status, pointing to the identity provider', () => {
    for (const from of ACCOUNT_STATUSES) {
      for (const event of ['reset-password', 'temporary-password', 'password-set', 'sign-in-failure'] as const) {
        const message = refusalOf(from, event, sso).message;
        expect(message).toMatch(new RegExp(`^Bob Jones is ${from}; it signs in through SSO`));
        expect(message).toContain('identity provider');
      }
    }
    expect(refusalOf('ACTIVE', 'reset-password', sso).message).toBe(
      'Bob Jones is ACTIVE; it signs in through SSO, so reset the password in the identity provider.',
    );
  });

  it('lets a successful SSO sign-in clear a pending reset, which does not apply to SSO', () => {
    expect(transition('RECOVERY', 'sign-in-success', sso)).toEqual({ to: 'ACTIVE', failedSignIns: 0 });
    expect(transition('PASSWORD_EXPIRED', 'sign-in-success', sso)).toEqual({ to: 'ACTIVE', failedSignIns: 0 });
    expect(transition('INVITED', 'sign-in-success', sso)).toEqual({ to: 'ACTIVE', failedSignIns: 0 });
  });

  it('leaves everything else as for local accounts', () => {
    const passwordEvents: readonly LifecycleEvent[] = ['reset-password', 'temporary-password', 'password-set', 'sign-in-failure', 'sign-in-success'];
    for (const from of ACCOUNT_STATUSES) {
      for (const event of LIFECYCLE_EVENTS.filter((e) => !passwordEvents.includes(e))) {
        expect(outcome(from, event, sso), `${from} + ${event}`).toBe(EXPECTED[from][event]);
      }
    }
  });
});

describe('reactivate', () => {
  it('returns to ACTIVE when the account has signed in before', () => {
    expect(transition('DEACTIVATED', 'reactivate', ctx({ hasSignedIn: true, failedSignIns: 3 }))).toEqual({ to: 'ACTIVE', failedSignIns: 0 });
  });

  it('returns to INVITED when the account never signed in', () => {
    expect(transition('DEACTIVATED', 'reactivate', ctx({ hasSignedIn: false }))).toEqual({ to: 'INVITED', failedSignIns: 0 });
  });

  it('returns a locked-out account that was deactivated to LOCKED_OUT, its wrong passwords still counted: deactivation lifts no lockout', () => {
    const lockedOut = transition('LOCKED_OUT', 'deactivate', ctx({ failedSignIns: 10 }));
    expect(lockedOut).toEqual({ to: 'DEACTIVATED', failedSignIns: 10 });
    expect(transition('DEACTIVATED', 'reactivate', ctx({ failedSignIns: lockedOut.failedSignIns }))).toEqual({ to: 'LOCKED_OUT', failedSignIns: 10 });
    // Under a threshold raised meanwhile, those failures would not lock it out: it comes back ACTIVE.
    expect(transition('DEACTIVATED', 'reactivate', ctx({ failedSignIns: 10, lockoutThreshold: 20 }))).toEqual({ to: 'ACTIVE', failedSignIns: 0 });
    expect(transition('DEACTIVATED', 'reactivate', ctx({ failedSignIns: 10, hasSignedIn: false }))).toEqual({ to: 'INVITED', failedSignIns: 0 });
    // Nothing counts an SSO account's wrong passwords, so nothing of them keeps it out.
    expect(transition('DEACTIVATED', 'reactivate', ctx({ failedSignIns: 10, authSource: 'sso' }))).toEqual({ to: 'ACTIVE', failedSignIns: 0 });
  });

  it('returns an account deactivated with a temporary password to PASSWORD_EXPIRED: its owner still has to replace it', () => {
    const expired = transition('PASSWORD_EXPIRED', 'deactivate', ctx({ passwordTemporary: true }));
    expect(expired.to).toBe('DEACTIVATED');
    expect(transition('DEACTIVATED', 'reactivate', ctx({ passwordTemporary: true }))).toEqual({ to: 'PASSWORD_EXPIRED', failedSignIns: 0 });
    // A temporary password issued before the first sign-in is still the one to replace.
    expect(transition('DEACTIVATED', 'reactivate', ctx({ passwordTemporary: true, hasSignedIn: false }))).toEqual({ to: 'PASSWORD_EXPIRED', failedSignIns: 0 });
    expect(transition('DEACTIVATED', 'reactivate', ctx({ passwordTemporary: true, authSource: 'sso' }))).toEqual({ to: 'ACTIVE', failedSignIns: 0 });
  });

  it('is refused from every other status, pointing to the right action', () => {
    for (const from of ACCOUNT_STATUSES.filter((s) => s !== 'DEACTIVATED')) {
      for (const hasSignedIn of [true, false]) {
        expect(outcome(from, 'reactivate', ctx({ hasSignedIn })), from).toBe('refused');
      }
    }
    expect(refusalOf('LOCKED_OUT', 'reactivate', base).message).toContain('unlock it instead');
    expect(refusalOf('SUSPENDED', 'reactivate', base).message).toContain('unlock it instead');
    expect(refusalOf('DELETED', 'reactivate', base).message).toContain('restore it first');
  });

  it('does not depend on sign-in history anywhere else', () => {
    for (const from of ACCOUNT_STATUSES) {
      for (const event of LIFECYCLE_EVENTS.filter((e) => e !== 'reactivate')) {
        expect(outcome(from, event, ctx({ hasSignedIn: false })), `${from} + ${event}`).toBe(EXPECTED[from][event]);
      }
    }
  });
});

describe('deletion policies', () => {
  const live = ACCOUNT_STATUSES.filter((s) => s !== 'DELETED');

  it('soft: delete moves to DELETED, restore brings it back DEACTIVATED, purge removes it', () => {
    const soft = ctx({ deletionPolicy: 'soft' });
    for (const from of live) expect(outcome(from, 'delete', soft), from).toBe('DELETED');
    expect(transition('DELETED', 'restore', soft).to).toBe('DEACTIVATED');
    expect(transition('DELETED', 'purge', soft).to).toBe('PURGED');
  });

  it('hard: delete purges at once and a left-over deleted account cannot be restored', () => {
    const hard = ctx({ deletionPolicy: 'hard', subject: 'Carol' });
    for (const from of live) expect(outcome(from, 'delete', hard), from).toBe('PURGED');
    expect(refusalOf('DELETED', 'restore', hard).message).toContain('hard policy');
    expect(transition('DELETED', 'purge', hard).to).toBe('PURGED');
  });

  it('never: delete is refused with advice to deactivate, and nothing is purged', () => {
    const never = ctx({ deletionPolicy: 'never', subject: 'Dan' });
    for (const from of live.filter((s) => s !== 'DEACTIVATED')) {
      expect(refusalOf(from, 'delete', never).message).toBe(
        `Dan is ${from}; this organisation never deletes accounts; deactivate it instead, which keeps the history.`,
      );
    }
    expect(refusalOf('DEACTIVATED', 'delete', never).message).toBe(
      'Dan is DEACTIVATED; that already keeps the history, and this organisation never deletes accounts.',
    );
    expect(refusalOf('DELETED', 'purge', never).message).toContain('restore it instead');
    expect(transition('DELETED', 'restore', never).to).toBe('DEACTIVATED');
  });

  it('never deletes a DELETED account again, and restore and purge apply to DELETED only', () => {
    for (const deletionPolicy of DELETION_POLICIES) {
      const policy = ctx({ deletionPolicy });
      expect(refusalOf('DELETED', 'delete', policy).message).toContain('already deleted');
      for (const from of live) {
        expect(outcome(from, 'restore', policy), from).toBe('refused');
        expect(outcome(from, 'purge', policy), from).toBe('refused');
      }
    }
  });

  it('lets nothing else apply to DELETED', () => {
    for (const context of everyContext()) {
      expect(allowedEvents('DELETED', context).every((e) => e === 'restore' || e === 'purge')).toBe(true);
    }
  });

  it('does not depend on the policy anywhere else', () => {
    const policyEvents: readonly LifecycleEvent[] = ['delete', 'restore', 'purge'];
    for (const deletionPolicy of DELETION_POLICIES) {
      for (const from of ACCOUNT_STATUSES) {
        for (const event of LIFECYCLE_EVENTS.filter((e) => !policyEvents.includes(e))) {
          expect(outcome(from, event, ctx({ deletionPolicy })), `${from} + ${event}`).toBe(EXPECTED[from][event]);
        }
      }
    }
  });
});

describe('allowedEvents', () => {
  it('lists exactly the events transition does not refuse, in LIFECYCLE_EVENTS order', () => {
    for (const from of ACCOUNT_STATUSES) {
      for (const context of everyContext()) {
        const expected = LIFECYCLE_EVENTS.filter((event) => outcome(from, event, context) !== 'refused');
        expect(allowedEvents(from, context), `${from} ${JSON.stringify(context)}`).toEqual(expected);
      }
    }
  });

  it('matches the default-context table', () => {
    for (const from of ACCOUNT_STATUSES) {
      const fromTable = LIFECYCLE_EVENTS.filter((event) => EXPECTED[from][event] !== 'refused');
      expect(allowedEvents(from, base), from).toEqual(fromTable);
    }
  });

  it('lets reset MFA through for every status except DELETED', () => {
    for (const from of ACCOUNT_STATUSES) {
      expect(allowedEvents(from, base).includes('reset-mfa'), from).toBe(from !== 'DELETED');
    }
  });
});

describe('explainStatus', () => {
  it('explains every status but ACTIVE in a few words that do not repeat its name', () => {
    const explained = ACCOUNT_STATUSES.filter((status) => status !== 'ACTIVE');
    const explanations = explained.map(explainStatus);
    expect(new Set(explanations).size).toBe(explained.length);
    for (const [i, explanation] of explanations.entries()) {
      expect(explanation?.length).toBeGreaterThan(0);
      expect(explanation!.length).toBeLessThanOrEqual(60);
      expect(explanation!.toLowerCase()).not.toContain(explained[i]!.toLowerCase().replace('_', ' '));
    }
    expect(explainStatus('LOCKED_OUT')).toBe('too many wrong passwords');
    expect(explainStatus('ACTIVE')).toBeNull();
  });
});
