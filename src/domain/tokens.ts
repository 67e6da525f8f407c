import type { AccountStatus } from './statuses.ts';

/**
 * Single-use tokens held by an account's owner. Pure: no I/O, no clock.
 * Each mail template carries exactly one link of the same purpose; an `mfa-enrolment` token is never mailed: the page
 * that has just set a password hands it to the browser, for the two-step verification step that follows.
 */
export const MAIL_TEMPLATES = ['invitation', 'password-reset'] as const;
export type MailTemplate = (typeof MAIL_TEMPLATES)[number];

export const TOKEN_PURPOSES = [...MAIL_TEMPLATES, 'mfa-enrolment'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** Why a link no longer opens; 'unknown' also covers a token of another purpose, so a link's purpose cannot be probed. */
export type TokenRefusal = 'unknown' | 'expired' | 'used' | 'replaced';

/**
 * A queued mail is still wanted only while the account waits for it: an invitation while it is INVITED, a reset link
 * while it is in RECOVERY. Otherwise (deactivated meanwhile, a temporary password issued instead...) it is not sent.
 */
export const STATUS_AWAITING_MAIL: { readonly [T in MailTemplate]: AccountStatus } = {
  invitation: 'INVITED',
  'password-reset': 'RECOVERY',
};

export interface StoredToken {
  expiresAt: Date;
  usedAt?: Date | null;
  replacedAt?: Date | null;
}

/** Why a stored token does not open its link at `now`, or undefined when it does. A used token says so before anything else. */
export function tokenRefusal(token: StoredToken, now: Date): Exclude<TokenRefusal, 'unknown'> | undefined {
  if (token.usedAt) return 'used';
  if (token.replacedAt) return 'replaced';
  if (token.expiresAt.getTime() <= now.getTime()) return 'expired';
  return undefined;
}

const LINK_NAMES: { readonly [P in MailTemplate]: string } = {
  invitation: 'invitation link',
  'password-reset': 'password reset link',
};

/** The sentence a set-password page shows for a refused link (or a refused enrolment step), saying what to do next. */
export function describeTokenRefusal(reason: TokenRefusal, purpose: TokenPurpose): string {
  if (purpose === 'mfa-enrolment') {
    // The password is already set when this step is refused: the next sign-in asks for the enrolment again.
    return reason === 'unknown'
      ? 'This two-step verification page is not valid; sign in with your new password and you will be asked to set it up.'
      : 'This two-step verification page has expired or was already used; sign in with your new password and you will be asked to set it up.';
  }
  const link = LINK_NAMES[purpose];
  switch (reason) {
    case 'unknown':
      return `This ${link} is not valid; check that the whole link was copied, or ask your helpdesk for a new one.`;
    case 'expired':
      return `This ${link} has expired; ask your helpdesk for a new one.`;
    case 'used':
      return `This ${link} has already been used; each link works once, so ask your helpdesk for a new one if you still need it.`;
    case 'replaced':
      return `A newer ${link} was sent since; use the link in the latest mail, or ask your helpdesk for a new one.`;
  }
}
