// Invitations, resent invitations and password resets, end to end: Slack command or button -> action -> outbox row ->
// BullMQ mail worker -> SMTP (a real server on loopback) -> a link whose token opens once.
import argon2 from 'argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../../src/actions/action.ts';
import { cliActor, linkHolderActor } from '../../src/actions/actor.ts';
import { createAccount } from '../../src/actions/accounts/createAccount.ts';
import { setPassword } from '../../src/actions/accounts/setPassword.ts';
import { hashToken, redeemToken } from '../../src/db/accountTokens.ts';
import { Account, AccountToken, AuditEvent, OutboxMail } from '../../src/db/entities/index.ts';
import { createLogger } from '../../src/logger.ts';
import { outboxMailQueue } from '../../jobs/sendMail.ts';
import { OUTBOX_PASS_JOB, SEND_MAIL_JOB } from '../../jobs/queues.ts';
import { runCli } from '../support/cli.ts';
import { startMailbox, type Mailbox, type ReceivedMail } from '../support/mailbox.ts';
import { blocksText, cardButtons } from '../support/slackReplies.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

const PUBLIC_URL = 'https://roster.example.com';
const MAIL_FROM = 'Roster Test <roster@example.test>';
const ADMIN = 'U0MAILADM1';
const HELPDESK = 'U0MAILHLP1';
const VIEWER = 'U0MAILVIW1';

let t: TestRoster;
let mailbox: Mailbox;

beforeAll(async () => {
  mailbox = await startMailbox();
  t = await startTestRoster({ SMTP_URL: mailbox.url, ROSTER_PUBLIC_URL: PUBLIC_URL, MAIL_FROM });
  await t.given.grant(ADMIN, 'admin');
  await t.given.grant(HELPDESK, 'helpdesk');
  await t.given.grant(VIEWER, 'viewer');
});
afterAll(async () => {
  await t?.stop();
  await mailbox?.close();
});

const em = () => t.roster.orm.em.fork();
const outbox = (accountId: string) => em().find(OutboxMail, { accountId }, { orderBy: { createdAt: 'asc' } });

const mailTo = (email: string, after: ReceivedMail[] = []) => mailbox.waitFor((m) => m.envelopeTo.includes(email) && !after.includes(m));

function tokenIn(mail: ReceivedMail, path: 'invitation' | 'reset-password'): string {
  const link = new RegExp(`${PUBLIC_URL.replace(/\./g, '\\.')}/${path}\\?token=[A-Za-z0-9_-]+`).exec(mail.text)?.[0];
  expect(link, `a ${path} link in:\n${mail.text}`).toBeDefined();
  return new URL(link!).searchParams.get('token')!;
}

const redeem = (token: string, purpose: 'invitation' | 'password-reset') => redeemToken(em(), token, purpose);

describe('invitations', () => {
  it('send-invite moves a STAGED account to INVITED and mails a link that opens once', async () => {
    const ann = await t.given.account({ firstName: 'Ann', lastName: 'Staged', status: 'STAGED', lastSignInAt: null });
    const reply = await t.slash(`send-invite ${ann.email}`, ADMIN);
    expect(blocksText(reply)).toContain(`Ann Staged is invited: the invitation goes to ${ann.email}`);
    expect((await t.read.account(ann.id)).status).toBe('INVITED');

    const mail = await mailTo(ann.email);
    expect(mail.envelopeTo).toEqual([ann.email]);
    expect(mail.headers.get('to')).toContain(ann.email);
    expect(mail.headers.get('from')).toContain('roster@example.test');
    expect(mail.subject).toBe('Your Default organisation account is ready');
    expect(mail.text).toContain('Hello Ann,');
    expect(mail.text).toContain('It works once, for 7 days');
    const token = tokenIn(mail, 'invitation');

    const first = await redeem(token, 'invitation');
    expect(first).toMatchObject({ ok: true, account: { id: ann.id } });
    expect(await redeem(token, 'invitation')).toMatchObject({ ok: false, reason: 'used', message: expect.stringContaining('already been used') });
    expect(await redeem(token, 'password-reset')).toMatchObject({ ok: false, reason: 'unknown' });

    // Only the token's hash is stored, and the outbox row records the send.
    const [stored] = await em().find(AccountToken, { account: ann.id });
    expect(stored).toMatchObject({ purpose: 'invitation', hash: hashToken(token) });
    expect(stored!.hash).not.toContain(token);
    await expect.poll(async () => (await outbox(ann.id))[0]?.sentAt, { timeout: 10_000 }).toBeInstanceOf(Date);
    expect(await outbox(ann.id)).toMatchObject([
      { to: ann.email, template: 'invitation', tokenId: stored!.id, attempts: 1, sentAt: expect.any(Date), lastError: null },
    ]);

    const audit = await t.given.audit({ targetId: ann.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'send-invite',
      outcome: 'done',
      actorId: ADMIN,
      changes: { status: { before: 'STAGED', after: 'INVITED' }, credential: { before: null, after: 'invitation mail' } },
    });
    expect(JSON.stringify(audit)).not.toContain(token);
    await expect.poll(() => t.logs.find((line) => line.msg === 'mail sent' && line.accountId === ann.id)).toMatchObject({ template: 'invitation' });
    expect(t.rawLogs()).not.toContain(token);
  });

  it('resend-invite mails a new link, and the earlier link is refused as replaced', async () => {
    const ben = await t.given.account({ firstName: 'Ben', lastName: 'Invited', status: 'INVITED', lastSignInAt: null });
    expect(blocksText(await t.slash(`resend-invite ${ben.username}`, HELPDESK))).toContain(`A new invitation goes to ${ben.email}`);
    const firstMail = await mailTo(ben.email);
    const firstToken = tokenIn(firstMail, 'invitation');

    await t.slash(`resend-invite ${ben.email}`, HELPDESK);
    const secondToken = tokenIn(await mailTo(ben.email, [firstMail]), 'invitation');
    expect(secondToken).not.toBe(firstToken);

    expect(await redeem(firstToken, 'invitation')).toMatchObject({ ok: false, reason: 'replaced', message: expect.stringContaining('newer invitation link') });
    expect(await redeem(secondToken, 'invitation')).toMatchObject({ ok: true, account: { id: ben.id } });
    expect(await redeem(secondToken, 'invitation')).toMatchObject({ ok: false, reason: 'used' });
    expect((await t.read.account(ben.id)).status).toBe('INVITED');
    expect((await t.given.audit({ targetId: ben.id })).map((e) => [e.action, e.outcome])).toEqual([
      ['resend-invite', 'done'],
      ['resend-invite', 'done'],
    ]);
  });

  it('refuses an expired link', async () => {
    const cy = await t.given.account({ firstName: 'Cy', lastName: 'Late', status: 'INVITED', lastSignInAt: null });
    await t.slash(`resend-invite ${cy.email}`, HELPDESK);
    const token = tokenIn(await mailTo(cy.email), 'invitation');
    const stored = await em().findOneOrFail(AccountToken, { hash: hashToken(token) });
    // Seven days, as the setting says (the link's clock starts when the mail is sent).
    expect(stored.expiresAt.getTime() - Date.now()).toBeGreaterThan(7 * 24 * 3600_000 - 60_000);
    expect(stored.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(7 * 24 * 3600_000);
    await em().nativeUpdate(AccountToken, { id: stored.id }, { expiresAt: new Date(Date.now() - 1000) });
    expect(await redeem(token, 'invitation')).toMatchObject({ ok: false, reason: 'expired', message: expect.stringContaining('has expired') });
    expect(await redeem('not-a-token-at-all', 'invitation')).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it('refuses resend-invite for an ACTIVE account with a sentence, and queues nothing', async () => {
    const dee = await t.given.account({ firstName: 'Dee', lastName: 'Active' });
    const reply = await t.slash(`resend-invite ${dee.email}`, HELPDESK);
    expect(blocksText(reply)).toContain('Dee Active is ACTIVE; it has already accepted its invitation; reset the password instead if they cannot sign in.');
    expect(await outbox(dee.id)).toEqual([]);
    expect(await t.given.audit({ targetId: dee.id })).toMatchObject([{ action: 'resend-invite', outcome: 'refused' }]);
  });

  it('createAccount queues the invitation when asked to, and only then', async () => {
    const logger = createLogger('silent');
    const services = { orm: t.roster.orm, logger, mail: outboxMailQueue(t.roster.queues, logger) };
    const eve = await runAction(services, createAccount, cliActor(), { email: 'eve.new@example.test', firstName: 'Eve', lastName: 'New' });
    expect(eve.status).toBe('INVITED');
    const token = tokenIn(await mailTo('eve.new@example.test'), 'invitation');
    expect(await redeem(token, 'invitation')).toMatchObject({ ok: true, account: { id: eve.accountId } });

    const fay = await runAction(services, createAccount, cliActor(), {
      email: 'fay.silent@example.test',
      firstName: 'Fay',
      lastName: 'Silent',
      sendInvitation: false,
    });
    expect(fay.status).toBe('STAGED');
    expect(await outbox(fay.accountId)).toEqual([]);
  });

  it('offers Send invitation on a STAGED card to an admin and Resend invitation on an INVITED one to helpdesk', async () => {
    const gil = await t.given.account({ firstName: 'Gil', lastName: 'Button', status: 'STAGED', lastSignInAt: null });
    const card = await t.slash(gil.email, ADMIN);
    expect(cardButtons(card).map((b) => b.text.text)).toContain('Send invitation');
    const helpdeskCard = await t.slash(gil.email, HELPDESK);
    expect(blocksText(helpdeskCard)).toContain('Gil Button');
    expect(blocksText(helpdeskCard)).toContain('STAGED');
    expect(cardButtons(helpdeskCard).map((b) => b.text.text)).not.toContain('Send invitation');
    const edited = await t.click(card, 'account.do.send-invite', ADMIN);
    expect(blocksText(edited)).toContain('Gil Button is invited');
    tokenIn(await mailTo(gil.email), 'invitation');
    const invitedCard = await t.slash(gil.email, HELPDESK);
    expect(cardButtons(invitedCard).map((b) => b.text.text)).toContain('Resend invitation');
  });
});

describe('reset-password', () => {
  it('mails a reset link by default (RECOVERY); the link opens once', async () => {
    const hal = await t.given.account({ firstName: 'Hal', lastName: 'Reset' });
    const reply = await t.slash(`reset-password ${hal.email}`, HELPDESK);
    expect(blocksText(reply)).toContain(`Hal Reset must set a new password: a reset link goes to ${hal.email}`);
    expect((await t.read.account(hal.id)).status).toBe('RECOVERY');
    const mail = await mailTo(hal.email);
    expect(mail.subject).toBe('Reset your Default organisation password');
    expect(mail.text).toContain('It works once, for 1 hour');
    const token = tokenIn(mail, 'reset-password');
    const stored = await em().findOneOrFail(AccountToken, { hash: hashToken(token) });
    expect(stored.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(3600_000);
    expect(stored.expiresAt.getTime() - Date.now()).toBeGreaterThan(3600_000 - 60_000);
    expect(await redeem(token, 'invitation')).toMatchObject({ ok: false, reason: 'unknown' });
    expect(await redeem(token, 'password-reset')).toMatchObject({ ok: true, account: { id: hal.id } });
    expect(await redeem(token, 'password-reset')).toMatchObject({ ok: false, reason: 'used' });
    expect(await t.given.audit({ targetId: hal.id })).toMatchObject([
      {
        action: 'reset-password',
        outcome: 'done',
        actorId: HELPDESK,
        changes: { status: { before: 'ACTIVE', after: 'RECOVERY' }, credential: { after: 'password reset mail' } },
      },
    ]);
  });

  it('a temporary password outlives a deactivation: reactivated, the account is PASSWORD_EXPIRED, not ACTIVE', async () => {
    const noa = await t.given.account({ firstName: 'Noa', lastName: 'Temporary' });
    await t.slash(`reset-password ${noa.email} --temporary`, HELPDESK);
    expect((await em().findOneOrFail(Account, noa.id)).status).toBe('PASSWORD_EXPIRED');
    expect(blocksText(await t.slash(`deactivate ${noa.email}`, ADMIN))).toContain('DEACTIVATED');
    const reactivated = blocksText(await t.slash(`reactivate ${noa.email}`, ADMIN));
    expect(reactivated).toContain('PASSWORD_EXPIRED');
    expect(await em().findOneOrFail(Account, noa.id)).toMatchObject({ status: 'PASSWORD_EXPIRED', passwordTemporary: true });
    const audit = await em().find(AuditEvent, { targetId: noa.id, action: 'reactivate' });
    expect(audit.map((event) => event.changes)).toEqual([expect.objectContaining({ status: { before: 'DEACTIVATED', after: 'PASSWORD_EXPIRED' } })]);

    // Once its owner sets a password of their own, a deactivation and reactivation brings the account back ACTIVE.
    await t.slash(`reset-password ${noa.email}`, HELPDESK);
    const token = tokenIn(await mailTo(noa.email), 'reset-password');
    const ownPassword = 'a long passphrase of her own 42';
    await runAction({ orm: t.roster.orm, logger: t.logger }, setPassword, linkHolderActor(), {
      token,
      purpose: 'password-reset',
      password: ownPassword,
      repeat: ownPassword,
    });
    expect(await em().findOneOrFail(Account, noa.id)).toMatchObject({ status: 'ACTIVE', passwordTemporary: false });
    await t.slash(`deactivate ${noa.email}`, ADMIN);
    await t.slash(`reactivate ${noa.email}`, ADMIN);
    expect((await em().findOneOrFail(Account, noa.id)).status).toBe('ACTIVE');
  });

  it('--temporary shows a one-time password to the caller alone, stores only its argon2 hash, and ends pending reset links', async () => {
    const ida = await t.given.account({ firstName: 'Ida', lastName: 'Temporary', status: 'LOCKED_OUT' });
    await t.slash(`reset-password ${ida.email}`, HELPDESK);
    const resetToken = tokenIn(await mailTo(ida.email), 'reset-password');
    const mailsBefore = mailbox.messages.length;

    const responseUrl = t.slack.responseUrl();
    await t.send.command({ text: `reset-password ${ida.email} --temporary --reason "phoned the helpdesk"`, userId: HELPDESK, responseUrl });
    const secretCall = await t.slack.waitFor('response_url', (c) => c.args._responseUrl === responseUrl && blocksText(c).includes('Temporary password'));
    const cardCall = await t.slack.waitFor('response_url', (c) => c.args._responseUrl === responseUrl && blocksText(c).includes('has a temporary password'));
    expect(secretCall.args.response_type).toBe('ephemeral');
    expect(cardCall.args.response_type).toBe('ephemeral');
    const password = /`([^`]+)`/.exec(blocksText(secretCall))?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
    // Not in the notification text, not in the card, nowhere else in Slack.
    expect(secretCall.args.text).not.toContain(password);
    expect(blocksText(cardCall)).not.toContain(password!);
    expect(t.slack.calls().filter((c) => c !== secretCall && JSON.stringify(c.args).includes(password!))).toEqual([]);

    const stored = await em().findOneOrFail(Account, ida.id, { populate: ['passwordHash'] });
    expect(stored.status).toBe('PASSWORD_EXPIRED');
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await argon2.verify(stored.passwordHash!, password!)).toBe(true);
    expect(await argon2.verify(stored.passwordHash!, 'something else')).toBe(false);
    expect(await redeem(resetToken, 'password-reset')).toMatchObject({ ok: false, reason: 'replaced' });

    const audit = await em().find(AuditEvent, { targetId: ida.id }, { orderBy: { id: 'asc' } });
    expect(audit.map((e) => [e.action, e.outcome])).toEqual([
      ['reset-password', 'done'],
      ['reset-password', 'done'],
    ]);
    expect(audit[1]).toMatchObject({
      reason: 'phoned the helpdesk',
      changes: { status: { before: 'RECOVERY', after: 'PASSWORD_EXPIRED' }, credential: { after: 'temporary password' } },
    });
    // The logs do follow this account (its reset mail), but hold neither the password nor its hash.
    await expect.poll(() => t.logs.find((line) => line.msg === 'mail sent' && line.accountId === ida.id)).toMatchObject({ template: 'password-reset' });
    for (const secret of [password!, stored.passwordHash!]) {
      expect(JSON.stringify(audit)).not.toContain(secret);
      expect(t.rawLogs()).not.toContain(secret);
    }
    // No mail for a temporary password.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailbox.messages.length).toBe(mailsBefore);
    expect((await outbox(ida.id)).map((m) => m.template)).toEqual(['password-reset']);
  });

  it('refuses an SSO account with a sentence, and hides the button', async () => {
    const jo = await t.given.account({ firstName: 'Jo', lastName: 'Sso' });
    await em().nativeUpdate(Account, { id: jo.id }, { authSource: 'sso' });
    expect(blocksText(await t.slash(`reset-password ${jo.email}`, HELPDESK))).toContain(
      'Jo Sso is ACTIVE; it signs in through SSO, so reset the password in the identity provider.',
    );
    expect(blocksText(await t.slash(`reset-password ${jo.email} --temporary`, HELPDESK))).toContain(
      'it signs in through SSO, so set a temporary password in the identity provider.',
    );
    expect((await t.read.account(jo.id)).status).toBe('ACTIVE');
    expect(await outbox(jo.id)).toEqual([]);
    expect((await t.given.audit({ targetId: jo.id })).map((e) => e.outcome)).toEqual(['refused', 'refused']);
    const card = await t.slash(jo.email, HELPDESK);
    expect(blocksText(card)).toContain('Jo Sso');
    expect(cardButtons(card).map((b) => b.text.text)).not.toContain('Reset password');
  });

  it('is a card button for a local account, behind a confirm dialog, and mails the link', async () => {
    const kai = await t.given.account({ firstName: 'Kai', lastName: 'Card' });
    const card = await t.slash(kai.email, HELPDESK);
    const button = cardButtons(card).find((b) => b.text.text === 'Reset password');
    expect(button?.confirm.title.text).toBe('Reset password Kai Card?');
    expect(blocksText(await t.click(card, 'account.do.reset-password', HELPDESK))).toContain('Kai Card must set a new password');
    tokenIn(await mailTo(kai.email), 'reset-password');
  });
});

describe('who may', () => {
  it.each([
    ['send-invite', 'STAGED', VIEWER, 'sending an invitation needs an admin'],
    ['send-invite', 'STAGED', HELPDESK, 'sending an invitation needs an admin'],
    ['resend-invite', 'INVITED', VIEWER, 'resending an invitation needs a helpdesk'],
    ['reset-password', 'ACTIVE', VIEWER, 'resetting a password needs a helpdesk'],
    ['reset-password --temporary', 'ACTIVE', VIEWER, 'resetting a password needs a helpdesk'],
  ] as const)('%s on a %s account is refused for %s, changing and mailing nothing', async (command, status, userId, sentence) => {
    const who = await t.given.account({ firstName: 'Role', lastName: 'Check', status, lastSignInAt: status === 'ACTIVE' ? new Date() : null });
    const [verb, ...flags] = command.split(' ');
    const reply = await t.slash([verb, who.email, ...flags].join(' '), userId);
    expect(blocksText(reply)).toContain(sentence);
    expect((await t.read.account(who.id)).status).toBe(status);
    expect(await outbox(who.id)).toEqual([]);
    expect(await t.given.audit({ targetId: who.id })).toMatchObject([{ action: verb, outcome: 'refused', actorId: userId }]);
  });
});

describe('the outbox', () => {
  it('sends a mail whose job was lost, on the outbox pass', async () => {
    const lou = await t.given.account({ firstName: 'Lou', lastName: 'Lost', status: 'INVITED', lastSignInAt: null });
    const fork = em();
    fork.create(OutboxMail, { to: lou.email, template: 'invitation', accountId: lou.id });
    await fork.flush(); // committed, as by an action whose enqueue after commit never reached Redis
    await t.roster.queues.mail.add(OUTBOX_PASS_JOB, {});
    const token = tokenIn(await mailTo(lou.email), 'invitation');
    expect(await redeem(token, 'invitation')).toMatchObject({ ok: true, account: { id: lou.id } });
  });

  it('sends a mail once even when its job runs again', async () => {
    const max = await t.given.account({ firstName: 'Max', lastName: 'Twice', status: 'INVITED', lastSignInAt: null });
    await t.slash(`resend-invite ${max.email}`, HELPDESK);
    await mailTo(max.email);
    // The SMTP server has the mail a moment before the worker records it as sent: wait for that record.
    await expect.poll(async () => (await outbox(max.id))[0]?.sentAt, { timeout: 10_000 }).toBeInstanceOf(Date);
    const [row] = await outbox(max.id);
    const received = mailbox.messages.filter((m) => m.envelopeTo.includes(max.email)).length;

    const again = await t.roster.queues.mail.add(SEND_MAIL_JOB, { outboxId: row!.id }, { jobId: `again-${row!.id}` });
    await expect.poll(() => t.roster.queues.mail.getJobState(again.id!), { timeout: 10_000 }).toBe('completed');
    expect((await t.roster.queues.mail.getJob(again.id!))?.returnvalue).toBe('already-sent');
    expect(mailbox.messages.filter((m) => m.envelopeTo.includes(max.email))).toHaveLength(received);
    expect(await em().count(AccountToken, { account: max.id })).toBe(1);
  });

  it('does not send a mail the account no longer waits for', async () => {
    const ned = await t.given.account({ firstName: 'Ned', lastName: 'Gone', status: 'INVITED', lastSignInAt: null });
    const fork = em();
    const row = fork.create(OutboxMail, { to: ned.email, template: 'invitation', accountId: ned.id });
    await fork.flush();
    await fork.nativeUpdate(Account, { id: ned.id }, { status: 'DEACTIVATED' });
    await t.roster.queues.mail.add(SEND_MAIL_JOB, { outboxId: row.id }, { jobId: row.id });
    await expect.poll(async () => (await em().findOneOrFail(OutboxMail, row.id)).cancelledAt, { timeout: 10_000 }).toBeInstanceOf(Date);
    expect(await em().findOneOrFail(OutboxMail, row.id)).toMatchObject({ sentAt: null, lastError: 'the account is DEACTIVATED now, no longer INVITED' });
    expect(mailbox.messages.filter((m) => m.envelopeTo.includes(ned.email))).toEqual([]);
  });

  it('retries a delivery the SMTP server refused; the mail that arrives holds the working link', async () => {
    const oz = await t.given.account({ firstName: 'Oz', lastName: 'Busy', status: 'INVITED', lastSignInAt: null });
    mailbox.failNext(1);
    await t.slash(`resend-invite ${oz.email}`, HELPDESK);
    await expect.poll(async () => (await outbox(oz.id))[0]?.lastError ?? null, { timeout: 10_000 }).toContain('451');
    const token = tokenIn(await mailTo(oz.email), 'invitation');
    await expect.poll(async () => (await outbox(oz.id))[0]?.sentAt ?? null, { timeout: 10_000 }).toBeInstanceOf(Date);
    expect(await outbox(oz.id)).toMatchObject([{ attempts: 2, lastError: null }]);
    expect(await em().count(AccountToken, { account: oz.id, replacedAt: { $ne: null } })).toBe(1);
    expect(await redeem(token, 'invitation')).toMatchObject({ ok: true });
  });
});

describe('the CLI', () => {
  const roster = (...args: string[]) => runCli(args, { DATABASE_URL: t.config.DATABASE_URL, REDIS_PREFIX: t.config.REDIS_PREFIX, LOG_LEVEL: 'info' });

  it('prints a temporary password once, and leaves nothing of it in its log', async () => {
    const pat = await t.given.account({ firstName: 'Pat', lastName: 'Cli' });
    const result = await roster('user', 'reset-password', pat.email, '--temporary');
    expect(result.code).toBe(0);
    const password = /^Temporary password: (\S+)$/m.exec(result.stdout)?.[1];
    expect(password).toBeDefined();
    expect(result.stderr).not.toContain(password!);
    const stored = await em().findOneOrFail(Account, pat.id, { populate: ['passwordHash'] });
    expect(stored.status).toBe('PASSWORD_EXPIRED');
    expect(await argon2.verify(stored.passwordHash!, password!)).toBe(true);
  });

  it('queues an invitation from the CLI that the running worker sends', async () => {
    const quin = await t.given.account({ firstName: 'Quin', lastName: 'Cli', status: 'STAGED', lastSignInAt: null });
    const result = await roster('user', 'send-invite', quin.email);
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('Quin Cli is invited') });
    tokenIn(await mailTo(quin.email), 'invitation');
  });

  it('locks until a date from the CLI; the running worker ends the lock', async () => {
    const ria = await t.given.account({ firstName: 'Ria', lastName: 'Cli' });
    // Far enough ahead that the CLI's own start-up (a second or two, several on a machine running test files side by
    // side) does not reach it.
    const result = await roster('user', 'lock', ria.email, '--until', new Date(Date.now() + 12_000).toISOString());
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('Ria Cli is locked until') });
    expect((await em().findOneOrFail(Account, ria.id)).status).toBe('SUSPENDED');
    await expect.poll(async () => (await em().findOneOrFail(Account, ria.id)).status, { timeout: 30_000, interval: 200 }).toBe('ACTIVE');
  }, 60_000);
});
