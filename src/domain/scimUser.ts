import { attributeKey, parseUserPath, ScimError, type UserFilter, type UserPath } from './scimFilter.ts';

/**
 * A SCIM User as Roster keeps it: what a POST or PUT body says, and what a PATCH's operations make of the current
 * one (RFC 7644 §3.3, §3.5.1, §3.5.2). Pure. The displayName is derived (given and family name), so what an identity
 * provider sends for it is ignored, as RFC 7643 says of read-only attributes.
 */
export interface ScimUserFields {
  userName: string;
  givenName: string;
  familyName: string;
  email: string;
  active: boolean;
  externalId: string | null;
}

/** The single email Roster keeps is the work address and the primary one. */
export const EMAIL_TYPE = 'work';

type Json = Record<string, unknown>;

/** The fields of a POST or PUT body; unknown attributes are ignored (an identity provider sends what it maps). */
export function userFromResource(body: Json): ScimUserFields {
  const name = objectOrEmpty(field(body, 'name'), 'name');
  const userName = requiredString(field(body, 'userName'), 'userName');
  const email = primaryEmail(field(body, 'emails'));
  const active = field(body, 'active');
  return {
    userName,
    givenName: requiredString(field(name, 'givenName'), 'name.givenName'),
    familyName: requiredString(field(name, 'familyName'), 'name.familyName'),
    email: email ?? invalid('emails must hold the work email (one value with "primary": true).'),
    active: active === undefined ? true : booleanValue(active, 'active'),
    externalId: optionalString(field(body, 'externalId'), 'externalId'),
  };
}

export interface PatchOperation {
  op: string;
  path?: string;
  value?: unknown;
}

/** The body of a PATCH request: its operations, each with op add, replace or remove in any case (Entra ID capitalises). */
export function patchOperations(body: Json): PatchOperation[] {
  const operations = field(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0)
    throw new ScimError('invalidSyntax', 'A PATCH body holds "Operations": a list of {op, path, value}.');
  return operations.map((operation, i) => {
    if (typeof operation !== 'object' || operation === null || Array.isArray(operation))
      throw new ScimError('invalidSyntax', `Operation ${i + 1} is not an object.`);
    const { op, path, value } = operation as Json;
    if (typeof op !== 'string') throw new ScimError('invalidSyntax', `Operation ${i + 1} needs "op": add, replace or remove.`);
    if (path !== undefined && typeof path !== 'string') throw new ScimError('invalidPath', `Operation ${i + 1}'s "path" must be a string.`);
    return { op, ...(path === undefined ? {} : { path }), value };
  });
}

/** The user after the operations, applied in order to `current`; a failing operation fails the whole PATCH. */
export function applyPatch(current: ScimUserFields, operations: readonly PatchOperation[]): ScimUserFields {
  let user = { ...current };
  for (const operation of operations) {
    const op = operation.op.toLowerCase();
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      throw new ScimError('invalidSyntax', `“${operation.op}” is not a PATCH op; use add, replace or remove.`);
    if (op === 'remove') {
      if (operation.path === undefined) throw new ScimError('noTarget', 'A remove operation needs a "path".');
      const path = parsePath(operation.path);
      if (path) user = removeAt(user, path);
    } else if (operation.path === undefined) {
      const value = operation.value;
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new ScimError('invalidValue', `An ${op} without a "path" takes an object of attributes as its "value".`);
      for (const [key, attributeValue] of Object.entries(value as Json)) user = setAt(user, pathOrIgnored(key), attributeValue);
    } else {
      user = setAt(user, parsePath(operation.path), operation.value);
    }
  }
  return user;
}

/** Keys of a path-less value object (Entra ID sends `{"name.givenName": ..., "active": "False"}`); unknown ones are ignored, as in a PUT. */
function pathOrIgnored(key: string): UserPath | undefined {
  try {
    return parseUserPath(key);
  } catch {
    return undefined;
  }
}

/**
 * RFC 7643's User attributes that Roster does not keep, and the enterprise extension: a PATCH of them is ignored, as
 * in a POST or PUT, so an identity provider's default attribute mapping works without removing them one by one.
 */
const NOT_KEPT = new Set([
  'nickname',
  'profileurl',
  'title',
  'usertype',
  'preferredlanguage',
  'locale',
  'timezone',
  'phonenumbers',
  'ims',
  'photos',
  'addresses',
  'entitlements',
  'roles',
  'x509certificates',
  'name.middlename',
  'name.honorificprefix',
  'name.honorificsuffix',
]);
const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user';

function isNotKept(path: string): boolean {
  const key = attributeKey(path.trim());
  return key.startsWith(ENTERPRISE_SCHEMA) || NOT_KEPT.has(key) || NOT_KEPT.has(key.split(/[[.]/)[0]!);
}

function parsePath(path: string): UserPath | undefined {
  if (isNotKept(path)) return undefined;
  try {
    return parseUserPath(path);
  } catch (error) {
    if (error instanceof ScimError) throw new ScimError('invalidPath', `The path “${path}”: ${error.message}`);
    throw error;
  }
}

const READ_ONLY = new Set<UserPath['attribute']>(['id', 'created', 'lastModified', 'emailType', 'emailPrimary']);

function setAt(user: ScimUserFields, path: UserPath | undefined, value: unknown): ScimUserFields {
  if (!path || path.attribute === 'displayName') return user;
  if (READ_ONLY.has(path.attribute)) throw new ScimError('mutability', `${path.attribute} is read-only.`);
  if (path.valueFilter && !matchesWorkEmail(path.valueFilter))
    throw new ScimError('noTarget', 'No email of this account matches that filter; Roster keeps the work email.');
  switch (path.attribute) {
    case 'userName':
      return { ...user, userName: requiredString(value, 'userName') };
    case 'givenName':
      return { ...user, givenName: requiredString(value, 'name.givenName') };
    case 'familyName':
      return { ...user, familyName: requiredString(value, 'name.familyName') };
    case 'externalId':
      return { ...user, externalId: optionalString(value, 'externalId') };
    case 'active':
      return { ...user, active: booleanValue(value, 'active') };
    case 'email':
      return { ...user, email: requiredString(value, 'emails.value') };
    case 'emails':
      return {
        ...user,
        email: path.valueFilter ? requiredString(field(objectOrEmpty(value, 'emails'), 'value'), 'emails.value') : (primaryEmail(value) ?? user.email),
      };
    case 'name': {
      const name = objectOrEmpty(value, 'name');
      const givenName = field(name, 'givenName');
      const familyName = field(name, 'familyName');
      return {
        ...user,
        ...(givenName === undefined ? {} : { givenName: requiredString(givenName, 'name.givenName') }),
        ...(familyName === undefined ? {} : { familyName: requiredString(familyName, 'name.familyName') }),
      };
    }
    default:
      throw new ScimError('mutability', `${path.attribute} cannot be set.`);
  }
}

function removeAt(user: ScimUserFields, path: UserPath): ScimUserFields {
  if (path.attribute === 'externalId') return { ...user, externalId: null };
  if (path.attribute === 'displayName') return user;
  if (READ_ONLY.has(path.attribute)) throw new ScimError('mutability', `${path.attribute} is read-only.`);
  throw new ScimError('invalidValue', `${path.attribute} is required; it can be replaced, not removed.`);
}

/** Whether a value filter under emails selects Roster's one email (the work address, primary): checked on its type and primary only. */
function matchesWorkEmail(filter: UserFilter): boolean {
  switch (filter.kind) {
    case 'and':
      return matchesWorkEmail(filter.left) && matchesWorkEmail(filter.right);
    case 'or':
      return matchesWorkEmail(filter.left) || matchesWorkEmail(filter.right);
    case 'not':
      return !matchesWorkEmail(filter.filter);
    case 'present':
      return true;
    case 'compare':
      if (filter.attribute === 'emailType') return compareText(EMAIL_TYPE, filter.op, String(filter.value).toLowerCase());
      if (filter.attribute === 'emailPrimary') return (filter.op === 'eq') === (filter.value === true);
      return true;
  }
}

function compareText(actual: string, op: string, expected: string): boolean {
  if (op === 'eq') return actual === expected;
  if (op === 'ne') return actual !== expected;
  if (op === 'co') return actual.includes(expected);
  if (op === 'sw') return actual.startsWith(expected);
  if (op === 'ew') return actual.endsWith(expected);
  return false;
}

/** The primary email of an `emails` list (or its only or work one); undefined when it holds none. */
function primaryEmail(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new ScimError('invalidValue', 'emails is a list of {value, type, primary}.');
  const emails = value.map((entry) => objectOrEmpty(entry, 'emails'));
  const chosen = emails.find((entry) => booleanOr(field(entry, 'primary'))) ?? emails.find((entry) => field(entry, 'type') === EMAIL_TYPE) ?? emails[0];
  return chosen ? requiredString(field(chosen, 'value'), 'emails.value') : undefined;
}

/** An attribute of a JSON object by its case-insensitive name (RFC 7643 §2.1). */
function field(object: Json, name: string): unknown {
  if (name in object) return object[name];
  const folded = name.toLowerCase();
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === folded);
  return key === undefined ? undefined : object[key];
}

function objectOrEmpty(value: unknown, name: string): Json {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ScimError('invalidValue', `${name} must be an object.`);
  return value as Json;
}

function requiredString(value: unknown, name: string): string {
  if (typeof value !== 'string' || !value.trim()) return invalid(`${name} is required and must be a non-empty string.`);
  return value;
}

function optionalString(value: unknown, name: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return invalid(`${name} must be a string.`);
  return value.trim() ? value : null;
}

/** true or false, also as Entra ID sends them: the strings "True" and "False". */
function booleanValue(value: unknown, name: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return invalid(`${name} must be true or false.`);
}

function booleanOr(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

function invalid(message: string): never {
  throw new ScimError('invalidValue', message);
}
