import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import pLimit from 'p-limit';
import { runAction, type ActionServices } from '../actions/action.ts';
import type { ApiActors } from '../actions/access/apiTokens.ts';
import { signIn, type SignInStatus } from '../actions/accounts/signIn.ts';
import { normaliseLogin } from '../domain/accounts.ts';
import { RefusedError } from '../domain/errors.ts';
import { withLogFields } from '../logger.ts';
import type { RateLimiter } from './rateLimits.ts';

export const SIGN_IN_PATH = '/api/v1/sign-in';

/** A sign-in body is a login, a password and a code: anything larger is not one. */
const BODY_LIMIT_BYTES = 8 * 1024;

/**
 * Sign-ins verified at once in this process: argon2 runs on libuv's four threads, so more would only queue there while
 * each held a database connection for its transaction. The rest wait here, holding nothing.
 */
const SIGN_IN_CONCURRENCY = 4;

/** 200 for a sign-in, 401 while the person has not proven who they are, 403 when they have but may not sign in now. */
const HTTP_STATUS: { readonly [S in SignInStatus]: number } = {
  ok: 200,
  'wrong-credentials': 401,
  'mfa-required': 401,
  'mfa-wrong': 401,
  'locked-out': 403,
  suspended: 403,
  deactivated: 403,
  'password-must-change': 403,
};

export interface SignInDeps {
  services: ActionServices;
  apiActors: ApiActors;
  limiter: RateLimiter;
}

/** `POST /api/v1/sign-in`: the organisation's platform checks a person's login, password and TOTP code. */
export function signInRoutes(deps: SignInDeps): CustomRoute[] {
  const verifying = pLimit(SIGN_IN_CONCURRENCY);
  return [
    {
      path: SIGN_IN_PATH,
      method: 'POST',
      handler: (req, res) => {
        void withLogFields({ requestId: randomUUID(), route: SIGN_IN_PATH }, () =>
          answerSignIn(deps, verifying, req, res).catch((error: unknown) => {
            deps.services.logger.error({ err: error }, 'sign-in request failed');
            if (!res.headersSent) reply(res, 500, { status: 'error', message: 'Roster could not answer; try again.' });
          }),
        );
      },
    },
  ];
}

async function answerSignIn(deps: SignInDeps, verifying: ReturnType<typeof pLimit>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestAddress = req.socket.remoteAddress ?? 'unknown';
  const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const actor = bearer ? await deps.apiActors.actorForToken(bearer) : undefined;
  if (!actor) {
    if (!(await withinLimit(deps.limiter, res, 'ip', requestAddress))) return;
    res.setHeader('www-authenticate', 'Bearer');
    return reply(res, 401, { status: 'invalid-token', message: 'Send an API token of your organisation as "Authorization: Bearer <token>".' });
  }

  const body = await readJson(req);
  if (!body.ok) return reply(res, body.status, { status: 'bad-request', message: body.message });
  const { login, password, totp, ip } = body.value as Record<string, unknown>;
  // The person's address when the platform names it: every sign-in through one platform server comes from its
  // address, which would otherwise be one bucket for all of them.
  const address = typeof ip === 'string' ? ip : requestAddress;
  if (!(await withinLimit(deps.limiter, res, 'ip', address))) return;
  if (typeof login === 'string' && !(await withinLimit(deps.limiter, res, 'login', normaliseLogin(login)))) return;

  try {
    const result = await verifying(() => runAction(deps.services, signIn, actor, { login, password, totp, ip: ip ?? requestAddress }));
    reply(res, HTTP_STATUS[result.status], result);
  } catch (error) {
    if (!(error instanceof RefusedError)) throw error;
    // The token's scope, or a body that is not a sign-in: the action's own sentence, which names no secret.
    reply(res, error.code === 'invalid-input' ? 400 : 403, {
      status: error.code === 'invalid-input' ? 'bad-request' : 'forbidden',
      message: error.userMessage,
    });
  }
}

async function withinLimit(limiter: RateLimiter, res: ServerResponse, kind: 'ip' | 'login', key: string): Promise<boolean> {
  const decision = await limiter.take(kind, key);
  if (decision.allowed) return true;
  res.setHeader('retry-after', String(decision.retryAfterSeconds));
  reply(res, 429, {
    status: 'rate-limited',
    message: `Too many sign-in attempts ${kind === 'ip' ? 'from this address' : 'for this login'}; try again in ${decision.retryAfterSeconds} s.`,
  });
  return false;
}

type ReadBody = { ok: true; value: unknown } | { ok: false; status: number; message: string };

async function readJson(req: IncomingMessage): Promise<ReadBody> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return { ok: false, status: 415, message: 'Send the body as application/json.' };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT_BYTES) return { ok: false, status: 413, message: `The body must be at most ${BODY_LIMIT_BYTES} bytes.` };
    chunks.push(chunk as Buffer);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return { ok: true, value };
  } catch {
    return { ok: false, status: 400, message: 'The body must be a JSON object: {"login": ..., "password": ..., "totp": ..., "ip": ...}.' };
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
