import { randomInt } from 'node:crypto';
import argon2 from 'argon2';
import type { IAccount } from '../../db/entities/index.ts';
import type { ActionContext } from '../action.ts';
import { snapshot } from './account.ts';
import { changedFields } from '../audit.ts';
import { accountTarget } from '../auditTargets.ts';

// No look-alikes (0/O, 1/l/I), so the password survives being read out over the phone.
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const ALPHABET = UPPER + LOWER + DIGITS;

/** Characters in a temporary password: 20 from a 57-character alphabet is about 116 bits. */
export const TEMPORARY_PASSWORD_LENGTH = 20;

/**
 * A strong one-time password, in groups of five for reading out (`Ab3de-fGh4k-...`). It always has an upper-case
 * letter, a lower-case letter and a digit, so it passes the usual composition rules.
 */
export function temporaryPassword(): string {
  for (;;) {
    const chars = Array.from({ length: TEMPORARY_PASSWORD_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]!);
    const password = chars.join('');
    if (/[A-Z]/.test(password) && /[a-z]/.test(password) && /[0-9]/.test(password)) return password.match(/.{5}/g)!.join('-');
  }
}

/** argon2id with the library's defaults (64 MiB, 3 passes): the only form in which a password is stored. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

/**
 * The account's audit event for an action that hands out a credential: the fields that changed, plus what was handed
 * out, by kind only (`credential: { after: 'temporary password' }`); the token or password itself never gets here.
 */
export function auditCredentialChange(
  ctx: ActionContext,
  action: string,
  account: IAccount,
  before: ReturnType<typeof snapshot>,
  credential: string,
  reason?: string,
): void {
  const fields = Object.keys(before) as (keyof typeof before & string)[];
  ctx.audit.record({
    action,
    target: accountTarget(account),
    changes: { ...changedFields(before, snapshot(account), fields), credential: { before: null, after: credential } },
    reason,
  });
}
