import type { TestRoster } from './testRoster.ts';

export interface ScimAnswer {
  status: number;
  body: any;
  headers: Headers;
}

/** Calls Roster's SCIM API as an identity provider would: `path` is under /scim/v2, a body is sent as application/scim+json. */
export async function scimOver(
  t: TestRoster,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ScimAnswer> {
  const response = await fetch(`http://127.0.0.1:${t.roster.port}/scim/v2${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

/** A filter as a query string. */
export function filterQuery(filter: string, more: Record<string, string> = {}): string {
  return `/Users?${new URLSearchParams({ filter, ...more }).toString()}`;
}

/** A User body as Okta sends it on create. */
export function scimUserBody(fields: { userName: string; givenName: string; familyName: string; email: string; externalId?: string; active?: boolean }) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: fields.userName,
    name: { givenName: fields.givenName, familyName: fields.familyName },
    emails: [{ primary: true, value: fields.email, type: 'work' }],
    displayName: `${fields.givenName} ${fields.familyName}`,
    ...(fields.externalId ? { externalId: fields.externalId } : {}),
    active: fields.active ?? true,
  };
}
