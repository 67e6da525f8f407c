import type { ScimUserRow } from '../db/scimUsers.ts';
import { USER_SCHEMA } from '../domain/scimFilter.ts';
import { EMAIL_TYPE, type ScimUserFields } from '../domain/scimUser.ts';

/** What SCIM clients see of Roster (RFC 7643, RFC 7644): Users and the documents that describe what is built. */
export const SCIM_BASE_PATH = '/scim/v2';
export const SCIM_CONTENT_TYPE = 'application/scim+json';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** A weak ETag from the account's version: it changes with every change Roster makes to the account. */
export function userEtag(version: number): string {
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
      version: userEtag(row.version),
    },
  };
}

export function listResponse(resources: unknown[], total: number, startIndex: number): Record<string, unknown> {
  return { schemas: [LIST_SCHEMA], totalResults: total, startIndex, itemsPerPage: resources.length, Resources: resources };
}

/** RFC 7644 §5: what is built, and only that (no Groups, bulk, sorting or password changes yet). */
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

export function userResourceType(baseUrl: string): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'A Roster account',
    schema: USER_SCHEMA,
    schemaExtensions: [],
    meta: { resourceType: 'ResourceType', location: `${baseUrl}${SCIM_BASE_PATH}/ResourceTypes/User` },
  };
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
export function userSchema(baseUrl: string): Record<string, unknown> {
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
      attribute({ name: 'active', type: 'boolean', description: 'false: the account is DEACTIVATED; true reactivates it.' }),
    ],
    meta: { resourceType: 'Schema', location: `${baseUrl}${SCIM_BASE_PATH}/Schemas/${USER_SCHEMA}` },
  };
}
