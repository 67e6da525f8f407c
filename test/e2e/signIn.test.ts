import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction, type LockoutEvent } from '../../src/actions/action.ts';
import { apiActorsFromDatabase } from '../../src/actions/access/apiTokens.ts';
import { revokeApiToken } from '../../src/actions/access/revokeApiToken.ts';
import { signIn } from '../../src/actions/accounts/signIn.ts';
import { systemActor } from '../../src/actions/actor.ts';
import { Account, ApiToken, Organisation } from '../../src/db/entities/index.ts';
import type { AccountStatus } from '../../src/domain/statuses.ts';
import { blocksText } from '../support/slackReplies.ts';
import { apiTokenFor, enrolTotp, givePassword, signInOver } from '../support/signIn.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

const PASSWORD = 'correct horse battery staple 42';
const HELPDESK = 'U0SIGNHELP1';

let t: TestRoster;
let token: string;

beforeAll(async () => {
  // Rate limits high enough that these tests meet the lockout first; signInLimits.test.ts checks the limits.
  t = await startTestRoster({ ROSTER_SIGN_IN_PER_IP_PER_MINUTE: '100000', ROSTER_SIGN_IN_PER_LOGIN_PER_MINUTE: '10000' });
  token = (await apiTokenFor(t, 'default')).raw;
  await t.given.grant(HELPDESK, 'helpdesk');
});
afterAll(() => t?.stop());

async function accountWithPassword(status: AccountStatus = 'ACTIVE', organisationSlug = 'default') {
  const account = await t.given.account({ status, organisationSlug });
  await givePassword(t, account.id, PASSWORD);
  return account;
}

describe('the sign-in API answers every status', () => {
  it('signs an ACTIVE account in by email or username, and records the sign-in', async () => {
    const account = await accountWithPassword();
    const before = new Date();

    const byEmail = await signInOver(t, token, { login: account.email.toUpperCase(), password: PASSWORD });
    const byUsername = await signInOver(t, token, { login: account.username, password: PASSWORD });

    expect(byEmail).toMatchObject({ status: 200, body: { status: 'ok', accountId: account.id, accountStatus: 'ACTIVE' } });
    expect(byUsername.body).toMatchObject({ status: 'ok', accountId: account.id });
    expect((await t.read.account(account.id)).lastSignInAt!.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(await t.given.audit({ targetId: account.id, action: 'sign-in', outcome: 'done' })).toHaveLength(2);
  });

  it('makes an INVITED account ACTIVE at its first sign-in', async () => {
    const account = await accountWithPassword('INVITED');
    const answer = await signInOver(t, token, { login: account.email, password: PASSWORD });
    expect(answer.body).toMatchObject({ status: 'ok', accountStatus: 'ACTIVE' });
    expect(await t.read.account(account.id)).toMatchObject({ status: 'ACTIVE', failedSignIns: 0 });
    const [event] = await t.given.audit({ targetId: account.id, action: 'sign-in' });
    expect(event!.changes).toMatchObject({ status: { before: 'INVITED', after: 'ACTIVE' } });
  });

  it.each([
    ['SUSPENDED', 403, 'suspended'],
    ['DEACTIVATED', 403, 'deactivated'],
    ['PASSWORD_EXPIRED', 403, 'password-must-change'],
    ['RECOVERY', 403, 'password-must-change'],
  ] as const)('a %s account with the right password is answered %i %s, and stays as it was', async (status, code, answer) => {
    const account = await accountWithPassword(status);
    const reply = await signInOver(t, token, { login: account.email, password: PASSWORD });
    expect(reply).toMatchObject({ status: code, body: { status: answer, accountId: account.id, accountStatus: status } });
    expect(reply.body.message).toMatch(/\w.*\./);
    expect((await t.read.account(account.id)).status).toBe(status);
  });

  it('tells the platform to send the person to enrolment where the organisation requires MFA', async () => {
    const em = t.roster.orm.em.fork();
    em.create(Organisation, { slug: 'mfa-org', name: 'MFA required', mfaRequired: true });
    await em.flush();
    const account = await accountWithPassword('ACTIVE', 'mfa-org');
    const reply = await signInOver(t, (await apiTokenFor(t, 'mfa-org')).raw, { login: account.email, password: PASSWORD });
    expect(reply).toMatchObject({ status: 200, body: { status: 'ok', accountId: account.id, mustEnrolMfa: true } });
  });

  it('a body that is not a sign-in is answered 400 with a sentence', async () => {
    const notJson = await signInOver(t, token, '{"login":');
    const noPassword = await signInOver(t, token, { login: 'someone@example.test' });
    expect(notJson).toMatchObject({ status: 400, body: { status: 'bad-request' } });
    expect(noPassword).toMatchObject({ status: 400, body: { status: 'bad-request', message: expect.stringContaining('password') } });
  });
});

describe('wrong credentials', () => {
  it('an unknown login and a wrong password get the same status code and body', async () => {
    const account = await accountWithPassword();
    const unknown = await signInOver(t, token, { login: 'nobody.at.all@example.test', password: PASSWORD });
    const wrong = await signInOver(t, token, { login: account.email, password: 'not the password' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(unknown.status);
    expect(wrong.body).toEqual(unknown.body);
    expect(unknown.body).toEqual({ status: 'wrong-credentials', message: 'The login or password is wrong.' });
  });

  it('take the same time: medians over 50 tries each differ by less than a tenth', async () => {
    await t.given.organisation('timing', { lockoutThreshold: 100 });
    const timingToken = (await apiTokenFor(t, 'timing')).raw;
    const account = await accountWithPassword('ACTIVE', 'timing');
    const unknown: number[] = [];
    const wrong: number[] = [];
    await signInOver(t, timingToken, { login: 'warm.up@example.test', password: 'x' });
    // Interleaved, so load from other work on the machine falls on both alike.
    for (let i = 0; i < 50; i++) {
      unknown.push((await signInOver(t, timingToken, { login: `nobody${i}@example.test`, password: `guess ${i}` })).ms);
      wrong.push((await signInOver(t, timingToken, { login: account.email, password: `guess ${i}` })).ms);
    }
    const [medianUnknown, medianWrong] = [median(unknown), median(wrong)];
    expect(Math.abs(medianUnknown - medianWrong), `unknown ${medianUnknown.toFixed(1)} ms, wrong ${medianWrong.toFixed(1)} ms`).toBeLessThan(
      Math.max(medianUnknown, medianWrong) / 10,
    );
    expect((await t.read.account(account.id)).failedSignIns).toBe(50);
  }, 180_000);

  it('an account of another organisation answers exactly like an unknown login, and counts nothing', async () => {
    await t.given.organisation('other-org');
    const elsewhere = await accountWithPassword('ACTIVE', 'other-org');
    const reply = await signInOver(t, token, { login: elsewhere.email, password: PASSWORD });
    const unknown = await signInOver(t, token, { login: 'nobody.else@example.test', password: PASSWORD });
    expect(reply.status).toBe(unknown.status);
    expect(reply.body).toEqual(unknown.body);
    expect(reply.body.status).toBe('wrong-credentials');
    expect((await t.read.account(elsewhere.id)).failedSignIns).toBe(0);
    // Its own organisation's token signs it in.
    const own = (await apiTokenFor(t, 'other-org')).raw;
    expect((await signInOver(t, own, { login: elsewhere.email, password: PASSWORD })).body).toMatchObject({ status: 'ok', accountId: elsewhere.id });
  });
});

describe('lockout at the organisation threshold', () => {
  it('records the address the platform says the person signed in from, and refuses one that is not an address', async () => {
    const account = await accountWithPassword();
    for (let i = 1; i <= 10; i++) await signInOver(t, token, { login: account.email, password: `wrong ${i}`, ip: i < 10 ? '198.51.100.4' : '2001:db8::7' });
    const [lockout] = await t.given.audit({ targetId: account.id, action: 'lockout' });
    expect(lockout!.reason).toBe('10 failed sign-ins in a row, the last from 2001:db8::7');
    const refused = await t.given.audit({ targetId: account.id, action: 'sign-in', outcome: 'refused' });
    expect(refused.map((event) => event.reason)).toContain('from 198.51.100.4');

    const other = await accountWithPassword();
    const before = await t.read.account(other.id);
    const wrong = await signInOver(t, token, { login: other.email, password: PASSWORD, ip: 'the moon' });
    expect(wrong).toMatchObject({ status: 400, body: { status: 'bad-request', message: 'ip: must be an IPv4 or IPv6 address' } });
    expect((await t.read.account(other.id)).lastSignInAt).toEqual(before.lastSignInAt);
  });

  it('nine wrong passwords do not lock, the tenth does, the right one is then refused; /user unlock lets it in again', async () => {
    const account = await accountWithPassword();
    for (let i = 1; i <= 9; i++) {
      expect((await signInOver(t, token, { login: account.email, password: `wrong ${i}` })).body.status).toBe('wrong-credentials');
    }
    expect(await t.read.account(account.id)).toMatchObject({ status: 'ACTIVE', failedSignIns: 9 });

    const tenth = await signInOver(t, token, { login: account.email, password: 'wrong 10' });
    expect(tenth).toMatchObject({ status: 403, body: { status: 'locked-out', accountId: account.id, accountStatus: 'LOCKED_OUT' } });
    expect(await t.read.account(account.id)).toMatchObject({ status: 'LOCKED_OUT', failedSignIns: 10 });
    const lockouts = await t.given.audit({ targetId: account.id, action: 'lockout' });
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatchObject({ actorType: 'api', changes: { status: { before: 'ACTIVE', after: 'LOCKED_OUT' } } });
    // The request came over IPv6 from 127.0.0.1 (`::ffff:127.0.0.1`): said as the IPv4 address it is.
    expect(lockouts[0]!.reason).toBe('10 failed sign-ins in a row, the last from 127.0.0.1');

    expect((await signInOver(t, token, { login: account.email, password: PASSWORD })).body.status).toBe('locked-out');

    const unlocked = blocksText(await t.slash(`unlock ${account.email}`, HELPDESK));
    expect(unlocked).toContain('is unlocked');
    expect((await signInOver(t, token, { login: account.email, password: PASSWORD })).body).toMatchObject({ status: 'ok', accountStatus: 'ACTIVE' });
  });

  it('a right password resets the count', async () => {
    const account = await accountWithPassword();
    for (let i = 0; i < 5; i++) await signInOver(t, token, { login: account.email, password: `wrong ${i}` });
    expect((await t.read.account(account.id)).failedSignIns).toBe(5);
    expect((await signInOver(t, token, { login: account.email, password: PASSWORD })).body.status).toBe('ok');
    expect((await t.read.account(account.id)).failedSignIns).toBe(0);
  });

  it('ten wrong passwords at once lock the account exactly once, none lost', async () => {
    const account = await accountWithPassword();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => signInOver(t, token, { login: account.email, password: `racing ${i}` })));
    const statuses = answers.map((a) => a.body.status).sort();
    expect(statuses).toEqual([...Array(9).fill('wrong-credentials'), 'locked-out'].sort());
    expect(await t.read.account(account.id)).toMatchObject({ status: 'LOCKED_OUT', failedSignIns: 10 });
    expect(await t.given.audit({ targetId: account.id, action: 'lockout' })).toHaveLength(1);
  });

  it('hands the lockout to the alerts port once, after the commit, with the attempts and the IP', async () => {
    const account = await accountWithPassword();
    const events: LockoutEvent[] = [];
    const services = {
      orm: t.roster.orm,
      logger: t.logger,
      alerts: { lockedOut: async (event: LockoutEvent) => void events.push(event), unlocked: async () => {} },
    };
    const tokenActor = (await apiActorsFromDatabase(t.roster.orm.em).actorForToken(token))!;
    for (let i = 0; i < 11; i++) await runAction(services, signIn, tokenActor, { login: account.email, password: `wrong ${i}`, ip: '203.0.113.9' });
    expect(events).toEqual([{ accountId: account.id, organisationId: expect.any(String), attempts: 10, ip: '203.0.113.9', at: expect.any(Date) }]);
  });
});

describe('TOTP', () => {
  it('is required once enrolled, refused when wrong or replayed, and not after reset-mfa', async () => {
    const account = await accountWithPassword();
    const secret = await enrolTotp(t, account.id);

    expect(await signInOver(t, token, { login: account.email, password: PASSWORD })).toMatchObject({ status: 401, body: { status: 'mfa-required' } });
    const code = await generate({ secret });
    const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect((await signInOver(t, token, { login: account.email, password: PASSWORD, totp: wrongCode })).body.status).toBe('mfa-wrong');
    expect((await signInOver(t, token, { login: account.email, password: PASSWORD, totp: code })).body).toMatchObject({ status: 'ok' });
    expect((await signInOver(t, token, { login: account.email, password: PASSWORD, totp: code })).body.status).toBe('mfa-wrong');
    expect((await t.read.account(account.id)).failedSignIns).toBe(1);

    expect(blocksText(await t.slash(`reset-mfa ${account.email}`, HELPDESK))).toContain('two-step verification is removed');
    const reset = await t.roster.orm.em.fork().findOneOrFail(Account, account.id, { populate: ['totpSecret'] });
    expect(reset).toMatchObject({ mfaEnrolled: false, totpSecret: null });
    expect((await signInOver(t, token, { login: account.email, password: PASSWORD })).body).toMatchObject({ status: 'ok', accountId: account.id });
  });
});

describe('tokens', () => {
  it('no token, a malformed one, an unknown one and a revoked one are answered 401 with JSON', async () => {
    const account = await accountWithPassword();
    const revoked = await apiTokenFor(t, 'default');
    expect((await signInOver(t, revoked.raw, { login: account.email, password: PASSWORD })).body.status).toBe('ok');
    await runAction({ orm: t.roster.orm, logger: t.logger }, revokeApiToken, systemActor('test'), { tokenId: revoked.id });

    const unknown = `roster_${'A'.repeat(12)}.${'b'.repeat(43)}`;
    for (const bearer of [null, 'not-a-token', unknown, revoked.raw]) {
      const reply = await signInOver(t, bearer, { login: account.email, password: PASSWORD });
      expect(reply.status, String(bearer)).toBe(401);
      expect(reply.headers.get('www-authenticate')).toBe('Bearer');
      expect(reply.body).toMatchObject({ status: 'invalid-token' });
    }
    expect((await signInOver(t, token, { login: account.email, password: PASSWORD })).body.status).toBe('ok');
  });

  it('a token without the sign-in scope is refused 403 with a sentence, and signs nobody in', async () => {
    const account = await accountWithPassword();
    const { raw, id } = await apiTokenFor(t, 'default');
    await t.roster.orm.em.fork().nativeUpdate(ApiToken, { id }, { scopes: [] });
    const before = await t.read.account(account.id);
    const reply = await signInOver(t, raw, { login: account.email, password: PASSWORD });
    expect(reply).toMatchObject({ status: 403, body: { status: 'forbidden', message: 'Only an API token with the sign-in scope can sign accounts in.' } });
    expect(await t.read.account(account.id)).toMatchObject({ lastSignInAt: before.lastSignInAt, version: before.version });
  });
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
