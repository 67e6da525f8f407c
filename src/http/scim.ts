import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { runAction } from '../actions/action.ts';
import { createAccount } from '../actions/accounts/createAccount.ts';
import { deactivateAccount } from '../actions/accounts/deactivateAccount.ts';
import { requestDeletion } from '../actions/approvals/requestDeletion.ts';
import { SCIM_MAX_RESULTS, scimUser, scimUsers } from '../actions/scim/scimUsers.ts';
import { PROVISIONED_REASON, updateProvisionedAccount } from '../actions/scim/updateProvisionedAccount.ts';
import type { ScimUserRow } from '../db/scimUsers.ts';
import { RefusedError } from '../domain/errors.ts';
import { parseProjection, project } from '../domain/scimAttributes.ts';
import { ScimError } from '../domain/scimFilter.ts';
import { applyPatch, patchOperations, userFromResource, type ScimUserFields } from '../domain/scimUser.ts';
import { withLogFields } from '../logger.ts';
import { act, checkIfMatch, readBody, ScimAnswer, send, sendError, wholeNumber, type ScimDeps, type ScimRequest } from './scimExchange.ts';
import { createGroup, deleteGroup, getGroup, listGroups, patchGroup, replaceGroup } from './scimGroups.ts';
import { listResponse, resourceTypes, SCIM_BASE_PATH, schemas, serviceProviderConfig, userFields, userResource, weakEtag } from './scimResources.ts';

/** How many Users a list returns when the client names no `count`. */
const DEFAULT_COUNT = 100;

/** `/scim/v2/...`: SCIM 2.0 provisioning of an organisation's Users and Groups by its identity provider, with a token of scope `scim`. */
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
  // The token's check and its rate limit go side by side, one round trip each at once. The limit counts per token
  // presented (the limiter keeps only a digest of it), so a wrong token spends its own budget, never a real one's.
  const [actor, limit] = bearer ? await Promise.all([deps.apiActors.actorForToken(bearer), deps.limiter.take('scim-token', bearer)]) : [];
  if (!actor)
    throw new ScimAnswer(401, 'Send an API token of your organisation with the scim scope as "Authorization: Bearer <token>".', undefined, {
      'www-authenticate': 'Bearer',
    });
  if (!actor.scopes?.includes('scim')) throw new ScimAnswer(403, 'This API token does not have the scim scope; create one with --scope scim.');
  if (limit && !limit.allowed) {
    throw new ScimAnswer(429, `Too many SCIM requests with this token; try again in ${limit.retryAfterSeconds} s.`, undefined, {
      'retry-after': String(limit.retryAfterSeconds),
    });
  }

  const url = new URL(req.url ?? '/', 'http://roster.invalid');
  const segments = url.pathname.slice(SCIM_BASE_PATH.length).split('/').filter(Boolean).map(decodeURIComponent);
  const request: ScimRequest = {
    deps,
    req,
    res,
    actor,
    baseUrl: deps.publicUrl?.replace(/\/$/, '') ?? `http://${req.headers.host ?? 'localhost'}`,
    projection: parseProjection(url.searchParams.get('attributes'), url.searchParams.get('excludedAttributes')),
  };
  const [resource, id, ...more] = segments;
  const method = req.method ?? 'GET';
  if (more.length === 0 && method === 'GET') {
    if (resource === 'ServiceProviderConfig' && !id) return send(res, 200, serviceProviderConfig(request.baseUrl, SCIM_MAX_RESULTS));
    if (resource === 'ResourceTypes') return sendDiscovery(res, id, resourceTypes(request.baseUrl));
    if (resource === 'Schemas') return sendDiscovery(res, id, schemas(request.baseUrl));
  }
  if (resource === 'Users' && more.length === 0) {
    if (!id && method === 'GET') return listUsers(request, url.searchParams);
    if (!id && method === 'POST') return createUser(request);
    if (id && method === 'GET') return getUser(request, id);
    if (id && method === 'PUT') return replaceUser(request, id);
    if (id && method === 'PATCH') return patchUser(request, id);
    if (id && method === 'DELETE') return deleteUser(request, id);
  }
  if (resource === 'Groups' && more.length === 0) {
    if (!id && method === 'GET') return listGroups(request, url.searchParams);
    if (!id && method === 'POST') return createGroup(request);
    if (id && method === 'GET') return getGroup(request, id);
    if (id && method === 'PUT') return replaceGroup(request, id);
    if (id && method === 'PATCH') return patchGroup(request, id);
    if (id && method === 'DELETE') return deleteGroup(request, id);
  }
  throw new ScimAnswer(404, `Roster's SCIM API has no ${method} ${url.pathname}; it serves Users, Groups, ServiceProviderConfig, ResourceTypes and Schemas.`);
}

function sendDiscovery(res: ServerResponse, id: string | undefined, documents: Record<string, unknown>[]): void {
  if (id === undefined) {
    send(res, 200, listResponse(documents, documents.length, 1));
    return;
  }
  const document = documents.find((candidate) => candidate.id === id);
  if (!document) throw new ScimAnswer(404, `There is no “${id}” here; Roster serves ${documents.map((candidate) => candidate.id).join(' and ')}.`);
  send(res, 200, document);
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
      page.rows.map((row) => project(userResource(row, request.baseUrl), request.projection)),
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
  checkIfMatch(request, 'User', String(current.version));
  const wanted = userFromResource(await readBody(request.req));
  await applyChanges(request, current, wanted);
  sendUser(request, 200, await readUser(request, id));
}

async function patchUser(request: ScimRequest, id: string): Promise<void> {
  const current = await readUser(request, id);
  checkIfMatch(request, 'User', String(current.version));
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
  checkIfMatch(request, 'User', String(current.version));
  const { services } = request.deps;
  if (current.status !== 'DEACTIVATED')
    await act(request, () =>
      runAction(services, deactivateAccount, request.actor, { account: id, expectedVersion: current.version, reason: PROVISIONED_REASON }),
    );
  // 202: the deletion waits for a second person's approval (filed now, or already waiting). 204: it goes no further
  // than deactivated (an organisation that never deletes).
  let status = 202;
  try {
    await runAction(services, requestDeletion, request.actor, { account: id, reason: 'deleted in the identity provider (SCIM)' });
  } catch (error) {
    if (!(error instanceof RefusedError)) throw error;
    if (error.code !== 'conflict') status = 204;
  }
  request.res.writeHead(status, { 'cache-control': 'no-store' });
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

function sendUser(request: ScimRequest, status: number, row: ScimUserRow): void {
  request.res.setHeader('etag', weakEtag(row.version));
  send(request.res, status, project(userResource(row, request.baseUrl), request.projection));
}
