import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountStatus } from '../domain/statuses.ts';

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
    `select id, status, password_hash, totp_secret from account where ${column} = ? and organisation_id = ? and status <> 'DELETED'`,
    [login, organisationId],
  );
  const row = rows[0];
  return row ? { id: row.id, status: row.status, passwordHash: row.password_hash, totpSecret: row.totp_secret } : undefined;
}

/**
 * The statement that counts a wrong password, run where no account's count is to change (an unknown login, an account
 * that takes no count): every answer of wrong credentials then waits for the same round trip, so its timing does not
 * tell whether the account exists.
 */
export async function countFailureOnNoAccount(em: EntityManager): Promise<void> {
  await em.execute('update account set failed_sign_ins = failed_sign_ins + 1, version = version + 1 where id = ?', [NO_ACCOUNT]);
}

/** No account has this id: an unknown login takes the same row lock and count as a known one, on nothing. */
export const NO_ACCOUNT = '00000000-0000-0000-0000-000000000000';
