import { runAction } from '../actions/action.ts';
import { addToGroup } from '../actions/groups/addToGroup.ts';
import { createGroup as createRosterGroup } from '../actions/groups/createGroup.ts';
import { deleteGroup as deleteRosterGroup } from '../actions/groups/deleteGroup.ts';
import { removeFromGroup } from '../actions/groups/removeFromGroup.ts';
import { renameGroup } from '../actions/groups/renameGroup.ts';
import { setGroupExternalId } from '../actions/groups/setGroupExternalId.ts';
import { scimGroup, scimGroups, scimMembersCheck } from '../actions/scim/scimGroups.ts';
import { PROVISIONED_REASON } from '../actions/scim/updateProvisionedAccount.ts';
import type { ScimGroupRow } from '../db/scimGroups.ts';
import { includes, project } from '../domain/scimAttributes.ts';
import { applyGroupPatch, groupFromResource, type ScimGroupFields } from '../domain/scimGroup.ts';
import { ScimError } from '../domain/scimFilter.ts';
import { patchOperations } from '../domain/scimUser.ts';
import { act, checkIfMatch, readBody, send, wholeNumber, type ScimRequest } from './scimExchange.ts';
import { groupResource, listResponse, SCIM_BASE_PATH, weakEtag } from './scimResources.ts';

/**
 * `/scim/v2/Groups`: an identity provider's groups as Roster groups of the token's organisation. Every change is one of
 * the group actions Slack and the CLI run (create, rename, external ID, add, remove, delete), with the token as actor,
 * so the same guards refuse what they refuse there: a group's owner does not leave it, a member is of its organisation.
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
  const { services } = request.deps;
  await checkMembers(request, wanted.members);
  const created = await act(request, () =>
    runAction(services, createRosterGroup, request.actor, {
      name: wanted.displayName,
      ...(wanted.externalId === null ? {} : { externalId: wanted.externalId }),
      organisation: request.actor.organisationSlug,
      reason: PROVISIONED_REASON,
    }),
  );
  const groupId = created.groupId!;
  for (const member of wanted.members)
    await act(request, () => runAction(services, addToGroup, request.actor, { account: member, group: groupId, reason: PROVISIONED_REASON }));
  const row = await readGroup(request, groupId, true);
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

/**
 * What differs from the group as it is, each change one action of its own. What is refused most often goes first, so
 * a refusal leaves the group as it was: the members added are checked before anything changes, and the owner's
 * removal (refused by removeFromGroup's guard) runs before any other change.
 */
async function applyChanges(request: ScimRequest, current: ScimGroupRow, wanted: ScimGroupFields): Promise<void> {
  const { services } = request.deps;
  const { actor } = request;
  const had = new Set((current.members ?? []).map((member) => member.value));
  const keeps = new Set(wanted.members);
  const adds = wanted.members.filter((memberId) => !had.has(memberId));
  const removes = [...had].filter((memberId) => !keeps.has(memberId)).sort((a, b) => Number(b === current.ownerId) - Number(a === current.ownerId));
  if (wanted.externalId === null && current.externalId !== null)
    throw new ScimError('mutability', "Roster keeps a group's external ID once it is set; replace it with another instead of removing it.");
  await checkMembers(request, adds);
  const group = current.id;
  const reason = PROVISIONED_REASON;
  if (removes[0] === current.ownerId) await act(request, () => runAction(services, removeFromGroup, actor, { account: removes.shift()!, group, reason }));
  if (wanted.displayName !== current.name) await act(request, () => runAction(services, renameGroup, actor, { group, name: wanted.displayName, reason }));
  if (wanted.externalId !== null && wanted.externalId !== current.externalId)
    await act(request, () => runAction(services, setGroupExternalId, actor, { group, externalId: wanted.externalId!, reason }));
  for (const account of removes) await act(request, () => runAction(services, removeFromGroup, actor, { account, group, reason }));
  for (const account of adds) await act(request, () => runAction(services, addToGroup, actor, { account, group, reason }));
}

async function checkMembers(request: ScimRequest, userIds: readonly string[]): Promise<void> {
  if (userIds.length > 0) await act(request, () => runAction(request.deps.services, scimMembersCheck, request.actor, { userIds: [...userIds] }));
}

async function readGroup(request: ScimRequest, id: string, withMembers: boolean): Promise<ScimGroupRow> {
  return act(request, () => runAction(request.deps.services, scimGroup, request.actor, { groupId: id, withMembers }));
}

function sendGroup(request: ScimRequest, status: number, row: ScimGroupRow): void {
  request.res.setHeader('etag', weakEtag(row.version));
  send(request.res, status, project(groupResource(row, request.baseUrl), request.projection));
}
