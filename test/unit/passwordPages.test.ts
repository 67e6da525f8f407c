import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { passwordProblem, PASSWORD_RULES } from '../../src/domain/passwordRules.ts';
import { CsrfCookie, pageHeaders } from '../../src/http/pageSecurity.ts';

const owner = { email: 'alice.liddell@example.com', username: 'aliceliddell', firstName: 'Alice', lastName: 'Liddell' };

describe('the password rules', () => {
  it('accepts a long password of unrelated words', () => {
    expect(passwordProblem('correct horse battery staple', owner)).toBeUndefined();
    expect(PASSWORD_RULES[0]).toBe('At least 12 characters; a few unrelated words make a good one.');
  });

  it.each([
    ['eleven char', 'That password has 11 characters; choose one of at least 12.'],
    ['ÅÅÅÅÅÅÅÅÅÅÅ', 'That password has 11 characters; choose one of at least 12.'],
    ['x'.repeat(257), 'That password has 257 characters; choose one of at most 256.'],
    ['Alice.Liddell@example.com', 'That password is your email address, username or name; choose one nobody could guess from your account.'],
    ['alice liddell', 'That password is your email address, username or name; choose one nobody could guess from your account.'],
    ['Qwerty123456', 'That password is one of the most common ones, which attackers try first; choose another.'],
    ['1q2w3e4r5t6y', 'That password is one of the most common ones, which attackers try first; choose another.'],
  ])('refuses %j and says why', (password, why) => {
    expect(passwordProblem(password, owner)).toBe(why);
  });
});

function exchange(cookie?: string) {
  const req = new IncomingMessage(new Socket());
  if (cookie) req.headers.cookie = cookie;
  return { req, res: new ServerResponse(req) };
}

describe('the CSRF cookie', () => {
  it('behind an https public URL is Secure, HttpOnly, SameSite=Strict and __Host- prefixed, and verifies its own forms only', () => {
    const csrf = new CsrfCookie(true);
    const first = exchange();
    const token = csrf.formToken(first.req, first.res);
    const setCookie = String(first.res.getHeader('set-cookie'));
    expect(setCookie).toMatch(/^__Host-roster_csrf=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Strict$/);

    const cookie = setCookie.split(';')[0]!;
    expect(csrf.verify(exchange(cookie).req, token)).toBe(true);
    expect(csrf.verify(exchange().req, token)).toBe(false);
    expect(csrf.verify(exchange('__Host-roster_csrf=someone-elses-secret').req, token)).toBe(false);
    expect(csrf.verify(exchange(cookie).req, null)).toBe(false);
  });

  it('over plain http (a development setup) is not Secure, and a request with the cookie keeps it', () => {
    const csrf = new CsrfCookie(false);
    const first = exchange();
    csrf.formToken(first.req, first.res);
    expect(String(first.res.getHeader('set-cookie'))).toMatch(/^roster_csrf=[^;]+; Path=\/; HttpOnly; SameSite=Strict$/);
    const again = exchange(String(first.res.getHeader('set-cookie')).split(';')[0]);
    expect(csrf.verify(again.req, csrf.formToken(again.req, again.res))).toBe(true);
    expect(again.res.getHeader('set-cookie')).toBeUndefined();
  });

  it('asks browsers to keep https only when the public URL is https', () => {
    expect(pageHeaders('sha256-x', true)['strict-transport-security']).toBe('max-age=31536000');
    expect(pageHeaders('sha256-x', false)).not.toHaveProperty('strict-transport-security');
    expect(pageHeaders('sha256-x', false)).toMatchObject({ 'x-frame-options': 'DENY' });
  });
});
