import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalRequest } from '../../src/db/entities/index.ts';
import { filterQuery, scimOver, scimUserBody } from '../support/scim.ts';
import { apiTokenFor, givePassword, signInOver } from '../support/signIn.ts';
import { startTestRoster, uniqueTag, type TestRoster } from '../support/testRoster.ts';

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

let t: TestRoster;
let token: string;

beforeAll(async () => {
  t = await startTestRoster({ ROSTER_SCIM_PER_TOKEN_PER_MINUTE: '100000' });
  await t.given.organisation('scim-a');
  token = (await apiTokenFor(t, 'scim-a', ['scim'])).raw;
});
afterAll(() => t?.stop());

/** A new User of scim-a, created over SCIM as Okta would; its SCIM body. */
async function provisioned(fields: Partial<Parameters<typeof scimUserBody>[0]> = {}, as = token) {
  const tag = uniqueTag();
  const created = await scimOver(
    t,
    as,
    'POST',
    '/Users',
    scimUserBody({ userName: `scim.${tag}`, givenName: 'Sam', familyName: `Scim${tag}`, email: `sam.${tag}@example.test`, ...fields }),
  );
  expect(created.status).toBe(201);
  return created.body;
}

function expectScimError(answer: { status: number; body: any; headers: Headers }, status: number, scimType?: string) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  expect(answer.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}) });
  expect(answer.body.detail).toMatch(/\w/);
}

describe('tokens and discovery', () => {
  it('asks for a token with the scim scope: none is 401, a sign-in token 403; a scim token cannot sign people in', async () => {
    expectScimError(await scimOver(t, null, 'GET', '/Users'), 401);
    const signInToken = (await apiTokenFor(t, 'scim-a')).raw;
    expectScimError(await scimOver(t, signInToken, 'GET', '/Users'), 403);
    const asScim = await signInOver(t, token, { login: 'nobody@example.test', password: 'whatever it is' });
    expect(asScim.status).toBe(403);
  });

  it('describes what is built: Users and Groups, patch, filter with maxResults, etag; no bulk or sort', async () => {
    const config = await scimOver(t, token, 'GET', '/ServiceProviderConfig');
    expect(config.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(config.body).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 200 },
      sort: { supported: false },
      etag: { supported: true },
      changePassword: { supported: false },
    });
    const types = await scimOver(t, token, 'GET', '/ResourceTypes');
    expect(types.body.Resources.map((type: any) => type.name)).toEqual(['User', 'Group']);
    const schemas = await scimOver(t, token, 'GET', '/Schemas');
    expect(schemas.body.Resources.map((schema: any) => schema.id)).toEqual([
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:core:2.0:Group',
    ]);
    const userSchema = schemas.body.Resources[0];
    expect(userSchema.attributes.map((attribute: any) => attribute.name)).toEqual(['userName', 'name', 'displayName', 'emails', 'active', 'externalId']);
    expectScimError(await scimOver(t, token, 'GET', '/Devices'), 404);
  });
});

describe('Users', () => {
  it('creates a User after looking it up as Okta does, with meta, an ETag and the change audited as the token', async () => {
    const tag = uniqueTag();
    const lookup = await scimOver(t, token, 'GET', filterQuery(`userName eq "okta.${tag}"`));
    expect(lookup.body).toMatchObject({ totalResults: 0, Resources: [] });

    const created = await scimOver(
      t,
      token,
      'POST',
      '/Users',
      scimUserBody({ userName: `Okta.${tag}`, givenName: 'Olga', familyName: 'Okta', email: `olga.${tag}@example.test`, externalId: `00u${tag}` }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      userName: `okta.${tag}`,
      name: { givenName: 'Olga', familyName: 'Okta' },
      displayName: 'Olga Okta',
      emails: [{ value: `olga.${tag}@example.test`, primary: true, type: 'work' }],
      active: true,
      externalId: `00u${tag}`,
      meta: { resourceType: 'User', version: 'W/"1"' },
    });
    expect(created.body.meta.location).toMatch(new RegExp(`/scim/v2/Users/${created.body.id}$`));
    expect(created.headers.get('location')).toBe(created.body.meta.location);
    expect(created.headers.get('etag')).toBe('W/"1"');

    const account = await t.read.account(created.body.id);
    expect(account).toMatchObject({ status: 'INVITED', externalId: `00u${tag}`, organisation: { slug: 'scim-a' } });
    const [event] = await t.given.audit({ targetId: account.id, action: 'create', outcome: 'done' });
    expect(event!.actorId).toMatch(/^api-token:roster_/);

    const again = await scimOver(t, token, 'GET', filterQuery(`userName eq "okta.${tag}"`));
    expect(again.body.totalResults).toBe(1);
    const got = await scimOver(t, token, 'GET', `/Users/${created.body.id}`);
    expect(got.body).toEqual(created.body);
  });

  it('refuses a duplicate userName or email with 409 uniqueness, creating nothing', async () => {
    const first = await provisioned();
    const byUserName = await scimOver(
      t,
      token,
      'POST',
      '/Users',
      scimUserBody({ userName: first.userName, givenName: 'Dup', familyName: 'Licate', email: `other.${uniqueTag()}@example.test` }),
    );
    expectScimError(byUserName, 409, 'uniqueness');
    const byEmail = await scimOver(
      t,
      token,
      'POST',
      '/Users',
      scimUserBody({ userName: `other.${uniqueTag()}`, givenName: 'Dup', familyName: 'Licate', email: first.emails[0].value.toUpperCase() }),
    );
    expectScimError(byEmail, 409, 'uniqueness');
    expect((await scimOver(t, token, 'GET', filterQuery('name.familyName eq "Licate"'))).body.totalResults).toBe(0);
  });

  it('answers bad input with 400 and the reason, never a 500', async () => {
    expectScimError(await scimOver(t, token, 'POST', '/Users', { userName: 'no.name' }), 400, 'invalidValue');
    expectScimError(
      await scimOver(t, token, 'POST', '/Users', scimUserBody({ userName: 'a@b.example', givenName: 'A', familyName: 'B', email: 'a@b.example' })),
      400,
      'invalidValue',
    );
    expectScimError(await scimOver(t, token, 'POST', '/Users', '{"userName":'), 400, 'invalidSyntax');
    expectScimError(await scimOver(t, token, 'GET', '/Users/not-a-uuid'), 404);
    expectScimError(await scimOver(t, token, 'GET', '/Users/00000000-0000-4000-8000-000000000000'), 404);
    expectScimError(await scimOver(t, token, 'GET', '/Users?count=lots'), 400, 'invalidValue');
  });

  it('replaces a User with PUT as Okta updates, moving the ETag on', async () => {
    const user = await provisioned();
    const tag = uniqueTag();
    const put = await scimOver(t, token, 'PUT', `/Users/${user.id}`, {
      ...user,
      name: { givenName: 'Samantha', familyName: user.name.familyName },
      emails: [{ value: `samantha.${tag}@example.test`, primary: true }],
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: { givenName: 'Samantha' }, emails: [{ value: `samantha.${tag}@example.test` }], meta: { version: 'W/"2"' } });
    expect(await t.read.account(user.id)).toMatchObject({ firstName: 'Samantha', email: `samantha.${tag}@example.test` });
    const [edit] = await t.given.audit({ targetId: user.id, action: 'edit', outcome: 'done' });
    expect(edit!.changes).toMatchObject({ firstName: { before: 'Sam', after: 'Samantha' } });

    const unchanged = await scimOver(t, token, 'PUT', `/Users/${user.id}`, put.body);
    expect(unchanged.body.meta.version).toBe('W/"2"');
  });

  it('PUT with active false deactivates and true reactivates, through the status machine', async () => {
    const user = await provisioned();
    const off = await scimOver(t, token, 'PUT', `/Users/${user.id}`, { ...user, active: false });
    expect(off.body.active).toBe(false);
    expect((await t.read.account(user.id)).status).toBe('DEACTIVATED');
    const on = await scimOver(t, token, 'PUT', `/Users/${user.id}`, { ...user, active: true });
    expect(on.body.active).toBe(true);
    // It never signed in, so reactivation invites it again, as from Slack.
    expect((await t.read.account(user.id)).status).toBe('INVITED');
    expect(await t.given.audit({ targetId: user.id, action: 'deactivate', outcome: 'done' })).toHaveLength(1);
    expect(await t.given.audit({ targetId: user.id, action: 'reactivate', outcome: 'done' })).toHaveLength(1);
  });

  it('reactivating a User deactivated while locked out leaves it LOCKED_OUT, never ACTIVE on its old password', async () => {
    await t.given.organisation('scim-lockout', { lockoutThreshold: 3 });
    const lockoutToken = (await apiTokenFor(t, 'scim-lockout', ['scim'])).raw;
    const signInToken = (await apiTokenFor(t, 'scim-lockout')).raw;
    const user = await provisioned({}, lockoutToken);
    const password = 'correct horse battery staple 42';
    await givePassword(t, user.id, password);
    expect((await signInOver(t, signInToken, { login: user.userName, password })).body).toMatchObject({ status: 'ok', accountStatus: 'ACTIVE' });
    for (let i = 0; i < 3; i++) await signInOver(t, signInToken, { login: user.userName, password: `wrong guess ${i}` });
    expect((await t.read.account(user.id)).status).toBe('LOCKED_OUT');

    const off = await scimOver(t, lockoutToken, 'PATCH', `/Users/${user.id}`, { Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(off.body.active).toBe(false);
    expect(await t.read.account(user.id)).toMatchObject({ status: 'DEACTIVATED', failedSignIns: 3 });
    const on = await scimOver(t, lockoutToken, 'PATCH', `/Users/${user.id}`, { Operations: [{ op: 'Replace', path: 'active', value: 'True' }] });
    expect(on.status).toBe(200);
    expect(await t.read.account(user.id)).toMatchObject({ status: 'LOCKED_OUT', failedSignIns: 3 });
    const [event] = await t.given.audit({ targetId: user.id, action: 'reactivate', outcome: 'done' });
    expect(event!.changes).toMatchObject({ status: { before: 'DEACTIVATED', after: 'LOCKED_OUT' } });
    const again = await signInOver(t, signInToken, { login: user.userName, password });
    expect(again.body).toMatchObject({ accountStatus: 'LOCKED_OUT' });
    expect(again.body.status).not.toBe('ok');
    // A PUT with active true is the same reactivation: it asks nothing more of a LOCKED_OUT account.
    const put = await scimOver(t, lockoutToken, 'PUT', `/Users/${user.id}`, { ...on.body, active: true });
    expect(put.status).toBe(200);
    expect((await t.read.account(user.id)).status).toBe('LOCKED_OUT');
  });

  it('returns the attributes asked for (attributes), or all but some (excludedAttributes); id and schemas always', async () => {
    const user = await provisioned({ externalId: `ext-${uniqueTag()}` });
    const only = await scimOver(
      t,
      token,
      'GET',
      `/Users/${user.id}?attributes=userName,name.familyName,urn:ietf:params:scim:schemas:core:2.0:User:emails.value`,
    );
    expect(only.body).toEqual({
      schemas: user.schemas,
      id: user.id,
      userName: user.userName,
      name: { familyName: user.name.familyName },
      emails: [{ value: user.emails[0].value }],
    });
    const without = await scimOver(t, token, 'GET', `${filterQuery(`userName eq "${user.userName}"`)}&excludedAttributes=emails,name.givenName,meta,id`);
    const [found] = without.body.Resources;
    expect(found).toMatchObject({ id: user.id, userName: user.userName, name: { familyName: user.name.familyName }, externalId: user.externalId });
    expect(found).not.toHaveProperty('emails');
    expect(found).not.toHaveProperty('meta');
    expect(found.name).not.toHaveProperty('givenName');
  });

  it('changes fields and active in one transaction: a refused deactivation changes no field either', async () => {
    const user = await provisioned();
    await t.given.group({ name: `Owned ${uniqueTag()}`, organisationSlug: 'scim-a', owner: { id: user.id } });
    const refused = await scimOver(t, token, 'PUT', `/Users/${user.id}`, {
      ...user,
      name: { givenName: 'Changed', familyName: user.name.familyName },
      active: false,
    });
    expectScimError(refused, 409);
    expect(refused.body.detail).toMatch(/owns/);
    expect(await t.read.account(user.id)).toMatchObject({ firstName: 'Sam', status: 'INVITED', version: 1 });
    expect(await t.given.audit({ targetId: user.id, action: 'edit', outcome: 'done' })).toEqual([]);
  });

  it("takes Entra ID's PATCH: capitalised ops, booleans as strings, a value object without a path", async () => {
    const user = await provisioned();
    const patched = await scimOver(t, token, 'PATCH', `/Users/${user.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'Replace', path: 'name.familyName', value: 'Entra' },
        { op: 'Add', path: 'externalId', value: 'entra-object-id' },
        { op: 'Replace', path: 'active', value: 'False' },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: { familyName: 'Entra' }, externalId: 'entra-object-id', active: false });
    expect(await t.read.account(user.id)).toMatchObject({ lastName: 'Entra', externalId: 'entra-object-id', status: 'DEACTIVATED' });

    const noPath = await scimOver(t, token, 'PATCH', `/Users/${user.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', value: { active: 'True', 'name.givenName': 'Erin', displayName: 'ignored, derived' } }],
    });
    expect(noPath.body).toMatchObject({ name: { givenName: 'Erin' }, displayName: 'Erin Entra', active: true });
  });

  it("takes Okta's PATCH of active, and paths with a value filter", async () => {
    const user = await provisioned();
    const off = await scimOver(t, token, 'PATCH', `/Users/${user.id}`, { Operations: [{ op: 'replace', value: { active: false } }] });
    expect(off.body.active).toBe(false);
    const email = `patched.${uniqueTag()}@example.test`;
    const byFilter = await scimOver(t, token, 'PATCH', `/Users/${user.id}`, {
      Operations: [{ op: 'replace', path: 'emails[type eq "work"].value', value: email }],
    });
    expect(byFilter.body.emails).toEqual([{ value: email, type: 'work', primary: true }]);
    expectScimError(
      await scimOver(t, token, 'PATCH', `/Users/${user.id}`, { Operations: [{ op: 'replace', path: 'emails[type eq "home"].value', value: 'x@y.example' }] }),
      400,
      'noTarget',
    );
    expectScimError(await scimOver(t, token, 'PATCH', `/Users/${user.id}`, { Operations: [{ op: 'replace', path: 'id', value: 'x' }] }), 400, 'mutability');
    expectScimError(await scimOver(t, token, 'PATCH', `/Users/${user.id}`, { Operations: [{ op: 'remove' }] }), 400, 'noTarget');
    expectScimError(await scimOver(t, token, 'PATCH', `/Users/${user.id}`, { Operations: [{ op: 'move', path: 'userName' }] }), 400, 'invalidSyntax');
    expectScimError(
      await scimOver(t, token, 'PATCH', `/Users/${user.id}`, { Operations: [{ op: 'replace', path: 'favouriteColour', value: 'x' }] }),
      400,
      'invalidPath',
    );
    // What Roster does not keep but an identity provider maps by default is ignored, as in a POST.
    const ignored = await scimOver(t, token, 'PATCH', `/Users/${user.id}`, {
      Operations: [
        { op: 'Add', path: 'title', value: 'Engineer' },
        { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+44 20 0000 0000' },
        { op: 'Replace', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'R&D' },
      ],
    });
    expect(ignored.status).toBe(200);
    expect((await t.read.account(user.id)).email).toBe(email);
  });

  it('applies a change only to the version in If-Match: another is 412, nothing changed', async () => {
    const user = await provisioned();
    const stale = await scimOver(
      t,
      token,
      'PATCH',
      `/Users/${user.id}`,
      { Operations: [{ op: 'replace', path: 'name.givenName', value: 'Stale' }] },
      { 'if-match': 'W/"7"' },
    );
    expectScimError(stale, 412);
    expect((await t.read.account(user.id)).firstName).toBe('Sam');
    const fresh = await scimOver(
      t,
      token,
      'PATCH',
      `/Users/${user.id}`,
      { Operations: [{ op: 'replace', path: 'name.givenName', value: 'Fresh' }] },
      { 'if-match': 'W/"1"' },
    );
    expect(fresh.body).toMatchObject({ name: { givenName: 'Fresh' }, meta: { version: 'W/"2"' } });
  });

  it('DELETE deactivates at once and files a deletion request for a second person to approve', async () => {
    const user = await provisioned();
    const deleted = await scimOver(t, token, 'DELETE', `/Users/${user.id}`);
    expect(deleted.status).toBe(202);
    expect((await t.read.account(user.id)).status).toBe('DEACTIVATED');
    const requests = await t.roster.orm.em.fork().find(ApprovalRequest, { accountId: user.id });
    expect(requests).toMatchObject([{ kind: 'delete', state: 'pending' }]);
    expect((await scimOver(t, token, 'GET', `/Users/${user.id}`)).body.active).toBe(false);
    // The identity provider retries: the request already waiting is the same answer, and no second one is filed.
    expect((await scimOver(t, token, 'DELETE', `/Users/${user.id}`)).status).toBe(202);
    expect(await t.roster.orm.em.fork().count(ApprovalRequest, { accountId: user.id })).toBe(1);
  });

  it('DELETE of the sole owner of a group changes nothing and says which group', async () => {
    const user = await provisioned();
    const group = `Owned ${uniqueTag()}`;
    await t.given.group({ name: group, organisationSlug: 'scim-a', owner: { id: user.id } });
    const refused = await scimOver(t, token, 'DELETE', `/Users/${user.id}`);
    expectScimError(refused, 409);
    expect(refused.body.detail).toContain(group);
    expect(await t.read.account(user.id)).toMatchObject({ status: 'INVITED', version: 1 });
    expect(await t.roster.orm.em.fork().find(ApprovalRequest, { accountId: user.id })).toEqual([]);
  });

  it('DELETE in an organisation that never deletes leaves the account deactivated, with no request; a User created inactive is DEACTIVATED', async () => {
    await t.given.organisation('scim-never', { deletionPolicy: 'never' });
    const neverToken = (await apiTokenFor(t, 'scim-never', ['scim'])).raw;
    const user = await provisioned({ active: false }, neverToken);
    expect(user.active).toBe(false);
    expect((await t.read.account(user.id)).status).toBe('DEACTIVATED');
    expect((await scimOver(t, neverToken, 'DELETE', `/Users/${user.id}`)).status).toBe(204);
    expect((await t.read.account(user.id)).status).toBe('DEACTIVATED');
    expect(await t.roster.orm.em.fork().find(ApprovalRequest, { accountId: user.id })).toEqual([]);
  });
});

describe('filters', () => {
  let people: Record<'ann' | 'bob' | 'cat', { id: string; username: string; email: string }>;
  let filterToken: string;

  beforeAll(async () => {
    await t.given.organisation('scim-filter');
    filterToken = (await apiTokenFor(t, 'scim-filter', ['scim'])).raw;
    const at = (day: number) => new Date(`2026-0${day}-01T00:00:00Z`);
    people = {
      ann: await t.given.account({ organisationSlug: 'scim-filter', firstName: 'Ann', lastName: 'Archer', createdAt: at(1) }),
      bob: await t.given.account({ organisationSlug: 'scim-filter', firstName: 'Bob', lastName: 'Baker', createdAt: at(2), status: 'DEACTIVATED' }),
      cat: await t.given.account({ organisationSlug: 'scim-filter', firstName: 'Cat', lastName: 'Carter', createdAt: at(3) }),
    };
    await t.roster.orm.em.fork().getConnection().execute(`update account set external_id = 'ext-ann' where id = ?`, [people.ann.id]);
  });

  async function matches(filter: string): Promise<string[]> {
    const answer = await scimOver(t, filterToken, 'GET', filterQuery(filter));
    expect(answer.status, `${filter}: ${JSON.stringify(answer.body)}`).toBe(200);
    return answer.body.Resources.map((user: any) => user.name.givenName).sort();
  }

  it.each([
    ['userName eq "%ann"', ['Ann']],
    ['USERNAME Eq "%ANN"', ['Ann']],
    ['name.familyName ne "Archer"', ['Bob', 'Cat']],
    ['name.familyName co "ar"', ['Ann', 'Cat']],
    ['name.familyName sw "ba"', ['Bob']],
    ['name.familyName ew "ER"', ['Ann', 'Bob', 'Cat']],
    ['displayName eq "cat carter"', ['Cat']],
    ['externalId pr', ['Ann']],
    ['externalId eq "ext-ann"', ['Ann']],
    ['externalId eq "EXT-ANN"', []],
    ['not (externalId eq "ext-ann")', ['Bob', 'Cat']],
    ['active eq false', ['Bob']],
    ['meta.created gt "2026-01-01T00:00:00Z"', ['Bob', 'Cat']],
    ['meta.created ge "2026-01-01T00:00:00Z"', ['Ann', 'Bob', 'Cat']],
    ['meta.created lt "2026-02-01T00:00:00Z"', ['Ann']],
    ['meta.created le "2026-02-01T00:00:00Z"', ['Ann', 'Bob']],
    ['meta.lastModified gt "2000-01-01"', ['Ann', 'Bob', 'Cat']],
    ['name.givenName eq "Ann" or name.givenName eq "Bob" and active eq true', ['Ann']],
    ['(name.givenName eq "Ann" or name.givenName eq "Bob") and active eq true', ['Ann']],
    ['emails[type eq "work"].value eq "%ann-email"', ['Ann']],
    ['emails[type eq "work" and value sw "cat."]', ['Cat']],
    ['emails[type eq "home"]', []],
    ['urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq "cat"', ['Cat']],
    ['name.familyName co "%"', []],
  ])('%s', async (filter, expected) => {
    const resolved = filter.replace('%ann-email', people.ann.email).replace('%ann', people.ann.username).replace('%ANN', people.ann.username.toUpperCase());
    expect(await matches(resolved)).toEqual(expected);
  });

  it.each([
    'userName eq',
    'userName xx "a"',
    'title eq "boss"',
    'active gt true',
    'meta.created co "2026"',
    'meta.created gt "yesterday"',
    '(userName eq "a"',
    'userName eq "a" and',
    'emails[type eq "work"',
    'userName eq "unclosed',
  ])('refuses %s with 400 invalidFilter', async (filter) => {
    expectScimError(await scimOver(t, filterToken, 'GET', filterQuery(filter)), 400, 'invalidFilter');
  });
});

describe('paging', () => {
  let pagingToken: string;

  beforeAll(async () => {
    const organisation = await t.given.organisation('scim-paging');
    pagingToken = (await apiTokenFor(t, 'scim-paging', ['scim'])).raw;
    await t.roster.orm.em
      .fork()
      .getConnection()
      .execute(
        `insert into account (id, organisation_id, username, email, first_name, last_name, status, status_changed_at, created_at, updated_at)
         select gen_random_uuid(), ?, 'page.' || n, 'page.' || n || '@example.test', 'Page', 'Person' || lpad(n::text, 3, '0'), 'ACTIVE', now(), now(), now()
         from generate_series(1, 250) n`,
        [organisation.id],
      );
  });

  it('pages through 250 Users with startIndex and count, each once, in a stable order', async () => {
    const seen: string[] = [];
    for (const startIndex of [1, 101, 201]) {
      const page = await scimOver(t, pagingToken, 'GET', `/Users?startIndex=${startIndex}&count=100`);
      expect(page.body).toMatchObject({ totalResults: 250, startIndex, itemsPerPage: startIndex === 201 ? 50 : 100 });
      seen.push(...page.body.Resources.map((user: any) => user.name.familyName));
    }
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    expect(seen[0]).toBe('Person001');
    expect(seen.at(-1)).toBe('Person250');

    const countOnly = await scimOver(t, pagingToken, 'GET', '/Users?count=0');
    expect(countOnly.body).toMatchObject({ totalResults: 250, itemsPerPage: 0, Resources: [] });
    const capped = await scimOver(t, pagingToken, 'GET', '/Users?count=1000');
    expect(capped.body.itemsPerPage).toBe(200);
    const beyond = await scimOver(t, pagingToken, 'GET', '/Users?startIndex=400');
    expect(beyond.body).toMatchObject({ totalResults: 250, itemsPerPage: 0 });
    const filtered = await scimOver(t, pagingToken, 'GET', `${filterQuery('name.familyName sw "person1"', { startIndex: '90', count: '20' })}`);
    expect(filtered.body).toMatchObject({ totalResults: 100, startIndex: 90, itemsPerPage: 11 });
  });
});

describe('organisations', () => {
  it("a token sees and changes only its own organisation's Users", async () => {
    await t.given.organisation('scim-b');
    const tokenB = (await apiTokenFor(t, 'scim-b', ['scim'])).raw;
    const ofA = await provisioned();
    const ofB = await provisioned({}, tokenB);

    expectScimError(await scimOver(t, tokenB, 'GET', `/Users/${ofA.id}`), 404);
    expectScimError(await scimOver(t, tokenB, 'PATCH', `/Users/${ofA.id}`, { Operations: [{ op: 'replace', path: 'active', value: false }] }), 404);
    expectScimError(await scimOver(t, tokenB, 'PUT', `/Users/${ofA.id}`, { ...ofA, active: false }), 404);
    expectScimError(await scimOver(t, tokenB, 'DELETE', `/Users/${ofA.id}`), 404);
    const listed = await scimOver(t, tokenB, 'GET', '/Users?count=200');
    expect(listed.body.Resources.map((user: any) => user.id)).toEqual([ofB.id]);
    expect((await scimOver(t, tokenB, 'GET', filterQuery(`userName eq "${ofA.userName}"`))).body.totalResults).toBe(0);
    expect((await t.read.account(ofA.id)).status).toBe('INVITED');
    expect((await t.read.account(ofB.id)).organisation.slug).toBe('scim-b');
  });
});

describe('a database failure', () => {
  it('is a 500 whose reference is in the log with the error, never a 404 or a stack trace', async () => {
    const db = t.roster.orm.em.fork().getConnection();
    await db.execute('alter table account rename column external_id to external_id_away');
    try {
      const answer = await scimOver(t, token, 'GET', '/Users?count=1');
      expectScimError(answer, 500);
      const reference = /reference ([0-9a-f-]{36})/.exec(answer.body.detail)?.[1];
      expect(reference).toBeDefined();
      expect(answer.body.detail).not.toMatch(/external_id|select/);
      expect(t.logs.find((line) => line.reference === reference)).toMatchObject({ msg: 'SCIM request failed', err: expect.anything() });
    } finally {
      await db.execute('alter table account rename column external_id_away to external_id');
    }
  });
});

describe('rate limits', () => {
  let limited: TestRoster;

  beforeAll(async () => {
    limited = await startTestRoster({ ROSTER_SCIM_PER_TOKEN_PER_MINUTE: '3' });
  });
  afterAll(() => limited?.stop());

  it('answers 429 with Retry-After once a token has used its requests', async () => {
    const limitedToken = (await apiTokenFor(limited, 'default', ['scim'])).raw;
    for (let i = 0; i < 3; i++) expect((await scimOver(limited, limitedToken, 'GET', '/Users?count=0')).status).toBe(200);
    const refused = await scimOver(limited, limitedToken, 'GET', '/Users?count=0');
    expectScimError(refused, 429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
