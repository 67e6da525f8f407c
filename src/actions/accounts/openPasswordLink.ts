import { z } from 'zod';
import { MAIL_TEMPLATES } from '../../domain/tokens.ts';
import { defineAction } from '../action.ts';
import { requireLifecycle } from './account.ts';
import { accountOfToken, LINK_TOKEN_MAX_LENGTH, linkAccountFacts, type LinkAccountFacts } from './links.ts';

/**
 * What the page behind an invitation or reset link shows before anything is typed: whose account it is, or why the
 * link no longer works. It reads only: the token stays usable until a password is accepted.
 */
export const openPasswordLink = defineAction({
  name: 'open-password-link',
  describedAs: 'opening a set-password link',
  requires: 'owner',
  readOnly: true,
  input: z.object({ token: z.string().trim().min(1).max(LINK_TOKEN_MAX_LENGTH), purpose: z.enum(MAIL_TEMPLATES) }),
  async run(ctx, { token, purpose }): Promise<LinkAccountFacts> {
    const account = await accountOfToken(ctx, token, purpose);
    // A link to an account that can no longer take a password (deactivated since the mail) is refused before any typing.
    requireLifecycle(account, 'password-set');
    return linkAccountFacts(account);
  },
});
