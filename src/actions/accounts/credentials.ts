import { randomBytes, randomInt } from 'node:crypto';
import argon2 from 'argon2';
import { verify as verifyTotp } from 'otplib';
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

/**
 * argon2id at OWASP's recommended cost (19 MiB, 2 passes, one lane): the only form in which a password is stored.
 * The library's default (64 MiB, 3 passes, four lanes) verified about 4 passwords a second on two cores, which would
 * cap the sign-in API there (`npm run bench:signin`). Hashes made at another cost still verify: a hash carries its own.
 */
const PASSWORD_HASH_COST = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, PASSWORD_HASH_COST);
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

let dummyHash: Promise<string> | undefined;

/**
 * Whether `password` matches the stored argon2 hash. With no hash (an unknown login, an account without a password)
 * it verifies against a throwaway hash made the same way, so the answer takes as long as a real check: timing does
 * not tell an unknown login from a wrong password.
 */
export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  dummyHash ??= hashPassword(randomBytes(32).toString('base64url'));
  const against = hash ?? (await dummyHash);
  const matches = await argon2.verify(against, password).catch(() => false);
  return matches && Boolean(hash);
}

/** How far a TOTP code may be from the server's clock: one 30-second step either way, for clock drift and typing. */
const TOTP_TOLERANCE_SECONDS = 30;

/**
 * The time step of a valid TOTP code for `secret`, or undefined. A code at or before `lastStep` (one already accepted)
 * is refused, so an overheard code cannot be replayed.
 */
export async function acceptedTotpStep(secret: string, code: string, lastStep: number | null | undefined): Promise<number | undefined> {
  if (!/^\d{6}$/.test(code)) return undefined;
  const result = await verifyTotp({
    secret,
    token: code,
    epochTolerance: TOTP_TOLERANCE_SECONDS,
    ...(lastStep !== null && lastStep !== undefined ? { afterTimeStep: lastStep } : {}),
  }).catch(() => undefined);
  return result?.valid && 'timeStep' in result ? result.timeStep : undefined;
}
