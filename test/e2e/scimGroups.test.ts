import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Group, Membership } from '../../src/db/entities/index.ts';
import { scimOver, scimUserBody } from '../support/scim.ts';
import { apiTokenFor } from '../support/signIn.ts';
import { startTestRoster, uniqueTag, type TestRoster } from '../support/testRoster.ts';

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let t: TestRoster;
let token: string;
let tokenB: string;

beforeAll(async () => {
  t = await startTestRoster({ ROSTER_SCIM_PER_TOKEN_PER_MINUTE: '100000' });
  await t.given.organisation('groups-a');
  await t.given.organisation('groups-b');
  token = (await apiTokenFor(t, 'groups-a', ['scim'])).raw;
  tokenB = (await apiTokenFor(t, 'groups-b', ['scim'])).raw;
});
afterAll(() => t?.stop());

/** A new User of the token's organisation, created over SCIM; its SCIM body. */
async function user(as = token, familyName = 'Member') {
  const tag = uniqueTag();
  const created = await scimOver(
    t,
    as,
    'POST',
    '/Users',
    scimUserBody({ userName: `member.${tag}`, givenName: 'Gus', familyName: `${familyName}${tag}`, email: `gus.${tag}@example.test` }),
  );
  expect(created.status).toBe(201);
  return created.body as { id: string; displayName: string };
}

async function group(body: Record<string, unknown>, as = token) {
  const created = await scimOver(t, as, 'POST', '/Groups', { schemas: [GROUP_SCHEMA], ...body });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

function groupsQuery(params: Record<string, string>): string {
  return `/Groups?${new URLSearchParams(params).toString()}`;
}

function expectScimError(answer: { status: number; body: any; headers: Headers }, status: number, scimType?: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  expect(answer.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}) });
  expect(answer.body.detail).toMatch(/\w/);
}

async function memberIds(groupId: string): Promise<string[]> {
  const rows = await t.roster.orm.em.fork().find(Membership, { group: { id: groupId } });
  return rows.map((row) => row.account.id).sort();
}

describe('discovery', () => {
  it('lists the Group resource type and schema beside the User ones', async () => {
    const types = await scimOver(t, token, 'GET', '/ResourceTypes');
    expect(types.body.Resources.map((type: any) => [type.name, type.endpoint])).toEqual([
      ['User', '/Users'],
      ['Group', '/Groups'],
    ]);
    expect((await scimOver(t, token, 'GET', '/ResourceTypes/Group')).body).toMatchObject({ schema: GROUP_SCHEMA });
    const schemas = await scimOver(t, token, 'GET', '/Schemas');
    expect(schemas.body.Resources.map((schema: any) => schema.id)).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User', GROUP_SCHEMA]);
    const groupSchema = await scimOver(t, token, 'GET', `/Schemas/${GROUP_SCHEMA}`);
    expect(groupSchema.body.attributes.map((attribute: any) => attribute.name)).toEqual(['displayName', 'externalId', 'members']);
    expectScimError(await scimOver(t, token, 'GET', '/ResourceTypes/Device'), 404);
  });
});

describe('Groups', () => {
  it('creates a group with members, as the token, each change audited as the same group actions Slack runs', async () => {
    const [ann, bob] = [await user(), await user()];
    const tag = uniqueTag();
    const created = await scimOver(t, token, 'POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: `Engineering ${tag}`,
      externalId: `okta-${tag}`,
      members: [{ value: ann.id, display: 'ignored' }, { value: bob.id.toUpperCase() }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      schemas: [GROUP_SCHEMA],
      displayName: `Engineering ${tag}`,
      externalId: `okta-${tag}`,
      meta: { resourceType: 'Group', version: expect.stringMatching(/^W\/"\w+"$/) },
    });
    expect(created.body.members.map((member: any) => member.value).sort()).toEqual([ann.id, bob.id].sort());
    expect(created.body.members.find((member: any) => member.value === ann.id)).toEqual({
      value: ann.id,
      display: ann.displayName,
      $ref: expect.stringMatching(new RegExp(`/scim/v2/Users/${ann.id}$`)),
      type: 'User',
    });
    expect(created.headers.get('location')).toBe(created.body.meta.location);
    expect(created.headers.get('etag')).toBe(created.body.meta.version);

    const stored = await t.roster.orm.em.fork().findOneOrFail(Group, created.body.id, { populate: ['organisation'] });
    expect(stored).toMatchObject({ name: `Engineering ${tag}`, externalId: `okta-${tag}`, organisation: { slug: 'groups-a' } });
    expect(await memberIds(stored.id)).toEqual([ann.id, bob.id].sort());
    const [createEvent] = await t.given.audit({ targetId: stored.id, action: 'group-create', outcome: 'done' });
    expect(createEvent!.actorId).toMatch(/^api-token:roster_/);
    expect(await t.given.audit({ targetId: ann.id, action: 'group-add', outcome: 'done' })).toHaveLength(1);

    expect((await scimOver(t, token, 'GET', `/Groups/${stored.id}`)).body).toEqual(created.body);
  });

  it('shows a group made in Slack, its members included, and refuses a duplicate name or external ID with 409 uniqueness', async () => {
    const owner = await user();
    const tag = uniqueTag();
    const id = await t.given.group({ name: `Night Shift ${tag}`, organisationSlug: 'groups-a', owner, externalId: `ns-${tag}` });
    const got = await scimOver(t, token, 'GET', `/Groups/${id}`);
    expect(got.body).toMatchObject({ displayName: `Night Shift ${tag}`, externalId: `ns-${tag}`, members: [{ value: owner.id }] });

    expectScimError(await scimOver(t, token, 'POST', '/Groups', { displayName: `night shift ${tag}` }), 409, 'uniqueness');
    expectScimError(await scimOver(t, token, 'POST', '/Groups', { displayName: `Other ${tag}`, externalId: `ns-${tag}` }), 409, 'uniqueness');
    expect(await t.roster.orm.em.fork().count(Group, { name: `Other ${tag}` })).toBe(0);
    // Another organisation may have a group of the same name.
    await group({ displayName: `Night Shift ${tag}` }, tokenB);
  });

  it('answers bad input with 400 and unknown groups with 404, never a 500', async () => {
    expectScimError(await scimOver(t, token, 'POST', '/Groups', { members: [] }), 400, 'invalidValue');
    expectScimError(await scimOver(t, token, 'POST', '/Groups', { displayName: 'x'.repeat(201) }), 400, 'invalidValue');
    expectScimError(
      await scimOver(t, token, 'POST', '/Groups', { displayName: `Bad ${uniqueTag()}`, members: [{ display: 'no value' }] }),
      400,
      'invalidValue',
    );
    const unknownMember = await scimOver(t, token, 'POST', '/Groups', { displayName: `Ghosts ${uniqueTag()}`, members: [{ value: 'not-a-user' }] });
    expectScimError(unknownMember, 400, 'invalidValue');
    expect(unknownMember.body.detail).toContain('not-a-user');
    expectScimError(await scimOver(t, token, 'GET', '/Groups/not-a-uuid'), 404);
    expectScimError(await scimOver(t, token, 'GET', '/Groups/00000000-0000-4000-8000-000000000000'), 404);
    expectScimError(
      await scimOver(t, token, 'PATCH', '/Groups/00000000-0000-4000-8000-000000000000', { Operations: [{ op: 'add', path: 'members', value: [] }] }),
      404,
    );
    expectScimError(await scimOver(t, token, 'DELETE', '/Groups/00000000-0000-4000-8000-000000000000'), 404);
  });

  it("takes Okta's PATCH: members added, removed by a members[value eq ...] path, renamed with a value object", async () => {
    const [ann, bob, cat] = [await user(), await user(), await user()];
    const created = await group({ displayName: `Okta Push ${uniqueTag()}`, members: [{ value: ann.id }] });

    const added = await scimOver(t, token, 'PATCH', `/Groups/${created.id}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'add', path: 'members', value: [{ value: bob.id, display: 'Bob' }, { value: cat.id }] }],
    });
    expect(added.status).toBe(200);
    expect(added.body.members.map((member: any) => member.value).sort()).toEqual([ann.id, bob.id, cat.id].sort());
    expect(added.body.meta.version).not.toBe(created.meta.version);
    expect(await memberIds(created.id)).toEqual([ann.id, bob.id, cat.id].sort());

    const removed = await scimOver(t, token, 'PATCH', `/Groups/${created.id}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'remove', path: `members[value eq "${bob.id}"]` }],
    });
    expect(removed.body.members.map((member: any) => member.value).sort()).toEqual([ann.id, cat.id].sort());
    expect(await t.given.audit({ targetId: bob.id, action: 'group-remove', outcome: 'done' })).toHaveLength(1);

    const renamed = await scimOver(t, token, 'PATCH', `/Groups/${created.id}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'replace', value: { id: created.id, displayName: `Renamed ${created.displayName}` } }],
    });
    expect(renamed.body.displayName).toBe(`Renamed ${created.displayName}`);
    expect(await t.given.audit({ targetId: created.id, action: 'group-rename', outcome: 'done' })).toHaveLength(1);

    const byTwo = await scimOver(t, token, 'PATCH', `/Groups/${created.id}`, {
      Operations: [{ op: 'remove', path: `members[value eq "${ann.id}" or value eq "${cat.id}"]` }],
    });
    expect(byTwo.body.members).toEqual([]);
    expect(await memberIds(created.id)).toEqual([]);
  });

  it("takes Entra ID's PATCH: capitalised ops, members removed by value, a path-less value object", async () => {
    const [ann, bob] = [await user(), await user()];
    const created = await group({ displayName: `Entra ${uniqueTag()}` });
    const added = await scimOver(t, token, 'PATCH', `/Groups/${created.id}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [
        { op: 'Add', path: 'members', value: [{ value: ann.id }] },
        { op: 'Add', path: 'members', value: [{ value: bob.id }] },
        { op: 'Replace', path: 'externalId', value: 'entra-object-id' },
      ],
    });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ externalId: 'entra-object-id' });
    expect(await memberIds(created.id)).toEqual([ann.id, bob.id].sort());

    const removed = await scimOver(t, token, 'PATCH', `/Groups/${created.id}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [
        { op: 'Remove', path: 'members', value: [{ value: ann.id }] },
        { op: 'Replace', value: { displayName: `${created.displayName} (Entra)` } },
      ],
    });
    expect(removed.body).toMatchObject({ displayName: `${created.displayName} (Entra)`, members: [{ value: bob.id }] });
    expect(await memberIds(created.id)).toEqual([bob.id]);

    const replaced = await scimOver(t, token, 'PATCH', `/Groups/${created.id}`, {
      Operations: [{ op: 'Replace', path: 'members', value: [{ value: ann.id }] }],
    });
    expect(replaced.body.members.map((member: any) => member.value)).toEqual([ann.id]);
    expect(await memberIds(created.id)).toEqual([ann.id]);

    expectScimError(await scimOver(t, token, 'PATCH', `/Groups/${created.id}`, { Operations: [{ op: 'Remove' }] }), 400, 'noTarget');
    expectScimError(await scimOver(t, token, 'PATCH', `/Groups/${created.id}`, { Operations: [{ op: 'Move', path: 'members' }] }), 400, 'invalidSyntax');
    expectScimError(await scimOver(t, token, 'PATCH', `/Groups/${created.id}`, { Operations: [{ op: 'add', path: 'owner', value: 'x' }] }), 400, 'invalidPath');
    expectScimError(await scimOver(t, token, 'PATCH', `/Groups/${created.id}`, { Operations: [{ op: 'remove', path: 'externalId' }] }), 400, 'mutability');
    expect((await scimOver(t, token, 'GET', `/Groups/${created.id}`)).body.externalId).toBe('entra-object-id');
  });

  it('replaces the name and members with PUT, keeping an externalId it leaves out', async () => {
    const [ann, bob] = [await user(), await user()];
    const created = await group({ displayName: `Put ${uniqueTag()}`, externalId: `put-${uniqueTag()}`, members: [{ value: ann.id }] });
    const put = await scimOver(t, token, 'PUT', `/Groups/${created.id}`, {
      schemas: [GROUP_SCHEMA],
      id: created.id,
      displayName: `${created.displayName} v2`,
      members: [{ value: bob.id }],
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ displayName: `${created.displayName} v2`, externalId: created.externalId, members: [{ value: bob.id }] });
    expect(await memberIds(created.id)).toEqual([bob.id]);
    const same = await scimOver(t, token, 'PUT', `/Groups/${created.id}`, put.body);
    expect(same.body.meta.version).toBe(put.body.meta.version);
  });

  it("keeps the group's owner in it: a change that would remove them is 409 and changes nothing else either", async () => {
    const [owner, other] = [await user(), await user()];
    const tag = uniqueTag();
    const id = await t.given.group({ name: `Owned ${tag}`, organisationSlug: 'groups-a', owner, members: [[other, 'member']] });
    const refused = await scimOver(t, token, 'PATCH', `/Groups/${id}`, {
      Operations: [
        { op: 'replace', path: 'displayName', value: `Owned ${tag} renamed` },
        { op: 'remove', path: 'members' },
      ],
    });
    expectScimError(refused, 409);
    expect(refused.body.detail).toMatch(/owns/);
    expect(await memberIds(id)).toEqual([owner.id, other.id].sort());
    expect((await t.roster.orm.em.fork().findOneOrFail(Group, { id })).name).toBe(`Owned ${tag}`);
    expect(await t.given.audit({ targetId: owner.id, action: 'scim-group-update', outcome: 'refused' })).toHaveLength(1);

    const otherLeaves = await scimOver(t, token, 'PATCH', `/Groups/${id}`, { Operations: [{ op: 'remove', path: `members[value eq "${other.id}"]` }] });
    expect(otherLeaves.status).toBe(200);
    expect(await memberIds(id)).toEqual([owner.id]);
  });

  it('applies a request whole or not at all: a PATCH whose external ID is taken renames nothing and adds no one', async () => {
    const ann = await user();
    const tag = uniqueTag();
    await group({ displayName: `Taken ${tag}`, externalId: `taken-${tag}` });
    const created = await group({ displayName: `Whole ${tag}` });
    const refused = await scimOver(t, token, 'PATCH', `/Groups/${created.id}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [
        { op: 'replace', path: 'displayName', value: `Whole ${tag} renamed` },
        { op: 'add', path: 'members', value: [{ value: ann.id }] },
        { op: 'replace', path: 'externalId', value: `taken-${tag}` },
      ],
    });
    expectScimError(refused, 409, 'uniqueness');
    const after = await scimOver(t, token, 'GET', `/Groups/${created.id}`);
    expect(after.body).toMatchObject({ displayName: `Whole ${tag}`, meta: { version: created.meta.version } });
    expect(after.body.externalId).toBeUndefined();
    expect(await memberIds(created.id)).toEqual([]);
    expect(await t.given.audit({ action: 'scim-group-update', outcome: 'refused', detail: { $like: `%taken-${tag}%` } })).not.toEqual([]);
    expect(await t.given.audit({ targetId: ann.id, action: 'group-add' })).toEqual([]);
  });

  it('creates a group with its members or not at all: one member it may not add leaves no group behind', async () => {
    const [ann, stranger] = [await user(), await user(tokenB)];
    const name = `All or nothing ${uniqueTag()}`;
    const refused = await scimOver(t, token, 'POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: name,
      members: [{ value: ann.id }, { value: stranger.id }],
    });
    expectScimError(refused, 400, 'invalidValue');
    expect(await t.roster.orm.em.fork().count(Group, { name })).toBe(0);
    expect(await t.given.audit({ targetId: ann.id, action: 'group-add' })).toEqual([]);
  });

  it('applies a change only to the version in If-Match: a stale one is 412, nothing changed', async () => {
    const ann = await user();
    const created = await group({ displayName: `Etag ${uniqueTag()}` });
    const stale = await scimOver(
      t,
      token,
      'PATCH',
      `/Groups/${created.id}`,
      { Operations: [{ op: 'add', path: 'members', value: [{ value: ann.id }] }] },
      { 'if-match': 'W/"0000000000000000"' },
    );
    expectScimError(stale, 412);
    expect(await memberIds(created.id)).toEqual([]);
    const fresh = await scimOver(
      t,
      token,
      'PATCH',
      `/Groups/${created.id}`,
      { Operations: [{ op: 'add', path: 'members', value: [{ value: ann.id }] }] },
      { 'if-match': created.meta.version },
    );
    expect(fresh.status).toBe(200);
    // A membership changed elsewhere (Slack, a bulk change) moves the ETag on too.
    await t.roster.orm.em.fork().nativeDelete(Membership, { group: created.id });
    expectScimError(await scimOver(t, token, 'DELETE', `/Groups/${created.id}`, undefined, { 'if-match': fresh.body.meta.version }), 412);
  });

  it('DELETE removes the group; its members keep their accounts', async () => {
    const ann = await user();
    const created = await group({ displayName: `Doomed ${uniqueTag()}`, members: [{ value: ann.id }] });
    expect((await scimOver(t, token, 'DELETE', `/Groups/${created.id}`)).status).toBe(204);
    expectScimError(await scimOver(t, token, 'GET', `/Groups/${created.id}`), 404);
    expect(await t.roster.orm.em.fork().count(Group, { id: created.id })).toBe(0);
    expect((await t.read.account(ann.id)).status).toBe('INVITED');
    expect(await t.given.audit({ targetId: created.id, action: 'group-delete', outcome: 'done' })).toHaveLength(1);
    expectScimError(await scimOver(t, token, 'DELETE', `/Groups/${created.id}`), 404);
  });
});

describe('filters and paging', () => {
  let filterToken: string;
  let people: { ann: { id: string }; bob: { id: string } };
  let groups: Record<'alpha' | 'beta' | 'gamma', any>;

  beforeAll(async () => {
    await t.given.organisation('groups-filter');
    filterToken = (await apiTokenFor(t, 'groups-filter', ['scim'])).raw;
    people = { ann: await user(filterToken, 'Annson'), bob: await user(filterToken, 'Bobson') };
    groups = {
      alpha: await group({ displayName: 'Alpha Team', externalId: 'ext-alpha', members: [{ value: people.ann.id }] }, filterToken),
      beta: await group({ displayName: 'Beta Team', members: [{ value: people.ann.id }, { value: people.bob.id }] }, filterToken),
      gamma: await group({ displayName: 'Gamma Crew' }, filterToken),
    };
    await t.roster.orm.em
      .fork()
      .getConnection()
      .execute(`update account_group set created_at = '2026-01-01T00:00:00Z', updated_at = '2026-01-01T00:00:00Z' where id = ?`, [groups.gamma.id]);
  });

  async function matches(filter: string): Promise<string[]> {
    const answer = await scimOver(t, filterToken, 'GET', groupsQuery({ filter }));
    expect(answer.status, `${filter}: ${JSON.stringify(answer.body)}`).toBe(200);
    return answer.body.Resources.map((found: any) => found.displayName).sort();
  }

  it.each([
    ['displayName eq "alpha team"', ['Alpha Team']],
    ['displayName sw "BETA"', ['Beta Team']],
    ['displayName co "team"', ['Alpha Team', 'Beta Team']],
    ['displayName ew "crew"', ['Gamma Crew']],
    ['displayName ne "Alpha Team"', ['Beta Team', 'Gamma Crew']],
    ['externalId eq "ext-alpha"', ['Alpha Team']],
    ['externalId eq "EXT-ALPHA"', []],
    ['externalId pr', ['Alpha Team']],
    ['not (externalId pr)', ['Beta Team', 'Gamma Crew']],
    ['members pr', ['Alpha Team', 'Beta Team']],
    ['members[value eq "%bob"]', ['Beta Team']],
    ['members.value eq "%ann"', ['Alpha Team', 'Beta Team']],
    ['members.display co "bobson"', ['Beta Team']],
    ['displayName co "team" and members[value eq "%bob"]', ['Beta Team']],
    ['meta.created lt "2026-06-01T00:00:00Z"', ['Gamma Crew']],
    ['meta.lastModified gt "2026-06-01T00:00:00Z"', ['Alpha Team', 'Beta Team']],
    ['urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "Gamma Crew"', ['Gamma Crew']],
  ])('%s', async (filter, expected) => {
    const resolved = filter.replace('%bob', people.bob.id).replace('%ann', people.ann.id);
    expect(await matches(resolved)).toEqual(expected);
  });

  it('finds a group by id, as clients check before they PATCH', async () => {
    expect(await matches(`id eq "${groups.beta.id}"`)).toEqual(['Beta Team']);
  });

  it.each(['userName eq "x"', 'displayName eq', 'members gt "x"', 'meta.created co "2026"', 'members[type eq "User"]'])(
    'refuses %s with 400 invalidFilter',
    async (filter) => {
      expectScimError(await scimOver(t, filterToken, 'GET', groupsQuery({ filter })), 400, 'invalidFilter');
    },
  );

  it('pages by startIndex and count, in name order, and leaves members out when asked (excludedAttributes, attributes)', async () => {
    const first = await scimOver(t, filterToken, 'GET', groupsQuery({ startIndex: '1', count: '2' }));
    expect(first.body).toMatchObject({ totalResults: 3, startIndex: 1, itemsPerPage: 2 });
    const second = await scimOver(t, filterToken, 'GET', groupsQuery({ startIndex: '3', count: '2' }));
    expect([...first.body.Resources, ...second.body.Resources].map((found: any) => found.displayName)).toEqual(['Alpha Team', 'Beta Team', 'Gamma Crew']);

    const lean = await scimOver(t, filterToken, 'GET', groupsQuery({ filter: 'displayName eq "Beta Team"', excludedAttributes: 'members' }));
    expect(lean.body.Resources[0]).toMatchObject({ id: groups.beta.id, displayName: 'Beta Team', meta: { version: groups.beta.meta.version } });
    expect(lean.body.Resources[0]).not.toHaveProperty('members');
    const named = await scimOver(t, filterToken, 'GET', `/Groups/${groups.beta.id}?attributes=displayName,members.value`);
    expect(named.body).toEqual({
      schemas: [GROUP_SCHEMA],
      id: groups.beta.id,
      displayName: 'Beta Team',
      members: expect.arrayContaining([{ value: people.ann.id }, { value: people.bob.id }]),
    });
  });
});

describe('organisations', () => {
  it("a token sees and changes only its own organisation's groups, and adds no member of another", async () => {
    const ofA = await group({ displayName: `Private ${uniqueTag()}` });
    const userOfA = await user();
    const ofB = await group({ displayName: `Mine ${uniqueTag()}` }, tokenB);

    expectScimError(await scimOver(t, tokenB, 'GET', `/Groups/${ofA.id}`), 404);
    expectScimError(await scimOver(t, tokenB, 'PUT', `/Groups/${ofA.id}`, { displayName: 'Taken over' }), 404);
    expectScimError(await scimOver(t, tokenB, 'PATCH', `/Groups/${ofA.id}`, { Operations: [{ op: 'replace', path: 'displayName', value: 'x' }] }), 404);
    expectScimError(await scimOver(t, tokenB, 'DELETE', `/Groups/${ofA.id}`), 404);
    const listed = await scimOver(t, tokenB, 'GET', groupsQuery({ filter: `displayName eq "${ofA.displayName}"` }));
    expect(listed.body.totalResults).toBe(0);
    expect((await scimOver(t, tokenB, 'GET', groupsQuery({ filter: `id eq "${ofA.id}"` }))).body.totalResults).toBe(0);

    const foreign = await scimOver(t, tokenB, 'PATCH', `/Groups/${ofB.id}`, { Operations: [{ op: 'add', path: 'members', value: [{ value: userOfA.id }] }] });
    expectScimError(foreign, 400, 'invalidValue');
    expect(foreign.body.detail).toContain(userOfA.id);
    expect(await memberIds(ofB.id)).toEqual([]);
    expect(await t.given.audit({ action: 'scim-group-update', outcome: 'refused', detail: { $like: `%${userOfA.id}%` } })).not.toEqual([]);
    expect((await t.roster.orm.em.fork().findOneOrFail(Group, ofA.id)).name).toBe(ofA.displayName);
  });
});

describe('a database failure', () => {
  it('is a 500 whose reference is in the log, never a 404', async () => {
    const created = await group({ displayName: `Fragile ${uniqueTag()}` });
    const db = t.roster.orm.em.fork().getConnection();
    await db.execute('alter table account_group rename column external_id to external_id_away');
    try {
      for (const answer of [await scimOver(t, token, 'GET', `/Groups/${created.id}`), await scimOver(t, token, 'GET', '/Groups')]) {
        expectScimError(answer, 500);
        const reference = /reference ([0-9a-f-]{36})/.exec(answer.body.detail)?.[1];
        expect(t.logs.find((line) => line.reference === reference)).toMatchObject({ msg: 'SCIM request failed', err: expect.anything() });
      }
    } finally {
      await db.execute('alter table account_group rename column external_id_away to external_id');
    }
  });
});
