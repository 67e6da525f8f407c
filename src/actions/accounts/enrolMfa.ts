import { z } from 'zod';
import { claimToken } from '../../db/accountTokens.ts';
import type { IAccount } from '../../db/entities/index.ts';
import { FieldRefusedError, RefusedError } from '../../domain/errors.ts';
import { canSignIn } from '../../domain/statuses.ts';
import { describeTokenRefusal } from '../../domain/tokens.ts';
import { defineAction } from '../action.ts';
import { auditAccountChange, fullName, snapshot } from './account.ts';
import { accountOfToken, LINK_TOKEN_MAX_LENGTH, linkAccountFacts, type LinkAccountFacts } from './links.ts';
import { isTotpSecret, totpCodeMatches } from './totp.ts';

/**
 * Saves the TOTP secret shown on the enrolment page once a code made from it is confirmed, and marks the account
 * enrolled. A wrong code leaves the step open to try again. The secret never reaches the audit trail or the log.
 */
export const enrolMfa = defineAction({
  name: 'enrol-mfa',
  describedAs: 'setting up two-step verification',
  requires: 'owner',
  input: z.object({ ticket: z.string().trim().min(1).max(LINK_TOKEN_MAX_LENGTH), secret: z.string().max(200), code: z.string().max(50) }),
  async run(ctx, { ticket, secret, code }): Promise<LinkAccountFacts> {
    const account = await accountOfToken(ctx, ticket, 'mfa-enrolment');
    requireEnrolmentSecret(account, secret);
    if (!/^\d{6}$/.test(code.replace(/\s+/g, '')))
      throw new FieldRefusedError('Type the 6 digits your authenticator app shows for this account.', 'invalid-input', 'code');
    if (!(await totpCodeMatches(secret, code)))
      throw new FieldRefusedError(
        'That code does not match; type the code your app shows now (check that the phone’s clock is right).',
        'invalid-input',
        'code',
      );

    if (!(await claimToken(ctx.em, ticket, 'mfa-enrolment'))) throw new RefusedError(describeTokenRefusal('used', 'mfa-enrolment'), 'invalid-state');
    const before = snapshot(account);
    account.totpSecret = secret;
    account.mfaEnrolled = true;
    auditAccountChange(ctx, 'enrol-mfa', account, before);
    return linkAccountFacts(account);
  },
});

/** The enrolment step applies to an account that may sign in, with a secret as this page made it. */
export function requireEnrolmentSecret(account: IAccount, secret: string): void {
  if (!canSignIn(account.status))
    throw new RefusedError(`${fullName(account)} is ${account.status} now, so there is nothing to set up; ask your helpdesk.`, 'invalid-state');
  if (!isTotpSecret(secret))
    throw new RefusedError('This page was changed since it was shown; sign in with your new password to set up two-step verification.', 'invalid-input');
}
