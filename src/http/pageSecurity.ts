import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseCookie, stringifySetCookie } from 'cookie';
import Tokens from 'csrf';

/**
 * What every page response carries: the pages hold a link's token and a password field, so nothing may frame them,
 * cache them, send them on in a Referer, or run script in them (the pages have none; `style-src` names the one inline
 * stylesheet by its hash, `img-src data:` lets the QR code in).
 */
export function pageHeaders(styleHash: string, https: boolean): Record<string, string> {
  return securityHeaders(`default-src 'none'; style-src '${styleHash}'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`, https);
}

/** The headers every page carries, with the page's own content security policy. */
export function securityHeaders(contentSecurityPolicy: string, https: boolean): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': contentSecurityPolicy,
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    ...(https ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}

const tokens = new Tokens();

/**
 * CSRF protection by double submit: a random secret in an HttpOnly, SameSite=Strict cookie, and in each form a token
 * derived from it (salted, so the form never shows the secret). Another site can make a browser post a form here but
 * can neither read nor set the cookie, so it cannot make a token that matches it. Behind an https ROSTER_PUBLIC_URL the
 * cookie is Secure and `__Host-` prefixed, so no other host (a sibling subdomain) can plant one either.
 */
export class CsrfCookie {
  readonly #name: string;
  readonly #secure: boolean;

  constructor(https: boolean) {
    this.#secure = https;
    this.#name = https ? '__Host-roster_csrf' : 'roster_csrf';
  }

  /** A token for a form on the page answering `req`; sets the cookie on `res` when the request had none. */
  formToken(req: IncomingMessage, res: ServerResponse): string {
    let secret = this.#secretOf(req);
    if (!secret) {
      secret = tokens.secretSync();
      res.setHeader('set-cookie', stringifySetCookie(this.#name, secret, { httpOnly: true, sameSite: 'strict', secure: this.#secure, path: '/' }));
    }
    return tokens.create(secret);
  }

  /** Whether the form's token was made from this browser's cookie. */
  verify(req: IncomingMessage, formToken: string | null): boolean {
    const secret = this.#secretOf(req);
    return Boolean(secret && formToken && tokens.verify(secret, formToken));
  }

  #secretOf(req: IncomingMessage): string | undefined {
    const header = req.headers.cookie;
    return header ? parseCookie(header)[this.#name] : undefined;
  }
}

/** Larger than any form these pages hold (two passwords of the longest allowed, two tokens). */
const FORM_BODY_LIMIT_BYTES = 32 * 1024;

export class FormTooLargeError extends Error {}

/** A urlencoded form's fields; anything larger than any of these forms is cut off rather than buffered. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > FORM_BODY_LIMIT_BYTES) throw new FormTooLargeError('form body too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
