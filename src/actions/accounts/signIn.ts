import { isIP } from 'node:net';
import { LockMode } from '@mikro-orm/core';
import { z } from 'zod';
import { Account, Organisation, type IAccount } from '../../db/entities/index.ts';
import { countFailureOnNoAccount, NO_ACCOUNT, signInCredentials } from '../../db/signInCredentials.ts';
import { normaliseLogin } from '../../domain/accounts.ts';
import { RefusedError } from '../../domain/errors.ts';
import { allowedEvents } from '../../domain/statuses.ts';
import { defineAction, type ActionContext } from '../action.ts';
import { accountTarget } from '../auditTargets.ts';
import { applyLifecycle, snapshot } from './account.ts';
import { changedFields } from '../audit.ts';
import { acceptedTotpStep, verifyPassword } from './credentials.ts';

/** What the sign-in API answers; stable words the organisation's platform can branch on. */
export type SignInStatus = 'ok' | 'wrong-credentials' | 'locked-out' | 'suspended' | 'deactivated' | 'password-must-change' | 'mfa-required' | 'mfa-wrong';

export interface SignInResult {
  status: SignInStatus;
  message: string;
  /** Set once the password was right (or the account is locked out), never for wrong credentials. */
  accountId?: string;
  accountStatus?: IAccount['status'];
  /** The organisation requires MFA and the account has not enrolled yet: the platform should send it to enrolment. */
  mustEnrolMfa?: boolean;
}

const MESSAGES: { readonly [S in SignInStatus]: string } = {
  ok: 'Signed in.',
  'wrong-credentials': 'The login or password is wrong.',
  'locked-out': 'The account is locked after too many wrong passwords; the helpdesk can unlock it.',
  suspended: 'The account is suspended; an administrator can unlock it.',
  deactivated: 'The account is deactivated; an administrator can reactivate it.',
  'password-must-change': 'A new password must be set first, from the reset link or after the temporary password.',
  'mfa-required': 'A code from the authenticator app is needed.',
  'mfa-wrong': 'The authenticator code is wrong or was already used.',
};

const WRONG_CREDENTIALS: SignInResult = { status: 'wrong-credentials', message: MESSAGES['wrong-credentials'] };

function answer(status: SignInStatus, account: IAccount, extra: Partial<SignInResult> = {}): SignInResult {
  return { status, message: MESSAGES[status], accountId: account.id, accountStatus: account.status, ...extra };
}

/**
 * The address the person signs in from: as the platform saw it when it sends one, else the request's own. An IPv4
 * address that arrived over IPv6 (`::ffff:192.0.2.1`) reads as the IPv4 address it is.
 */
const clientAddress = z
  .string()
  .trim()
  .max(64)
  .refine((value) => value === 'unknown' || isIP(value) !== 0, 'must be an IPv4 or IPv6 address')
  .transform((value) => value.replace(/^::ffff:(?=\d{1,3}(\.\d{1,3}){3}$)/i, ''))
  .default('unknown');

/**
 * Checks a login, password and (once enrolled) TOTP code for the organisation's platform, which asks with an API token
 * of that organisation. Wrong passwords and codes count towards the organisation's lockout threshold; the failure that
 * reaches it locks the account out through the status machine and schedules the lockout alert. An unknown login, an
 * account of another organisation and a wrong password get the same answer after the same work.
 */
export const signIn = defineAction({
  name: 'sign-in',
  describedAs: 'signing an account in',
  requires: 'helpdesk',
  input: z.object({
    login: z.string().trim().min(1, 'say which account: an email or username').max(320),
    password: z.string().min(1, 'must not be empty').max(1024),
    totp: z.string().trim().max(16).optional(),
    ip: clientAddress,
  }),
  async run(ctx, { login, password, totp, ip }): Promise<SignInResult> {
    const organisationId = ctx.actor.kind === 'api' && ctx.actor.scopes?.includes('sign-in') ? ctx.actor.grants[0]?.organisationId : undefined;
    if (!organisationId) throw new RefusedError('Only an API token with the sign-in scope can sign accounts in.', 'forbidden');
    ctx.authorize(organisationId);
    const from = `from ${ip}`;

    // An unknown login does the same work as a known one (these reads, a password check, a row lock, a write, an audit row),
    // so neither the answer nor its timing tells them apart.
    await ctx.em.findOneOrFail(Organisation, organisationId);
    const stored = await signInCredentials(ctx.em, organisationId, normaliseLogin(login));
    const passwordRight = await verifyPassword(stored?.status === 'LOCKED_OUT' ? null : stored?.passwordHash, password);
    // The slow check is done; from here the row is locked, so concurrent attempts count one after another.
    const account = await ctx.em.findOne(Account, stored?.id ?? NO_ACCOUNT, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!stored || !account) {
      ctx.audit.recordRefused({
        action: 'sign-in',
        target: { type: 'account', id: null, label: login.slice(0, 320), organisationId },
        reason: from,
        detail: 'unknown login',
      });
      return wrongCredentials(ctx);
    }
    // A locked-out account answers so whatever the password: the person needs the helpdesk, not another guess.
    if (account.status === 'LOCKED_OUT') return refused(ctx, account, 'locked-out', from);
    if (!passwordRight) return countFailure(ctx, account, ip, 'wrong password', WRONG_CREDENTIALS);
    if (account.status === 'SUSPENDED') return refused(ctx, account, 'suspended', from);
    if (account.status === 'DEACTIVATED') return refused(ctx, account, 'deactivated', from);
    if (account.status === 'STAGED' || account.status === 'DELETED') return refusedAsWrong(ctx, account, from);

    if (account.mfaEnrolled && stored.totpSecret) {
      if (!totp) return refused(ctx, account, 'mfa-required', from);
      const step = await acceptedTotpStep(stored.totpSecret, totp, account.totpLastStep);
      if (step === undefined) return countFailure(ctx, account, ip, 'wrong or reused TOTP code', answer('mfa-wrong', account));
      account.totpLastStep = step;
    }
    if (account.status === 'RECOVERY' || account.status === 'PASSWORD_EXPIRED') return refused(ctx, account, 'password-must-change', from);

    const before = snapshot(account);
    applyLifecycle(account, 'sign-in-success', 'signed in');
    account.lastSignInAt = new Date();
    ctx.audit.record({
      action: 'sign-in',
      target: accountTarget(account),
      changes: changedFields(before, snapshot(account), ['status', 'failedSignIns']),
      reason: from,
    });
    return answer('ok', account, account.organisation.mfaRequired && !account.mfaEnrolled ? { mustEnrolMfa: true } : {});
  },
});

function refused(ctx: ActionContext, account: IAccount, status: Exclude<SignInStatus, 'ok'>, from: string): SignInResult {
  ctx.audit.recordRefused({ action: 'sign-in', target: accountTarget(account), reason: from, detail: MESSAGES[status] });
  return answer(status, account);
}

/** A right password on an account that has never been invited: no password should exist, so nothing is said about it. */
function refusedAsWrong(ctx: ActionContext, account: IAccount, from: string): Promise<SignInResult> {
  ctx.audit.recordRefused({ action: 'sign-in', target: accountTarget(account), reason: from, detail: `the account is ${account.status}` });
  return wrongCredentials(ctx);
}

/** Wrong credentials where no count changes, after the same work as a counted wrong password. */
async function wrongCredentials(ctx: ActionContext): Promise<SignInResult> {
  await countFailureOnNoAccount(ctx.em);
  return WRONG_CREDENTIALS;
}

/**
 * Counts a failed attempt on the locked row through the status machine. Statuses that take no count (INVITED, SUSPENDED,
 * DEACTIVATED, SSO accounts) answer as they would have anyway, without counting.
 */
async function countFailure(ctx: ActionContext, account: IAccount, ip: string, what: string, otherwise: SignInResult): Promise<SignInResult> {
  if (!canCount(account)) {
    ctx.audit.recordRefused({ action: 'sign-in', target: accountTarget(account), reason: `from ${ip}`, detail: what });
    return otherwise === WRONG_CREDENTIALS ? wrongCredentials(ctx) : answer(otherwise.status, account);
  }
  const before = snapshot(account);
  applyLifecycle(account, 'sign-in-failure', `${account.failedSignIns + 1} wrong passwords in a row`);
  const changes = changedFields(before, snapshot(account), ['status', 'failedSignIns']);
  ctx.audit.recordRefused({ action: 'sign-in', target: accountTarget(account), changes, reason: `from ${ip}`, detail: what });
  if (account.status !== 'LOCKED_OUT') return otherwise;

  const attempts = account.failedSignIns;
  ctx.audit.record({ action: 'lockout', target: accountTarget(account), changes, reason: `${attempts} failed sign-ins in a row, the last from ${ip}` });
  const event = { accountId: account.id, organisationId: account.organisation.id, attempts, ip, at: new Date() };
  const alerts = ctx.services.alerts;
  if (alerts) ctx.afterCommit(() => alerts.lockedOut(event));
  return answer('locked-out', account);
}

/** Whether the status machine counts a failed sign-in for this account (it refuses for statuses that cannot sign in). */
function canCount(account: IAccount): boolean {
  return allowedEvents(account.status, {
    deletionPolicy: account.organisation.deletionPolicy,
    authSource: account.authSource,
    hasSignedIn: Boolean(account.lastSignInAt),
    failedSignIns: account.failedSignIns,
    lockoutThreshold: account.organisation.lockoutThreshold,
    passwordTemporary: account.passwordTemporary,
  }).includes('sign-in-failure');
}
