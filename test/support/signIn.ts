import { generateSecret } from 'otplib';
import { runAction } from '../../src/actions/action.ts';
import { systemActor } from '../../src/actions/actor.ts';
import { createApiToken } from '../../src/actions/access/createApiToken.ts';
import { hashPassword } from '../../src/actions/accounts/credentials.ts';
import { Account } from '../../src/db/entities/index.ts';
import type { ApiScope } from '../../src/domain/apiTokens.ts';
import type { TestRoster } from './testRoster.ts';

export interface SignInAnswer {
  status: number;
  body: any;
  headers: Headers;
  ms: number;
}

/** POSTs to the sign-in API as the organisation's platform would; `token` null sends no Authorization header. */
export async function signInOver(t: TestRoster, token: string | null, body: unknown, headers: Record<string, string> = {}): Promise<SignInAnswer> {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${t.roster.port}/api/v1/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers, ms: performance.now() - started };
}

/** A token of the organisation (sign-in unless other scopes are named), made by the same action as `roster token create`. */
export async function apiTokenFor(t: TestRoster, organisationSlug: string, scopes: ApiScope[] = ['sign-in']): Promise<{ raw: string; id: string }> {
  const created = await runAction({ orm: t.roster.orm, logger: t.logger }, createApiToken, systemActor('test'), {
    organisation: organisationSlug,
    name: 'test',
    scopes,
  });
  return { raw: created.secret.value, id: created.tokenId };
}

/** Gives the account a password, as the set-password page does. */
export async function givePassword(t: TestRoster, accountId: string, password: string): Promise<void> {
  const em = t.roster.orm.em.fork();
  const account = await em.findOneOrFail(Account, accountId);
  account.passwordHash = await hashPassword(password);
  await em.flush();
}

/** Enrols the account in TOTP, as the enrolment page does; returns the secret its authenticator app would hold. */
export async function enrolTotp(t: TestRoster, accountId: string): Promise<string> {
  const secret = generateSecret();
  const em = t.roster.orm.em.fork();
  const account = await em.findOneOrFail(Account, accountId);
  account.totpSecret = secret;
  account.mfaEnrolled = true;
  await em.flush();
  return secret;
}
