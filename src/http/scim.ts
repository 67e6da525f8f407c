import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { runAction, type ActionServices } from '../actions/action.ts';
import type { ApiActors } from '../actions/access/apiTokens.ts';
import type { Actor } from '../actions/actor.ts';
import { createAccount } from '../actions/accounts/createAccount.ts';
import { deactivateAccount } from '../actions/accounts/deactivateAccount.ts';
import { requestDeletion } from '../actions/approvals/requestDeletion.ts';
import { SCIM_MAX_RESULTS, scimUser, scimUsers } from '../actions/scim/scimUsers.ts';
import { PROVISIONED_REASON, updateProvisionedAccount } from '../actions/scim/updateProvisionedAccount.ts';
import type { ScimUserRow } from '../db/scimUsers.ts';
import { FieldRefusedError, RefusedError } from '../domain/errors.ts';
import { ScimError, USER_SCHEMA, type ScimType } from '../domain/scimFilter.ts';
import { applyPatch, patchOperations, userFromResource, type ScimUserFields } from '../domain/scimUser.ts';
import { withLogFields } from '../logger.ts';
import type { RateLimiter } from './rateLimits.ts';
import {
  ERROR_SCHEMA,
  listResponse,
  SCIM_BASE_PATH,
  SCIM_CONTENT_TYPE,
  serviceProviderConfig,
  userEtag,
  userFields,
  userResource,
  userResourceType,
  userSchema,
} from './scimResources.ts';

/** A User body is a few hundred bytes; Entra ID's largest PATCH a few kilobytes. */
const BODY_LIMIT_BYTES = 64 * 1024;

/** How many Users a list returns when the client names no `count`. */
const DEFAULT_COUNT = 100;

export interface ScimDeps {
  services: ActionServices;
  apiActors: ApiActors;
  limiter: RateLimiter;
  /** Where Roster is reached from outside (meta.location); the request's Host header when unset. */
  publicUrl: string | undefined;
}

interface ScimRequest {
  deps: ScimDeps;
  req: IncomingMessage;
  res: ServerResponse;
  actor: Actor;
  baseUrl: string;
}

/** An answer that is not a success: RFC 7644 §3.12's error body. */
class ScimAnswer extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;
  readonly headers: Record<string, string>;

  constructor(status: number, detail: string, scimType?: ScimType, headers: Record<string, string> = {}) {
    super(detail);
    this.status = status;
    this.scimType = scimType;
    this.headers = headers;
  }
}

/** `/scim/v2/...`: SCIM 2.0 provisioning of an organisation's Users by its identity provider, with a token of scope `scim`. */
export function scimRoutes(deps: ScimDeps): CustomRoute[] {
  return [
    {
      path: `${SCIM_BASE_PATH}{/*rest}`,
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      handler: (req, res) => {
        const requestId = randomUUID();
        void withLogFields({ requestId, route: SCIM_BASE_PATH }, () =>
          answerScim(deps, req, res).catch((error: unknown) => {
            if (error instanceof ScimAnswer || error instanceof ScimError) return sendError(res, error);
            deps.services.logger.error({ err: error, reference: requestId }, 'SCIM request failed');
            if (!res.headersSent) sendError(res, new ScimAnswer(500, `Roster could not answer; try again (reference ${requestId}).`));
          }),
        );
      },
    },
  ];
}

async function answerScim(deps: ScimDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const actor = bearer ? await deps.apiActors.actorForToken(bearer) : undefined;
  if (!actor)
    throw new ScimAnswer(401, 'Send an API token of your organisation with the scim scope as "Authorization: Bearer <token>".', undefined, {
      'www-authenticate': 'Bearer',
    });
  if (!actor.scopes?.includes('scim')) throw new ScimAnswer(403, 'This API token does not have the scim scope; create one with --scope scim.');
  const limit = await deps.limiter.take('scim-token', actor.id);
  if (!limit.allowed) {
    throw new ScimAnswer(429, `Too many SCIM requests with this token; try again in ${limit.retryAfterSeconds} s.`, undefined, {
      'retry-after': String(limit.retryAfterSeconds),
    });
  }

  const url = new URL(req.url ?? '/', 'http://roster.invalid');
  const segments = url.pathname.slice(SCIM_BASE_PATH.length).split('/').filter(Boolean).map(decodeURIComponent);
  const request: ScimRequest = { deps, req, res, actor, baseUrl: deps.publicUrl?.replace(/\/$/, '') ?? `http://${req.headers.host ?? 'localhost'}` };
  const [resource, id, ...more] = segments;
  const method = req.method ?? 'GET';
  if (more.length === 0 && method === 'GET') {
    if (resource === 'ServiceProviderConfig' && !id) return send(res, 200, serviceProviderConfig(request.baseUrl, SCIM_MAX_RESULTS));
    if (resource === 'ResourceTypes') return sendDiscovery(res, id, 'User', userResourceType(request.baseUrl));
    if (resource === 'Schemas') return sendDiscovery(res, id, USER_SCHEMA, userSchema(request.baseUrl));
  }
  if (resource === 'Users' && more.length === 0) {
    if (!id && method === 'GET') return listUsers(request, url.searchParams);
    if (!id && method === 'POST') return createUser(request);
    if (id && method === 'GET') return getUser(request, id);
    if (id && method === 'PUT') return replaceUser(request, id);
    if (id && method === 'PATCH') return patchUser(request, id);
    if (id && method === 'DELETE') return deleteUser(request, id);
  }
  throw new ScimAnswer(404, `Roster's SCIM API has no ${method} ${url.pathname}; it serves Users, ServiceProviderConfig, ResourceTypes and Schemas.`);
}

function sendDiscovery(res: ServerResponse, id: string | undefined, ownId: string, document: Record<string, unknown>): void {
  if (id !== undefined && id !== ownId) throw new ScimAnswer(404, `There is no “${id}” here; Roster serves the User resource only.`);
  send(res, 200, id === undefined ? listResponse([document], 1, 1) : document);
}

async function listUsers(request: ScimRequest, query: URLSearchParams): Promise<void> {
  const startIndex = wholeNumber(query.get('startIndex'), 1, 'startIndex');
  const count = wholeNumber(query.get('count'), DEFAULT_COUNT, 'count');
  const page = await act(request, () =>
    runAction(request.deps.services, scimUsers, request.actor, {
      filter: query.get('filter') ?? undefined,
      startIndex: Math.max(1, startIndex),
      count: Math.max(0, count),
    }),
  );
  send(
    request.res,
    200,
    listResponse(
      page.rows.map((row) => userResource(row, request.baseUrl)),
      page.total,
      page.startIndex,
    ),
  );
}

async function getUser(request: ScimRequest, id: string): Promise<void> {
  sendUser(request, 200, await readUser(request, id));
}

async function createUser(request: ScimRequest): Promise<void> {
  const wanted = userFromResource(await readBody(request.req));
  refuseEmailUserName(wanted.userName);
  const created = await act(request, () =>
    runAction(request.deps.services, createAccount, request.actor, {
      email: wanted.email,
      firstName: wanted.givenName,
      lastName: wanted.familyName,
      username: wanted.userName,
      organisation: request.actor.organisationSlug,
      ...(wanted.externalId === null ? {} : { externalId: wanted.externalId }),
    }),
  );
  if (!wanted.active)
    await act(request, () => runAction(request.deps.services, deactivateAccount, request.actor, { account: created.accountId, reason: PROVISIONED_REASON }));
  const row = await readUser(request, created.accountId);
  request.res.setHeader('location', `${request.baseUrl}${SCIM_BASE_PATH}/Users/${row.id}`);
  sendUser(request, 201, row);
}

async function replaceUser(request: ScimRequest, id: string): Promise<void> {
  const current = await readUser(request, id);
  checkIfMatch(request, current);
  const wanted = userFromResource(await readBody(request.req));
  await applyChanges(request, current, wanted);
  sendUser(request, 200, await readUser(request, id));
}

async function patchUser(request: ScimRequest, id: string): Promise<void> {
  const current = await readUser(request, id);
  checkIfMatch(request, current);
  const wanted = applyPatch(userFields(current), patchOperations(await readBody(request.req)));
  await applyChanges(request, current, wanted);
  sendUser(request, 200, await readUser(request, id));
}

/**
 * A SCIM delete deactivates the account at once (it cannot sign in from this moment) and files a deletion request,
 * since every deletion in Roster waits for a second person's approval; an organisation that never deletes keeps the
 * account deactivated. Answered 204, as identity providers expect; the User reads `active: false` until approved.
 */
async function deleteUser(request: ScimRequest, id: string): Promise<void> {
  const current = await readUser(request, id);
  checkIfMatch(request, current);
  const { services } = request.deps;
  if (current.status !== 'DEACTIVATED')
    await act(request, () =>
      runAction(services, deactivateAccount, request.actor, { account: id, expectedVersion: current.version, reason: PROVISIONED_REASON }),
    );
  try {
    await runAction(services, requestDeletion, request.actor, { account: id, reason: 'deleted in the identity provider (SCIM)' });
  } catch (error) {
    // A request already waiting, or an organisation whose policy is never to delete: the account stays deactivated.
    if (!(error instanceof RefusedError)) throw error;
  }
  request.res.writeHead(204, { 'cache-control': 'no-store' });
  request.res.end();
}

/** What differs from the account as it is, changed in one action: its fields (one edit event) and whether it is active. */
async function applyChanges(request: ScimRequest, current: ScimUserRow, wanted: ScimUserFields): Promise<void> {
  const was = userFields(current);
  const edit = {
    ...(wanted.givenName !== was.givenName ? { firstName: wanted.givenName } : {}),
    ...(wanted.familyName !== was.familyName ? { lastName: wanted.familyName } : {}),
    ...(wanted.userName.toLowerCase() !== was.userName ? { username: wanted.userName } : {}),
    ...(wanted.email.toLowerCase() !== was.email ? { email: wanted.email } : {}),
    ...(wanted.externalId !== was.externalId ? { externalId: wanted.externalId } : {}),
  };
  if (edit.username !== undefined) refuseEmailUserName(edit.username);
  if (Object.keys(edit).length === 0 && wanted.active === was.active) return;
  await act(request, () =>
    runAction(request.deps.services, updateProvisionedAccount, request.actor, {
      account: current.id,
      expectedVersion: current.version,
      edit,
      active: wanted.active,
    }),
  );
}

/** Roster's usernames hold no @ (a login with one is an email), so an identity provider maps userName to a username. */
function refuseEmailUserName(userName: string): void {
  if (userName.includes('@'))
    throw new ScimError(
      'invalidValue',
      `userName “${userName}” looks like an email; Roster's userName is the username (no @): map it to the part before the @.`,
    );
}

async function readUser(request: ScimRequest, id: string): Promise<ScimUserRow> {
  return act(request, () => runAction(request.deps.services, scimUser, request.actor, { accountId: id }));
}

/** RFC 7644 §3.14: a change with If-Match applies only to the version the client saw. */
function checkIfMatch(request: ScimRequest, current: ScimUserRow): void {
  const ifMatch = request.req.headers['if-match'];
  if (ifMatch === undefined || ifMatch.trim() === '*') return;
  const etags = ifMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (!etags.includes(`"${current.version}"`)) throw new ScimAnswer(412, `The User has changed: its version is ${userEtag(current.version)}; read it again.`);
}

/** Runs an action, turning its refusal into the SCIM error a client can act on. */
async function act<T>(request: ScimRequest, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof RefusedError)) throw error;
    throw refusalAnswer(error, request.req.headers['if-match'] !== undefined);
  }
}

function refusalAnswer(error: RefusedError, ifMatch: boolean): ScimAnswer {
  const field = error instanceof FieldRefusedError ? error.field : undefined;
  switch (error.code) {
    case 'not-found':
      return new ScimAnswer(404, error.userMessage);
    case 'forbidden':
      return new ScimAnswer(403, error.userMessage);
    case 'invalid-input':
      return new ScimAnswer(400, error.userMessage, field === 'filter' ? 'invalidFilter' : 'invalidValue');
    case 'invalid-state':
      return new ScimAnswer(409, error.userMessage);
    case 'conflict':
      if (field === 'email' || field === 'username' || field === 'externalId' || /duplicate/.test(error.userMessage))
        return new ScimAnswer(409, error.userMessage, 'uniqueness');
      return new ScimAnswer(ifMatch ? 412 : 409, error.userMessage);
  }
}

function wholeNumber(text: string | null, fallback: number, name: string): number {
  if (text === null || text === '') return fallback;
  if (!/^-?\d{1,9}$/.test(text)) throw new ScimAnswer(400, `${name} must be a whole number.`, 'invalidValue');
  return Number(text);
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!/^application\/(scim\+)?json\b/i.test(req.headers['content-type'] ?? '')) throw new ScimAnswer(415, `Send the body as ${SCIM_CONTENT_TYPE}.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT_BYTES) throw new ScimAnswer(413, `The body must be at most ${BODY_LIMIT_BYTES} bytes.`);
    chunks.push(chunk as Buffer);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ScimAnswer(400, 'The body is not JSON.', 'invalidSyntax');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ScimAnswer(400, 'The body must be a JSON object.', 'invalidSyntax');
  return value as Record<string, unknown>;
}

function sendUser(request: ScimRequest, status: number, row: ScimUserRow): void {
  request.res.setHeader('etag', userEtag(row.version));
  send(request.res, status, userResource(row, request.baseUrl));
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': SCIM_CONTENT_TYPE, 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, answer: ScimAnswer | ScimError): void {
  const status = answer instanceof ScimAnswer ? answer.status : 400;
  const headers = answer instanceof ScimAnswer ? answer.headers : {};
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  send(res, status, { schemas: [ERROR_SCHEMA], status: String(status), ...(answer.scimType ? { scimType: answer.scimType } : {}), detail: answer.message });
}
