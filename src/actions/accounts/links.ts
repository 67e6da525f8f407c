import { checkToken } from '../../db/accountTokens.ts';
import type { IAccount } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';
import type { TokenPurpose } from '../../domain/tokens.ts';
import type { ActionContext } from '../action.ts';
import { accountTarget } from '../auditTargets.ts';

/** A raw token as a link or a form carries it: 43 characters of base64url, with room for what a mail client adds. */
export const LINK_TOKEN_MAX_LENGTH = 200;

/**
 * The account whose open token this is, once the grant is checked against its organisation, without using the token
 * up. A token that does not open (unknown, used, replaced, expired) is refused with the sentence saying what to do.
 */
export async function accountOfToken(ctx: ActionContext, rawToken: string, purpose: TokenPurpose): Promise<IAccount> {
  const opened = await checkToken(ctx.em, rawToken, purpose);
  // A link that no longer works is still filed under its account, so its history shows the attempt.
  if (!opened.ok && opened.account) ctx.aboutTarget(accountTarget(opened.account));
  if (!opened.ok) throw new RefusedError(opened.message, opened.reason === 'unknown' ? 'not-found' : 'invalid-state');
  ctx.aboutTarget(accountTarget(opened.account));
  ctx.authorize(opened.account.organisation.id);
  return opened.account;
}

/** What the pages say about the account they serve: enough to greet its owner, nothing an admin alone should see. */
export interface LinkAccountFacts {
  firstName: string;
  email: string;
  username: string;
  organisationName: string;
}

export function linkAccountFacts(account: IAccount): LinkAccountFacts {
  return { firstName: account.firstName, email: account.email, username: account.username, organisationName: account.organisation.name };
}
