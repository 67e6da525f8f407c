import { randomInt } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountStatus } from '../domain/statuses.ts';
import { notDeleted } from './notDeleted.ts';

export interface StoredCredentials {
  id: string;
  status: AccountStatus;
  passwordHash: string | null;
  totpSecret: string | null;
}

/**
 * The live account of the organisation with this folded email or username, with its password hash and TOTP secret.
 * Read as plain columns, outside the unit of work, so a secret is never part of an entity that a flush could write.
 */
export async function signInCredentials(em: EntityManager, organisationId: string, login: string): Promise<StoredCredentials | undefined> {
  const column = login.includes('@') ? 'email' : 'username';
  const rows = await em.execute<{ id: string; status: AccountStatus; password_hash: string | null; totp_secret: string | null }[]>(
    `select id, status, password_hash, totp_secret from account a where ${column} = ? and organisation_id = ? and ${notDeleted('a')}`,
    [login, organisationId],
  );
  const row = rows[0];
  return row ? { id: row.id, status: row.status, passwordHash: row.password_hash, totpSecret: row.totp_secret } : undefined;
}

/** Rows of `sign_in_decoy` (made by its migration): enough that attempts at once rarely wait for the same one. */
const DECOY_SLOTS = 1024;

/**
 * Where no account's count is to change (an unknown login, an account that takes no count), a wrong-credentials
 * answer still writes a row as a counted wrong password does: one of `sign_in_decoy`'s, taken at random. An update on
 * no row cost a round trip but no write, and the answer stayed 10% faster than a wrong password's (the timing test).
 */
export async function countFailureOnNoAccount(em: EntityManager): Promise<void> {
  await em.execute('update sign_in_decoy set failures = failures + 1 where slot = ?', [randomInt(DECOY_SLOTS)]);
}

/** No account has this id: an unknown login takes the same row lock as a known one, on nothing. */
export const NO_ACCOUNT = '00000000-0000-0000-0000-000000000000';
