import { z } from 'zod';
import { claimToken, issueAccountToken } from '../../db/accountTokens.ts';
import { AccountToken } from '../../db/entities/index.ts';
import { FieldRefusedError, RefusedError } from '../../domain/errors.ts';
import { passwordProblem } from '../../domain/passwordRules.ts';
import type { AccountStatus } from '../../domain/statuses.ts';
import { describeTokenRefusal, MAIL_TEMPLATES } from '../../domain/tokens.ts';
import { defineAction } from '../action.ts';
import { applyLifecycle, requireLifecycle, snapshot } from './account.ts';
import { auditCredentialChange, hashPassword } from './credentials.ts';
import { accountOfToken, LINK_TOKEN_MAX_LENGTH, linkAccountFacts, type LinkAccountFacts } from './links.ts';
import { newTotpSecret, totpUri } from './totp.ts';

/** How long the two-step verification step may follow the password: long enough to find and set up an app. */
const MFA_ENROLMENT_MINUTES = 15;

/** The enrolment step that follows, when the organisation requires MFA and the account has none yet. */
export interface MfaEnrolment {
  /** Single-use token of the enrolment step, handed to the browser only. */
  ticket: string;
  /** The base32 secret, shown to be scanned or typed; saved only once a code made from it is confirmed. */
  secret: string;
  /** The otpauth:// URI an authenticator app reads from the QR code. */
  uri: string;
}

export interface PasswordSet extends LinkAccountFacts {
  accountId: string;
  status: AccountStatus;
  enrolment?: MfaEnrolment;
}

const REPEAT_DIFFERS = 'The two passwords are not the same; type the same password in both fields.';

/**
 * Sets the password of the account whose invitation or reset link this is, by the rules the page shows. The status
 * machine's password-set event decides the status (INVITED, RECOVERY and PASSWORD_EXPIRED become ACTIVE); the link is
 * used up only when the password is accepted, so a refused one leaves it working. Where the organisation requires
 * MFA and the account has none, it starts the enrolment step with a new secret that is not saved yet.
 */
export const setPassword = defineAction({
  name: 'set-password',
  describedAs: 'setting a password from a mailed link',
  requires: 'owner',
  input: z.object({
    token: z.string().trim().min(1).max(LINK_TOKEN_MAX_LENGTH),
    purpose: z.enum(MAIL_TEMPLATES),
    // Longer than any rule allows, so that the rules, not the schema, say what is wrong.
    password: z.string().max(4096),
    repeat: z.string().max(4096),
  }),
  async run(ctx, { token, purpose, password, repeat }): Promise<PasswordSet> {
    const account = await accountOfToken(ctx, token, purpose);
    requireLifecycle(account, 'password-set');
    const problem = passwordProblem(password, account);
    if (problem) throw new FieldRefusedError(problem, 'invalid-input', 'password');
    if (repeat !== password) throw new FieldRefusedError(REPEAT_DIFFERS, 'invalid-input', 'repeat');

    if (!(await claimToken(ctx.em, token, purpose))) throw new RefusedError(describeTokenRefusal('used', purpose), 'invalid-state');
    const before = snapshot(account);
    applyLifecycle(account, 'password-set', purpose === 'invitation' ? 'password chosen from the invitation' : 'new password chosen from the reset link');
    account.passwordHash = await hashPassword(password);
    account.passwordTemporary = false;
    // The password just chosen supersedes any other link still open for this account.
    await ctx.em.nativeUpdate(
      AccountToken,
      { account: account.id, purpose: { $in: [...MAIL_TEMPLATES] }, usedAt: null, replacedAt: null },
      { replacedAt: new Date() },
    );
    auditCredentialChange(ctx, 'set-password', account, before, purpose === 'invitation' ? 'password from invitation link' : 'password from reset link');

    const result: PasswordSet = { accountId: account.id, status: account.status, ...linkAccountFacts(account) };
    if (!account.organisation.mfaRequired || account.mfaEnrolled) return result;
    const ticket = await issueAccountToken(ctx.em, account.id, 'mfa-enrolment', new Date(Date.now() + MFA_ENROLMENT_MINUTES * 60_000));
    const secret = newTotpSecret();
    return { ...result, enrolment: { ticket: ticket.raw, secret, uri: totpUri(account, secret) } };
  },
});
