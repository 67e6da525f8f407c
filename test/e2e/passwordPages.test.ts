// The pages behind the invitation and reset mail links, in a real browser: an account is created with an invitation,
// the mail arrives over SMTP, Chromium opens its link, is told why weak passwords are refused, sets a good one and
// enrols TOTP where the organisation requires MFA; a used or expired link is refused with a sentence.
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import argon2 from 'argon2';
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../../src/actions/action.ts';
import { createAccount } from '../../src/actions/accounts/createAccount.ts';
import { hashToken } from '../../src/db/accountTokens.ts';
import { Account, AccountToken, Organisation } from '../../src/db/entities/index.ts';
import { outboxMailQueue } from '../../jobs/sendMail.ts';
import { launchBrowser } from '../support/browser.ts';
import { startMailbox, type Mailbox, type ReceivedMail } from '../support/mailbox.ts';
import { apiTokenFor, signInOver } from '../support/signIn.ts';
import { blocksText } from '../support/slackReplies.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

const ADMIN = 'U0PAGESADM';
const HELPDESK = 'U0PAGESHLP';
const GOOD_PASSWORD = 'correct horse battery staple';
// On the zxcvbn list of passwords most often found in breaches, and long enough to pass the length rule.
const COMMON_PASSWORD = 'qwerty123456';

let t: TestRoster;
let mailbox: Mailbox;
let browser: Browser;
let publicUrl: string;

/** A port nobody listens on now, so the app and the links in its mails can agree on it before it starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  mailbox = await startMailbox();
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  t = await startTestRoster({ SMTP_URL: mailbox.url, ROSTER_PUBLIC_URL: publicUrl, PORT: String(port) });
  await t.given.grant(ADMIN, 'admin');
  await t.given.grant(HELPDESK, 'helpdesk');
  const em = t.roster.orm.em.fork();
  em.create(Organisation, { slug: 'mfa-org', name: 'Secure Org', mfaRequired: true });
  await em.flush();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await mailbox?.close();
});

const em = () => t.roster.orm.em.fork();

async function invite(firstName: string, lastName: string, organisation?: string) {
  const services = { orm: t.roster.orm, logger: t.logger, mail: outboxMailQueue(t.roster.queues, t.logger) };
  const email = `${firstName}.${lastName}@example.test`.toLowerCase();
  const admin = { kind: 'slack' as const, id: ADMIN, grants: [{ role: 'admin' as const, organisationId: null }] };
  const created = await runAction(services, createAccount, admin, { email, firstName, lastName, organisation });
  return { id: created.accountId, email, username: created.username };
}

function linkIn(mail: ReceivedMail, path: 'invitation' | 'reset-password'): string {
  const link = new RegExp(`${publicUrl.replace(/\./g, '\\.')}/${path}\\?token=[A-Za-z0-9_-]+`).exec(mail.text)?.[0];
  expect(link, `a ${path} link in:\n${mail.text}`).toBeDefined();
  return link!;
}

const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

async function submitPassword(page: Page, password: string, repeat = password) {
  await page.getByLabel('New password').fill(password);
  await page.getByLabel('Type it again').fill(repeat);
  return submit(page, 'Set password');
}

/** Clicks the form's button and waits for the page the server answers with. */
async function submit(page: Page, button: string) {
  const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: button }).click()]);
  await page.waitForLoadState();
  return response;
}

describe('the invitation page in a browser', () => {
  it('shows the rules, refuses weak passwords with the reason while the link keeps working, then sets the password and enrols TOTP', async () => {
    const ann = await invite('Ann', 'Browser', 'mfa-org');
    const link = linkIn(await mailbox.waitFor((m) => m.envelopeTo.includes(ann.email)), 'invitation');
    const token = tokenOf(link);
    const page = await browser.newPage();

    const opened = await page.goto(link);
    expect(opened!.status()).toBe(200);
    const headers = opened!.headers();
    expect(headers['content-security-policy']).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src data:; form-action 'self'; frame-ancestors 'none'/,
    );
    expect(headers['content-security-policy']).not.toContain('script-src');
    expect(headers).toMatchObject({ 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
    expect(await opened!.headerValue('set-cookie')).toMatch(/^roster_csrf=[^;]+; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Choose your password');
    expect(await page.getByRole('list').innerText()).toContain('At least 12 characters');
    expect(await page.getByRole('list').innerText()).toContain('Not your email address, username or name.');
    expect(await page.getByLabel('Your account').inputValue()).toBe(ann.username);
    // The page uses its CSP-approved stylesheet: the button is styled, which an inline style refused by the CSP would not be.
    expect(await page.getByRole('button', { name: 'Set password' }).evaluate((b) => (globalThis as any).getComputedStyle(b).backgroundColor)).toBe(
      'rgb(43, 108, 176)',
    );
    await page.screenshot({ path: join(tmpdir(), 'roster-password-form.png'), fullPage: true });

    const short = await submitPassword(page, 'too short');
    expect(short.status()).toBe(422);
    expect(await page.getByRole('alert').innerText()).toBe('That password has 9 characters; choose one of at least 12.');
    expect(await page.getByLabel('New password').getAttribute('aria-invalid')).toBe('true');
    // The token left the address bar for the form body.
    expect(page.url()).toBe(`${publicUrl}/invitation`);

    await submitPassword(page, COMMON_PASSWORD);
    expect(await page.getByRole('alert').innerText()).toBe('That password is one of the most common ones, which attackers try first; choose another.');
    await submitPassword(page, ann.email.toUpperCase());
    expect(await page.getByRole('alert').innerText()).toBe(
      'That password is your email address, username or name; choose one nobody could guess from your account.',
    );
    await submitPassword(page, GOOD_PASSWORD, `${GOOD_PASSWORD}!`);
    expect(await page.getByRole('alert').innerText()).toBe('The two passwords are not the same; type the same password in both fields.');
    expect((await t.read.account(ann.id)).status).toBe('INVITED');
    expect((await em().findOneOrFail(AccountToken, { hash: hashToken(token) })).usedAt).toBeNull();

    const accepted = await submitPassword(page, GOOD_PASSWORD);
    expect(accepted.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Set up two-step verification');
    expect(await page.getByRole('img', { name: /QR code that adds your Secure Org account/ }).isVisible()).toBe(true);
    const secret = (await page.locator('#totp-secret').innerText()).replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    // The password is set and the link used up; the secret waits for its code.
    const afterPassword = await em().findOneOrFail(Account, ann.id, { populate: ['passwordHash', 'totpSecret'] });
    expect(afterPassword).toMatchObject({ status: 'ACTIVE', mfaEnrolled: false, totpSecret: null, failedSignIns: 0 });
    expect(afterPassword.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await argon2.verify(afterPassword.passwordHash!, GOOD_PASSWORD)).toBe(true);

    const code = await generate({ secret });
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    await page.getByLabel('Code from the app').fill(wrong);
    await submit(page, 'Confirm');
    expect(await page.getByRole('alert').innerText()).toBe(
      'That code does not match; type the code your app shows now (check that the phone’s clock is right).',
    );
    expect((await page.locator('#totp-secret').innerText()).replace(/\s+/g, '')).toBe(secret);
    expect((await t.read.account(ann.id)).mfaEnrolled).toBe(false);

    await page.getByLabel('Code from the app').fill(await generate({ secret }));
    await submit(page, 'Confirm');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('You are all set');
    expect(
      await page.getByText(`You can now sign in to Secure Org as ${ann.username} with your new password and a code from your authenticator app.`).isVisible(),
    ).toBe(true);
    expect(await em().findOneOrFail(Account, ann.id, { populate: ['totpSecret'] })).toMatchObject({ status: 'ACTIVE', mfaEnrolled: true, totpSecret: secret });

    // Opened again, the link is refused and says what to do.
    const again = await page.goto(link);
    expect(again!.status()).toBe(410);
    expect(await page.getByRole('alert').innerText()).toBe(
      'This invitation link has already been used; each link works once, so ask your helpdesk for a new one if you still need it.',
    );
    await page.close();

    const audit = await t.given.audit({ targetId: ann.id });
    expect(audit.map((e) => [e.action, e.outcome])).toEqual([
      ['create', 'done'],
      ['set-password', 'refused'],
      ['set-password', 'refused'],
      ['set-password', 'refused'],
      ['set-password', 'refused'],
      ['set-password', 'done'],
      ['enrol-mfa', 'refused'],
      ['enrol-mfa', 'done'],
      ['open-password-link', 'refused'],
    ]);
    expect(audit.find((e) => e.action === 'set-password' && e.outcome === 'done')).toMatchObject({
      actorId: 'mail-link',
      changes: { status: { before: 'INVITED', after: 'ACTIVE' }, credential: { before: null, after: 'password from invitation link' } },
    });
    expect(audit.find((e) => e.action === 'enrol-mfa' && e.outcome === 'done')).toMatchObject({ changes: { mfaEnrolled: { before: false, after: true } } });
    const trail = JSON.stringify(audit);
    for (const secretThing of [token, GOOD_PASSWORD, COMMON_PASSWORD, secret]) expect(trail).not.toContain(secretThing);

    // The log saw every page served, and none of the token, the passwords or the TOTP secret.
    expect(t.logs.filter((line) => line.msg === 'password page served').map((line) => [line.method, line.path, line.status])).toEqual(
      expect.arrayContaining([
        ['GET', '/invitation', 200],
        ['POST', '/invitation', 422],
        ['POST', '/invitation', 200],
        ['POST', '/mfa-enrolment', 422],
        ['POST', '/mfa-enrolment', 200],
        ['GET', '/invitation', 410],
      ]),
    );
    for (const secretThing of [token, GOOD_PASSWORD, COMMON_PASSWORD, secret]) expect(t.rawLogs()).not.toContain(secretThing);

    // The organisation's platform signs Ann in through the API with the password and a code from the enrolled secret.
    const { raw: apiToken } = await apiTokenFor(t, 'mfa-org');
    expect((await signInOver(t, apiToken, { login: ann.username, password: GOOD_PASSWORD })).body.status).toBe('mfa-required');
    const signedIn = await signInOver(t, apiToken, { login: ann.username, password: GOOD_PASSWORD, totp: await generate({ secret }) });
    expect(signedIn).toMatchObject({ status: 200, body: { status: 'ok', accountId: ann.id, accountStatus: 'ACTIVE' } });
    expect(signedIn.body.mustEnrolMfa).toBeUndefined();

    // Reset MFA forgets the secret, so the next enrolment starts from a new one.
    expect(blocksText(await t.slash(`reset-mfa ${ann.email}`, HELPDESK))).toContain('two-step verification is removed');
    expect(await em().findOneOrFail(Account, ann.id, { populate: ['totpSecret'] })).toMatchObject({ mfaEnrolled: false, totpSecret: null });
  });

  it('refuses an expired link with a sentence saying to ask for a new one', async () => {
    const bo = await invite('Bo', 'Expired');
    const link = linkIn(await mailbox.waitFor((m) => m.envelopeTo.includes(bo.email)), 'invitation');
    await em().nativeUpdate(AccountToken, { hash: hashToken(tokenOf(link)) }, { expiresAt: new Date(Date.now() - 1000) });
    const page = await browser.newPage();
    const response = await page.goto(link);
    expect(response!.status()).toBe(410);
    expect(response!.headers()).toMatchObject({ 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
    expect(await page.getByRole('alert').innerText()).toBe('This invitation link has expired; ask your helpdesk for a new one.');
    expect(await page.getByLabel('New password').count()).toBe(0);
    await page.close();
    expect((await t.read.account(bo.id)).status).toBe('INVITED');
  });

  it('refuses a replaced link, and a link to an account deactivated since its mail', async () => {
    const eve = await invite('Eve', 'Replaced');
    const firstMail = await mailbox.waitFor((m) => m.envelopeTo.includes(eve.email));
    await t.slash(`resend-invite ${eve.email}`, HELPDESK);
    const second = linkIn(await mailbox.waitFor((m) => m.envelopeTo.includes(eve.email) && m !== firstMail), 'invitation');
    const replaced = await fetch(linkIn(firstMail, 'invitation'));
    expect(replaced.status).toBe(410);
    expect(await replaced.text()).toContain('A newer invitation link was sent since; use the link in the latest mail, or ask your helpdesk for a new one.');
    expect((await fetch(second)).status).toBe(200);

    await t.slash(`deactivate ${eve.email}`, ADMIN);
    const deactivated = await fetch(second);
    expect(deactivated.status).toBe(410);
    expect(await deactivated.text()).toContain('Eve Replaced is DEACTIVATED; a deactivated account cannot set a password');
  });

  it('refuses a form posted without this browser’s CSRF cookie, and the link still works', async () => {
    const cy = await invite('Cy', 'Forged');
    const link = linkIn(await mailbox.waitFor((m) => m.envelopeTo.includes(cy.email)), 'invitation');
    const page = await browser.newPage();
    await page.goto(link);
    const csrf = await page.locator('input[name=csrf]').inputValue();
    // Another site's form: the right token and even a CSRF token, but not this browser's cookie.
    const forged = await fetch(`${publicUrl}/invitation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokenOf(link), csrf, password: GOOD_PASSWORD, repeat: GOOD_PASSWORD }),
    });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('This form could not be checked, so nothing was changed');
    expect((await t.read.account(cy.id)).status).toBe('INVITED');

    expect((await submitPassword(page, GOOD_PASSWORD)).status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('You are all set');
    await page.close();
    expect((await t.read.account(cy.id)).status).toBe('ACTIVE');
  });
});

describe('the reset-password page in a browser', () => {
  it('works the same: a RECOVERY account sets a new password and is ACTIVE, with no enrolment where MFA is not required', async () => {
    const dee = await t.given.account({ firstName: 'Dee', lastName: 'Reset' });
    expect(blocksText(await t.slash(`reset-password ${dee.email}`, HELPDESK))).toContain('a reset link goes to');
    expect((await t.read.account(dee.id)).status).toBe('RECOVERY');
    const link = linkIn(await mailbox.waitFor((m) => m.envelopeTo.includes(dee.email)), 'reset-password');

    const page = await browser.newPage();
    const opened = await page.goto(link);
    expect(opened!.headers()).toMatchObject({ 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Choose a new password');
    await submitPassword(page, 'dee');
    expect(await page.getByRole('alert').innerText()).toBe('That password has 3 characters; choose one of at least 12.');
    await submitPassword(page, GOOD_PASSWORD);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('You are all set');
    expect(await page.getByText(`as ${dee.username} with your new password.`).isVisible()).toBe(true);
    expect(page.url()).toBe(`${publicUrl}/reset-password`);

    const account = await em().findOneOrFail(Account, dee.id, { populate: ['passwordHash'] });
    expect(account).toMatchObject({ status: 'ACTIVE', failedSignIns: 0, mfaEnrolled: false });
    expect(await argon2.verify(account.passwordHash!, GOOD_PASSWORD)).toBe(true);
    expect((await page.goto(link))!.status()).toBe(410);
    expect(await page.getByRole('alert').innerText()).toContain('This password reset link has already been used');
    await page.close();
    expect((await t.given.audit({ targetId: dee.id, action: 'set-password', outcome: 'done' }))[0]).toMatchObject({
      changes: { status: { before: 'RECOVERY', after: 'ACTIVE' } },
    });
  });
});
