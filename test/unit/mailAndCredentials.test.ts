import argon2 from 'argon2';
import { describe, expect, it } from 'vitest';
import { hashPassword, temporaryPassword } from '../../src/actions/accounts/credentials.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { hashToken } from '../../src/db/accountTokens.ts';
import { describeTokenRefusal, tokenRefusal } from '../../src/domain/tokens.ts';
import { accountLink, describeDuration, mailContent } from '../../src/present/mailText.ts';

const now = new Date('2026-11-25T12:00:00Z');
const later = new Date('2026-11-25T13:00:00Z');

describe('tokenRefusal', () => {
  it.each([
    [{ expiresAt: later }, undefined],
    [{ expiresAt: now }, 'expired'],
    [{ expiresAt: later, usedAt: now }, 'used'],
    [{ expiresAt: later, replacedAt: now }, 'replaced'],
    // A link that was used says so, whatever else happened to it since.
    [{ expiresAt: now, usedAt: now, replacedAt: now }, 'used'],
    [{ expiresAt: now, replacedAt: now }, 'replaced'],
  ] as const)('%j -> %s', (token, expected) => {
    expect(tokenRefusal(token, now)).toBe(expected);
  });

  it('explains every refusal in a sentence naming the link', () => {
    for (const reason of ['unknown', 'expired', 'used', 'replaced'] as const) {
      expect(describeTokenRefusal(reason, 'password-reset')).toMatch(/^(This|A newer) password reset link .+\.$/);
    }
  });
});

describe('hashToken', () => {
  it('is the hex SHA-256 of the token', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('mail text', () => {
  it('builds links under ROSTER_PUBLIC_URL, keeping a path prefix', () => {
    expect(accountLink('https://roster.example.com', 'invitation', 'T0k_en-1')).toBe('https://roster.example.com/invitation?token=T0k_en-1');
    expect(accountLink('https://example.com/roster/', 'password-reset', 'x')).toBe('https://example.com/roster/reset-password?token=x');
    expect(accountLink('https://example.com/roster', 'password-reset', 'x')).toBe('https://example.com/roster/reset-password?token=x');
  });

  it('says how long a link works in the largest whole unit', () => {
    expect(describeDuration(7 * 24 * 3600_000)).toBe('7 days');
    expect(describeDuration(3600_000)).toBe('1 hour');
    expect(describeDuration(90 * 60_000)).toBe('90 minutes');
    expect(describeDuration(24 * 3600_000)).toBe('1 day');
  });

  it('puts the link, the username and the validity in each mail', () => {
    const facts = { firstName: 'Ann', username: 'ann', organisationName: 'Acme', link: 'https://x/invitation?token=t', validForMs: 3600_000 };
    for (const template of ['invitation', 'password-reset'] as const) {
      const mail = mailContent(template, facts);
      expect(mail.subject).toContain('Acme');
      expect(mail.text).toContain('\nhttps://x/invitation?token=t\n');
      expect(mail.text).toContain('ann');
      expect(mail.text).toContain('works once, for 1 hour');
    }
  });
});

describe('temporaryPassword', () => {
  it('is 20 unambiguous characters in groups of five, with upper case, lower case and a digit', () => {
    const passwords = Array.from({ length: 200 }, temporaryPassword);
    for (const password of passwords) {
      expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{5}(-[A-HJ-NP-Za-km-z2-9]{5}){3}$/);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[0-9]/);
    }
    expect(new Set(passwords).size).toBe(passwords.length);
  });

  it('is stored as an argon2id hash that verifies it and nothing else', async () => {
    const password = temporaryPassword();
    const hash = await hashPassword(password);
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hash).not.toContain(password);
    expect(await argon2.verify(hash, password)).toBe(true);
    expect(await argon2.verify(hash, temporaryPassword())).toBe(false);
  });
});

describe('mail settings in the environment', () => {
  const slack = { SLACK_SIGNING_SECRET: 'secret', SLACK_BOT_TOKEN: 'xoxb-1' };

  it('defaults to no SMTP, 7-day invitation links and 1-hour reset links', () => {
    const config = loadConfig(slack);
    expect(config).toMatchObject({ ROSTER_INVITATION_LINK_DAYS: 7, ROSTER_RESET_LINK_MINUTES: 60, MAIL_FROM: 'Roster <roster@localhost>' });
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.ROSTER_PUBLIC_URL).toBeUndefined();
  });

  it('needs ROSTER_PUBLIC_URL with SMTP_URL, since links point there', () => {
    expect(() => loadConfig({ ...slack, SMTP_URL: 'smtp://mail.example.com:587' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...slack, SMTP_URL: 'smtp://mail.example.com:587' })).toThrow(
      /^Invalid environment: ROSTER_PUBLIC_URL is required when SMTP_URL is set/,
    );
    expect(loadConfig({ ...slack, SMTP_URL: 'smtps://u:p@mail.example.com', ROSTER_PUBLIC_URL: 'https://roster.example.com' }).SMTP_URL).toBe(
      'smtps://u:p@mail.example.com',
    );
  });

  it.each([
    [{ SMTP_URL: 'http://mail.example.com' }, /^Invalid environment: SMTP_URL must be a URL such as smtp:/],
    [{ ROSTER_PUBLIC_URL: 'roster.example.com' }, /^Invalid environment: ROSTER_PUBLIC_URL must be an http\(s\) URL/],
    [{ MAIL_FROM: 'nobody' }, /^Invalid environment: MAIL_FROM must be a sender address/],
    [{ ROSTER_RESET_LINK_MINUTES: '0' }, /^Invalid environment: ROSTER_RESET_LINK_MINUTES/],
  ])('stops on %j with one line naming the variable', (bad, message) => {
    expect(() => loadConfig({ ...slack, ...bad })).toThrow(message);
  });
});
