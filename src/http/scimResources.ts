import type { ScimGroupRow } from '../db/scimGroups.ts';
import type { ScimUserRow } from '../db/scimUsers.ts';
import { GROUP_SCHEMA, USER_SCHEMA } from '../domain/scimFilter.ts';
import { EMAIL_TYPE, type ScimUserFields } from '../domain/scimUser.ts';

/** What SCIM clients see of Roster (RFC 7643, RFC 7644): Users, Groups and the documents that describe what is built. */
export const SCIM_BASE_PATH = '/scim/v2';
export const SCIM_CONTENT_TYPE = 'application/scim+json';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** A weak ETag from a resource's version (an account's; a group's with its members): it changes with every change to it. */
export function weakEtag(version: number | string): string {
  return `W/"${version}"`;
}

/** A row's SCIM fields, as PUT and PATCH start from them. */
export function userFields(row: ScimUserRow): ScimUserFields {
  return {
    userName: row.username,
    givenName: row.firstName,
    familyName: row.lastName,
    email: row.email,
    active: row.status !== 'DEACTIVATED',
    externalId: row.externalId,
  };
}

export function userResource(row: ScimUserRow, baseUrl: string): Record<string, unknown> {
  const fields = userFields(row);
  const displayName = `${row.firstName} ${row.lastName}`;
  return {
    schemas: [USER_SCHEMA],
    id: row.id,
    ...(row.externalId === null ? {} : { externalId: row.externalId }),
    userName: fields.userName,
    name: { givenName: fields.givenName, familyName: fields.familyName, formatted: displayName },
    displayName,
    emails: [{ value: fields.email, type: EMAIL_TYPE, primary: true }],
    active: fields.active,
    meta: {
      resourceType: 'User',
      created: row.createdAt.toISOString(),
      lastModified: row.updatedAt.toISOString(),
      location: `${baseUrl}${SCIM_BASE_PATH}/Users/${row.id}`,
      version: weakEtag(row.version),
    },
  };
}

export function listResponse(resources: unknown[], total: number, startIndex: number): Record<string, unknown> {
  return { schemas: [LIST_SCHEMA], totalResults: total, startIndex, itemsPerPage: resources.length, Resources: resources };
}

/** RFC 7644 §5: what is built, and only that (no bulk, sorting or password changes). */
export function serviceProviderConfig(baseUrl: string, maxResults: number): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    documentationUri: `${baseUrl}${SCIM_BASE_PATH}`,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: 'A Roster API token with the scim scope: npm run roster -- token create --org <slug> --scope scim',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}${SCIM_BASE_PATH}/ServiceProviderConfig` },
  };
}

export function groupResource(row: ScimGroupRow, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [GROUP_SCHEMA],
    id: row.id,
    ...(row.externalId === null ? {} : { externalId: row.externalId }),
    displayName: row.name,
    ...(row.members
      ? {
          members: row.members.map((member) => ({
            value: member.value,
            display: member.display,
            $ref: `${baseUrl}${SCIM_BASE_PATH}/Users/${member.value}`,
            type: 'User',
          })),
        }
      : {}),
    meta: {
      resourceType: 'Group',
      created: row.createdAt.toISOString(),
      lastModified: row.lastModified.toISOString(),
      location: `${baseUrl}${SCIM_BASE_PATH}/Groups/${row.id}`,
      version: weakEtag(row.version),
    },
  };
}

function resourceType(baseUrl: string, name: 'User' | 'Group', schema: string, description: string): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id: name,
    name,
    endpoint: `/${name}s`,
    description,
    schema,
    schemaExtensions: [],
    meta: { resourceType: 'ResourceType', location: `${baseUrl}${SCIM_BASE_PATH}/ResourceTypes/${name}` },
  };
}

/** The resource types Roster serves, by id: what /ResourceTypes and /Schemas list. */
export function resourceTypes(baseUrl: string): Record<string, unknown>[] {
  return [resourceType(baseUrl, 'User', USER_SCHEMA, 'A Roster account'), resourceType(baseUrl, 'Group', GROUP_SCHEMA, 'A Roster group of accounts')];
}

export function schemas(baseUrl: string): Record<string, unknown>[] {
  return [userSchema(baseUrl), groupSchema(baseUrl)];
}

interface AttributeDefinition {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'dateTime' | 'reference';
  required?: boolean;
  caseExact?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'immutable';
  uniqueness?: 'none' | 'server' | 'global';
  multiValued?: boolean;
  description: string;
  subAttributes?: AttributeDefinition[];
}

function attribute(definition: AttributeDefinition): Record<string, unknown> {
  return {
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...definition,
    ...(definition.subAttributes ? { subAttributes: definition.subAttributes.map(attribute) } : {}),
  };
}

/** The User schema as Roster keeps it: the attributes it stores, no others. */
function userSchema(baseUrl: string): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    id: USER_SCHEMA,
    name: 'User',
    description: 'A Roster account',
    attributes: [
      attribute({
        name: 'userName',
        type: 'string',
        required: true,
        uniqueness: 'global',
        description: "The account's username: 2-100 letters, digits, dots, dashes or underscores, unique across Roster.",
      }),
      attribute({
        name: 'name',
        type: 'complex',
        required: true,
        description: "The person's name.",
        subAttributes: [
          { name: 'givenName', type: 'string', required: true, description: 'First name.' },
          { name: 'familyName', type: 'string', required: true, description: 'Last name.' },
          { name: 'formatted', type: 'string', mutability: 'readOnly', description: 'Given and family name.' },
        ],
      }),
      attribute({ name: 'displayName', type: 'string', mutability: 'readOnly', description: 'Given and family name; what is sent for it is ignored.' }),
      attribute({
        name: 'emails',
        type: 'complex',
        multiValued: true,
        required: true,
        description: 'One work email, the primary one, unique across Roster.',
        subAttributes: [
          { name: 'value', type: 'string', required: true, uniqueness: 'global', description: 'The email address.' },
          { name: 'type', type: 'string', mutability: 'readOnly', description: 'Always "work".' },
          { name: 'primary', type: 'boolean', mutability: 'readOnly', description: 'Always true.' },
        ],
      }),
      attribute({
        name: 'active',
        type: 'boolean',
        description:
          'false: the account is DEACTIVATED; true reactivates it (INVITED if it never signed in, LOCKED_OUT again if it was locked out by wrong passwords).',
      }),
      attribute({
        name: 'externalId',
        type: 'string',
        caseExact: true,
        description: "The identity provider's own ID for the person, unique within the organisation.",
      }),
    ],
    meta: { resourceType: 'Schema', location: `${baseUrl}${SCIM_BASE_PATH}/Schemas/${USER_SCHEMA}` },
  };
}

/** The Group schema as Roster keeps it: a name, an external ID and members that are Users of the same organisation. */
function groupSchema(baseUrl: string): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    id: GROUP_SCHEMA,
    name: 'Group',
    description: 'A Roster group of accounts',
    attributes: [
      attribute({
        name: 'displayName',
        type: 'string',
        required: true,
        uniqueness: 'server',
        description: "The group's name: at most 200 characters, unique within the organisation in any case.",
      }),
      attribute({
        name: 'externalId',
        type: 'string',
        caseExact: true,
        uniqueness: 'server',
        description: "The identity provider's own ID for the group, unique within the organisation.",
      }),
      attribute({
        name: 'members',
        type: 'complex',
        multiValued: true,
        description: "The group's members: Users of its organisation. Removing the group's owner is refused; give the group another owner in Roster first.",
        subAttributes: [
          { name: 'value', type: 'string', caseExact: true, mutability: 'immutable', description: 'The id of a User.' },
          { name: 'display', type: 'string', mutability: 'readOnly', description: "The User's full name." },
          { name: '$ref', type: 'reference', mutability: 'readOnly', description: 'The URI of the User.' },
          { name: 'type', type: 'string', mutability: 'readOnly', description: 'Always "User".' },
        ],
      }),
    ],
    meta: { resourceType: 'Schema', location: `${baseUrl}${SCIM_BASE_PATH}/Schemas/${GROUP_SCHEMA}` },
  };
}
