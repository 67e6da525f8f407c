import { z } from 'zod';
import { defineAction } from '../action.ts';
import { requireEnrolmentSecret } from './enrolMfa.ts';
import { accountOfToken, LINK_TOKEN_MAX_LENGTH, linkAccountFacts, type LinkAccountFacts } from './links.ts';
import { totpUri } from './totp.ts';

/**
 * The enrolment step shown again (after a wrong code): whose account it is and the QR code's URI for the same secret.
 * It reads only: the step stays open until a code is confirmed.
 */
export const openMfaEnrolment = defineAction({
  name: 'open-mfa-enrolment',
  describedAs: 'opening the two-step verification step',
  requires: 'owner',
  readOnly: true,
  input: z.object({ ticket: z.string().trim().min(1).max(LINK_TOKEN_MAX_LENGTH), secret: z.string().max(200) }),
  async run(ctx, { ticket, secret }): Promise<LinkAccountFacts & { uri: string }> {
    const account = await accountOfToken(ctx, ticket, 'mfa-enrolment');
    requireEnrolmentSecret(account, secret);
    return { ...linkAccountFacts(account), uri: totpUri(account, secret) };
  },
});
