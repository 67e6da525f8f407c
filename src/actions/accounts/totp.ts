import { generateSecret, generateURI, verify } from 'otplib';
import type { IAccount } from '../../db/entities/index.ts';

// What otplib's generateSecret makes (20 bytes, 32 base32 characters), with room for other apps' longer secrets.
const BASE32_SECRET = /^[A-Z2-7]{16,128}$/;

// One 30-second step either way: a phone's clock a little off, or a code typed just as it changed.
const CLOCK_TOLERANCE_SECONDS = 30;

/** A new TOTP secret (160 bits, base32), as authenticator apps expect it. */
export function newTotpSecret(): string {
  return generateSecret();
}

export function isTotpSecret(secret: string): boolean {
  return BASE32_SECRET.test(secret);
}

/** The otpauth:// URI an authenticator app reads from a QR code: the organisation as issuer, the email as label. */
export function totpUri(account: IAccount, secret: string): string {
  return generateURI({ issuer: account.organisation.name, label: account.email, secret });
}

/** Whether `code` (six digits, spaces allowed) is the secret's code now, within one step either way. */
export async function totpCodeMatches(secret: string, code: string): Promise<boolean> {
  const { valid } = await verify({ secret, token: code.replace(/\s+/g, ''), epochTolerance: CLOCK_TOLERANCE_SECONDS });
  return valid;
}
