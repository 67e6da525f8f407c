import { attributeKey, GROUP_SCHEMA, parseGroupPath, ScimError, type GroupFilter, type GroupPath } from './scimFilter.ts';
import type { PatchOperation } from './scimUser.ts';

/**
 * A SCIM Group as Roster keeps it (RFC 7643 §4.2, RFC 7644 §3.5.2): a name, an external ID and its members by User id,
 * as a POST or PUT body says and as a PATCH's operations make of the current group. Pure.
 */
export interface ScimGroupFields {
  displayName: string;
  externalId: string | null;
  /** Member User ids, folded to lower case (they are UUIDs), each once, in the order they were named. */
  members: string[];
}

/** A member as a group shows it: a value filter on members (`members[display co "ann"]`) reads both. */
export interface ScimMember {
  value: string;
  display: string;
}

type Json = Record<string, unknown>;

/** The fields of a POST or PUT body; no `members` is no members (a PUT replaces them all). */
export function groupFromResource(body: Json): ScimGroupFields {
  return {
    displayName: displayNameOf(field(body, 'displayName')),
    externalId: externalIdOf(field(body, 'externalId')),
    members: memberIds(field(body, 'members') ?? []),
  };
}

/** The group after the operations, applied in order; a failing operation fails the whole PATCH. */
export function applyGroupPatch(
  current: { displayName: string; externalId: string | null; members: readonly ScimMember[] },
  operations: readonly PatchOperation[],
) {
  const displays = new Map(current.members.map((member) => [member.value.toLowerCase(), member.display]));
  let group: ScimGroupFields = { displayName: current.displayName, externalId: current.externalId, members: current.members.map((m) => m.value.toLowerCase()) };
  for (const operation of operations) {
    const op = operation.op.toLowerCase();
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      throw new ScimError('invalidSyntax', `“${operation.op}” is not a PATCH op; use add, replace or remove.`);
    if (operation.path === undefined) {
      if (op === 'remove') throw new ScimError('noTarget', 'A remove operation needs a "path", such as members[value eq "<user id>"].');
      const value = operation.value;
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new ScimError('invalidValue', `An ${op} without a "path" takes an object of attributes as its "value".`);
      for (const [key, attributeValue] of Object.entries(value as Json)) {
        const path = pathOrIgnored(key);
        if (path) group = setAt(group, op, path, attributeValue, displays);
      }
      continue;
    }
    const path = parsePath(operation.path);
    group = op === 'remove' ? removeAt(group, path, operation.value, displays) : setAt(group, op, path, operation.value, displays);
  }
  return group;
}

/** Keys of a path-less value object (Okta renames with `{"id": ..., "displayName": ...}`): what is not a Group attribute is ignored. */
function pathOrIgnored(key: string): GroupPath | undefined {
  if (['id', 'schemas', 'meta'].includes(attributeKey(key, GROUP_SCHEMA))) return undefined;
  try {
    return parseGroupPath(key);
  } catch {
    return undefined;
  }
}

function parsePath(path: string): GroupPath {
  try {
    return parseGroupPath(path);
  } catch (error) {
    if (error instanceof ScimError) throw new ScimError('invalidPath', `The path “${path}”: ${error.message}`);
    throw error;
  }
}

function setAt(group: ScimGroupFields, op: 'add' | 'replace', path: GroupPath, value: unknown, displays: ReadonlyMap<string, string>): ScimGroupFields {
  switch (path.attribute) {
    case 'displayName':
      return { ...group, displayName: displayNameOf(value) };
    case 'externalId':
      return { ...group, externalId: externalIdOf(value) };
    case 'members':
    case 'memberValue': {
      const named = memberIds(value);
      if (path.valueFilter) {
        // `replace members[value eq "x"]` with another member: the matched ones leave, the named ones join.
        const kept = group.members.filter((id) => !matchesMember(path.valueFilter!, id, displays));
        return { ...group, members: unique([...kept, ...named]) };
      }
      return { ...group, members: op === 'replace' ? named : unique([...group.members, ...named]) };
    }
    default:
      throw new ScimError('mutability', `${path.attribute} is read-only.`);
  }
}

/**
 * RFC 7644 §3.5.2.2: `members[value eq "x"]` removes the members it selects; `members` with a value (Entra ID's
 * `[{"value": "x"}]`) removes those; `members` alone removes every member.
 */
function removeAt(group: ScimGroupFields, path: GroupPath, value: unknown, displays: ReadonlyMap<string, string>): ScimGroupFields {
  switch (path.attribute) {
    case 'externalId':
      return { ...group, externalId: null };
    case 'displayName':
      throw new ScimError('invalidValue', 'displayName is required; it can be replaced, not removed.');
    case 'members':
    case 'memberValue': {
      if (path.valueFilter) return { ...group, members: group.members.filter((id) => !matchesMember(path.valueFilter!, id, displays)) };
      if (value === undefined || value === null) return { ...group, members: [] };
      const leaving = new Set(memberIds(value));
      return { ...group, members: group.members.filter((id) => !leaving.has(id)) };
    }
    default:
      throw new ScimError('mutability', `${path.attribute} is read-only.`);
  }
}

/** Whether a value filter under members selects this member: by its value (the User id, exactly) or its display name. */
function matchesMember(filter: GroupFilter, id: string, displays: ReadonlyMap<string, string>): boolean {
  switch (filter.kind) {
    case 'and':
      return matchesMember(filter.left, id, displays) && matchesMember(filter.right, id, displays);
    case 'or':
      return matchesMember(filter.left, id, displays) || matchesMember(filter.right, id, displays);
    case 'not':
      return !matchesMember(filter.filter, id, displays);
    case 'present':
      return filter.attribute === 'memberValue' || (filter.attribute === 'memberDisplay' && Boolean(displays.get(id)));
    case 'compare': {
      if (filter.attribute === 'memberValue') return compareText(id, filter.op, String(filter.value).toLowerCase());
      if (filter.attribute === 'memberDisplay') return compareText((displays.get(id) ?? '').toLowerCase(), filter.op, String(filter.value).toLowerCase());
      throw new ScimError('invalidFilter', 'A filter on members selects by value or display.');
    }
  }
}

function compareText(actual: string, op: string, expected: string): boolean {
  switch (op) {
    case 'eq':
      return actual === expected;
    case 'ne':
      return actual !== expected;
    case 'co':
      return actual.includes(expected);
    case 'sw':
      return actual.startsWith(expected);
    case 'ew':
      return actual.endsWith(expected);
    default:
      throw new ScimError('invalidFilter', `A member is compared with eq, ne, co, sw or ew, not ${op}.`);
  }
}

/** The User ids of a members value: a list of `{value}` (or one such object), each once. */
function memberIds(value: unknown): string[] {
  if (value === null) return [];
  const entries = Array.isArray(value) ? value : [value];
  return unique(
    entries.map((entry) => {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
        throw new ScimError('invalidValue', 'members is a list of {"value": "<user id>"}.');
      const id = field(entry as Json, 'value');
      if (typeof id !== 'string' || !id.trim()) throw new ScimError('invalidValue', 'Each member needs "value": the id of a User.');
      return id.trim().toLowerCase();
    }),
  );
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

function displayNameOf(value: unknown): string {
  if (typeof value !== 'string' || !value.trim()) throw new ScimError('invalidValue', 'displayName is required and must be a non-empty string.');
  if (value.trim().length > 200) throw new ScimError('invalidValue', 'displayName must be at most 200 characters.');
  return value.trim();
}

function externalIdOf(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new ScimError('invalidValue', 'externalId must be a string.');
  if (value.trim().length > 200) throw new ScimError('invalidValue', 'externalId must be at most 200 characters.');
  return value.trim() || null;
}

/** An attribute of a JSON object by its case-insensitive name (RFC 7643 §2.1). */
function field(object: Json, name: string): unknown {
  if (name in object) return object[name];
  const folded = name.toLowerCase();
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === folded);
  return key === undefined ? undefined : object[key];
}
