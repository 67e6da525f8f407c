import { runAction } from '../actions/action.ts';
import { deleteGroup as deleteRosterGroup } from '../actions/groups/deleteGroup.ts';
import { createProvisionedGroup, scimGroup, scimGroups, updateProvisionedGroup } from '../actions/scim/scimGroups.ts';
import { PROVISIONED_REASON } from '../actions/scim/updateProvisionedAccount.ts';
import type { ScimGroupRow } from '../db/scimGroups.ts';
import { includes, project } from '../domain/scimAttributes.ts';
import { applyGroupPatch, groupFromResource, type ScimGroupFields } from '../domain/scimGroup.ts';
import { ScimError } from '../domain/scimFilter.ts';
import { patchOperations } from '../domain/scimUser.ts';
import { act, checkIfMatch, readBody, send, wholeNumber, type ScimRequest } from './scimExchange.ts';
import { groupResource, listResponse, SCIM_BASE_PATH, weakEtag } from './scimResources.ts';

/**
 * `/scim/v2/Groups`: an identity provider's groups as Roster groups of the token's organisation. Each request's changes
 * are one transaction of the group actions Slack and the CLI run (create, rename, external ID, add, remove, delete),
 * with the token as actor, so the same guards refuse what they refuse there (a group's owner does not leave it, a
 * member is of its organisation) and a refused request changes nothing.
 */

const DEFAULT_COUNT = 100;

export async function listGroups(request: ScimRequest, query: URLSearchParams): Promise<void> {
  const startIndex = wholeNumber(query.get('startIndex'), 1, 'startIndex');
  const count = wholeNumber(query.get('count'), DEFAULT_COUNT, 'count');
  const page = await act(request, () =>
    runAction(request.deps.services, scimGroups, request.actor, {
      filter: query.get('filter') ?? undefined,
      startIndex: Math.max(1, startIndex),
      count: Math.max(0, count),
      withMembers: includes(request.projection, 'members'),
    }),
  );
  const resources = page.rows.map((row) => project(groupResource(row, request.baseUrl), request.projection));
  send(request.res, 200, listResponse(resources, page.total, page.startIndex));
}

export async function getGroup(request: ScimRequest, id: string): Promise<void> {
  sendGroup(request, 200, await readGroup(request, id, includes(request.projection, 'members')));
}

export async function createGroup(request: ScimRequest): Promise<void> {
  const wanted = groupFromResource(await readBody(request.req));
  const created = await act(request, () =>
    runAction(request.deps.services, createProvisionedGroup, request.actor, {
      name: wanted.displayName,
      ...(wanted.externalId === null ? {} : { externalId: wanted.externalId }),
      organisation: request.actor.organisationSlug,
      members: wanted.members,
    }),
  );
  const row = await readGroup(request, created.groupId!, true);
  request.res.setHeader('location', `${request.baseUrl}${SCIM_BASE_PATH}/Groups/${row.id}`);
  sendGroup(request, 201, row);
}

/** A PUT replaces the name and the members; an externalId it leaves out is kept (Okta's group push sends none). */
export async function replaceGroup(request: ScimRequest, id: string): Promise<void> {
  const current = await readGroup(request, id, true);
  checkIfMatch(request, 'Group', current.version);
  const wanted = groupFromResource(await readBody(request.req));
  await applyChanges(request, current, { ...wanted, externalId: wanted.externalId ?? current.externalId });
  sendGroup(request, 200, await readGroup(request, id, true));
}

export async function patchGroup(request: ScimRequest, id: string): Promise<void> {
  const current = await readGroup(request, id, true);
  checkIfMatch(request, 'Group', current.version);
  const wanted = applyGroupPatch(
    { displayName: current.name, externalId: current.externalId, members: current.members ?? [] },
    patchOperations(await readBody(request.req)),
  );
  await applyChanges(request, current, wanted);
  sendGroup(request, 200, await readGroup(request, id, includes(request.projection, 'members')));
}

/** Deletes the group as `group-delete` does: its members keep their accounts, its subgroups move up. */
export async function deleteGroup(request: ScimRequest, id: string): Promise<void> {
  const current = await readGroup(request, id, false);
  checkIfMatch(request, 'Group', current.version);
  await act(request, () => runAction(request.deps.services, deleteRosterGroup, request.actor, { group: id, reason: PROVISIONED_REASON }));
  request.res.writeHead(204, { 'cache-control': 'no-store' });
  request.res.end();
}

/** What differs from the group as it is, changed in one action. */
async function applyChanges(request: ScimRequest, current: ScimGroupRow, wanted: ScimGroupFields): Promise<void> {
  const had = new Set((current.members ?? []).map((member) => member.value));
  const keeps = new Set(wanted.members);
  if (wanted.externalId === null && current.externalId !== null)
    throw new ScimError('mutability', "Roster keeps a group's external ID once it is set; replace it with another instead of removing it.");
  const change = {
    ...(wanted.displayName !== current.name ? { name: wanted.displayName } : {}),
    ...(wanted.externalId !== null && wanted.externalId !== current.externalId ? { externalId: wanted.externalId } : {}),
    adds: wanted.members.filter((memberId) => !had.has(memberId)),
    removes: [...had].filter((memberId) => !keeps.has(memberId)),
  };
  if (change.name === undefined && change.externalId === undefined && change.adds.length + change.removes.length === 0) return;
  await act(request, () => runAction(request.deps.services, updateProvisionedGroup, request.actor, { group: current.id, ...change }));
}

async function readGroup(request: ScimRequest, id: string, withMembers: boolean): Promise<ScimGroupRow> {
  return act(request, () => runAction(request.deps.services, scimGroup, request.actor, { groupId: id, withMembers }));
}

function sendGroup(request: ScimRequest, status: number, row: ScimGroupRow): void {
  request.res.setHeader('etag', weakEtag(row.version));
  send(request.res, status, project(groupResource(row, request.baseUrl), request.projection));
}
