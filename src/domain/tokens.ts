import type { AccountStatus } from './statuses.ts';

/**
 * Single-use links mailed to an account's owner. Pure: no I/O, no clock.
 * Each mail template carries exactly one link of the same purpose.
 */
export const TOKEN_PURPOSES = ['invitation', 'password-reset'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

export const MAIL_TEMPLATES = TOKEN_PURPOSES;
export type MailTemplate = TokenPurpose;

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

const LINK_NAMES: { readonly [P in TokenPurpose]: string } = {
  invitation: 'invitation link',
  'password-reset': 'password reset link',
};

/** The sentence a sign-in page shows for a refused link. */
export function describeTokenRefusal(reason: TokenRefusal, purpose: TokenPurpose): string {
  const link = LINK_NAMES[purpose];
  switch (reason) {
    case 'unknown':
      return `This ${link} is not valid; check that the whole link was copied, or ask for a new one.`;
    case 'expired':
      return `This ${link} has expired; ask your helpdesk for a new one.`;
    case 'used':
      return `This ${link} has already been used; each link works once.`;
    case 'replaced':
      return `A newer ${link} was sent since; use the link in the latest mail.`;
  }
}
