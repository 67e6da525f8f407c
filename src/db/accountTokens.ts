import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Account, AccountToken, type IAccount } from './entities/index.ts';
import { describeTokenRefusal, tokenRefusal, type TokenPurpose, type TokenRefusal } from '../domain/tokens.ts';

/**
 * A raw token is 32 random bytes (256 bits), so a plain SHA-256 is enough to store it: there is nothing to guess,
 * unlike a password, which needs a slow hash (argon2).
 */
export function hashToken(rawToken: string): string {
  return createHash('sha256').update(rawToken, 'utf8').digest('hex');
}

export interface IssuedToken {
  id: string;
  /** The only copy of the token; it goes into the mail and nowhere else. */
  raw: string;
  expiresAt: Date;
}

/**
 * Issues a new token for the account and purpose, storing only its hash; every older token of that purpose still
 * open is marked replaced, so the link of an earlier mail stops working. Run it inside a transaction.
 */
export async function issueAccountToken(em: EntityManager, accountId: string, purpose: TokenPurpose, expiresAt: Date, now = new Date()): Promise<IssuedToken> {
  await em.nativeUpdate(AccountToken, { account: accountId, purpose, usedAt: null, replacedAt: null }, { replacedAt: now });
  const raw = randomBytes(32).toString('base64url');
  const token = em.create(AccountToken, { account: em.getReference(Account, accountId), purpose, hash: hashToken(raw), expiresAt, createdAt: now });
  await em.flush();
  return { id: token.id, raw, expiresAt };
}

/** A refused token that Roster issued (used, replaced, expired) still names its account, for the audit trail. */
export type Redemption = { ok: true; account: IAccount } | { ok: false; reason: TokenRefusal; message: string; account?: IAccount };

/**
 * Whether the token would open its link now, without using it up: a page shows its form with this, and only the
 * change that succeeds redeems the token, so a refused password leaves the link working.
 */
export async function checkToken(em: EntityManager, rawToken: string, purpose: TokenPurpose, now = new Date()): Promise<Redemption> {
  const token = await em.findOne(AccountToken, { hash: hashToken(rawToken), purpose }, { populate: ['account', 'account.organisation'], refresh: true });
  if (!token) return { ok: false, reason: 'unknown', message: describeTokenRefusal('unknown', purpose) };
  const reason = tokenRefusal(token, now);
  if (!reason) return { ok: true, account: token.account };
  return { ok: false, reason, message: describeTokenRefusal(reason, purpose), account: token.account };
}

/**
 * Opens a link once: the token must be known, of this purpose, unused, not replaced and not expired; it is then marked
 * used in the same statement, so two clicks racing each other cannot both succeed.
 */
export async function redeemToken(em: EntityManager, rawToken: string, purpose: TokenPurpose, now = new Date()): Promise<Redemption> {
  const hash = hashToken(rawToken);
  if (await claimToken(em, rawToken, purpose, now)) {
    const token = await em.findOneOrFail(AccountToken, { hash }, { populate: ['account', 'account.organisation'], refresh: true });
    return { ok: true, account: token.account };
  }
  const token = await em.findOne(AccountToken, { hash, purpose }, { refresh: true });
  const reason: TokenRefusal = (token && tokenRefusal(token, now)) || 'unknown';
  return { ok: false, reason, message: describeTokenRefusal(reason, purpose) };
}

/**
 * Marks the token used if it still opens its link, in one statement, so two submissions racing each other cannot both
 * succeed; false when it no longer does. Inside a transaction, a rollback gives the token back.
 */
export async function claimToken(em: EntityManager, rawToken: string, purpose: TokenPurpose, now = new Date()): Promise<boolean> {
  const claimed = await em.nativeUpdate(
    AccountToken,
    { hash: hashToken(rawToken), purpose, usedAt: null, replacedAt: null, expiresAt: { $gt: now } },
    { usedAt: now },
  );
  return claimed === 1;
}
