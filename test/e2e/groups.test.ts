// Groups, memberships, modules, licences, add-ons and developer mode, through signed `/user ...` commands (and the CLI).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account, AccountFeature, AuditEvent, Feature, Group, GroupFeature, Licence, Membership, type IAuditEvent } from '../../src/db/entities/index.ts';
import type { RecordedCall } from '../support/fakeSlack.ts';
import { runCli } from '../support/cli.ts';
import { blocksText, shownText } from '../support/slackReplies.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

const OWNER = 'U0OWNER001';
const ADMIN = 'U0ADMIN001';
const HELPDESK = 'U0HELP0001';
const VIEWER = 'U0VIEW0001';
const ACME_ADMIN = 'U0ACMEADM1';
const NOBODY = 'U0NOBODY01';

let t: TestRoster;
type Person = Awaited<ReturnType<TestRoster['given']['account']>>;

const em = () => t.roster.orm.em.fork();

/** Runs a command and returns its reply with the audit events it wrote. */
async function audited(text: string, userId: string): Promise<{ reply: RecordedCall; text: string; audit: IAuditEvent[] }> {
  const since = await lastAuditId();
  const reply = await t.slash(text, userId);
  return { reply, text: shownText(reply), audit: await t.given.audit({ id: { $gt: since } }) };
}

async function lastAuditId(): Promise<string> {
  const [last] = await em().find(AuditEvent, {}, { orderBy: { id: 'desc' }, limit: 1 });
  return last?.id ?? '0';
}

beforeAll(async () => {
  t = await startTestRoster();
  await t.given.organisation('acme');
  await t.given.organisation('globex');
  await t.given.grant(OWNER, 'owner');
  await t.given.grant(ADMIN, 'admin');
  await t.given.grant(HELPDESK, 'helpdesk');
  await t.given.grant(VIEWER, 'viewer');
  await t.given.grant(ACME_ADMIN, 'admin', 'acme');
  const fork = em();
  fork.create(Feature, { key: 'reporting', name: 'Reporting', kind: 'module' });
  fork.create(Feature, { key: 'scheduling', name: 'Scheduling', kind: 'module' });
  fork.create(Feature, { key: 'weather', name: 'Weather widget', kind: 'add_on' });
  await fork.flush();
});
afterAll(() => t?.stop());

describe('membership', () => {
  let kim: Person;
  let alice: Person;
  let crew: string;

  beforeAll(async () => {
    kim = await t.given.account({ firstName: 'Kim', lastName: 'Owner' });
    alice = await t.given.account({ firstName: 'Alice', lastName: 'Member' });
    crew = await t.given.group({ name: 'Field Crew North', owner: kim });
  });

  it('adds an account to a group with a role: the membership, the account card, one audit event', async () => {
    const { text, audit } = await audited(`group-add ${alice.email} "Field Crew North" --role editor --reason "new hire"`, ADMIN);
    expect(text).toContain('Alice Member is now in “Field Crew North” as editor.');
    expect(text).toContain('Field Crew North: editor'); // the account card's group line
    expect(await t.read.membership(alice.id, crew)).toMatchObject({ role: 'editor' });
    expect(audit).toMatchObject([
      {
        action: 'group-add',
        outcome: 'done',
        actorId: ADMIN,
        targetId: alice.id,
        reason: 'new hire',
        changes: { 'groups.Field Crew North': { before: null, after: 'editor' } },
      },
    ]);
  });

  it('refuses to add an existing member, naming their role, and audits the refusal', async () => {
    const { text, audit } = await audited(`group-add ${alice.email} "field crew north"`, ADMIN);
    expect(text).toContain('Alice Member is already in “Field Crew North” as editor; to change that, use group-role.');
    expect(audit).toMatchObject([{ action: 'group-add', outcome: 'refused', targetId: alice.id }]);
  });

  it('refuses an unknown group, saying where it looked', async () => {
    const { text } = await audited(`group-add ${alice.email} "Field Crew South"`, ADMIN);
    expect(text).toContain('No group matches “Field Crew South” in default.');
  });

  it('changes the role in one group', async () => {
    const { text, audit } = await audited(`group-role ${alice.username} "Field Crew North" manager`, ADMIN);
    expect(text).toContain('Alice Member is now manager in “Field Crew North” (was editor).');
    expect(await t.read.membership(alice.id, crew)).toMatchObject({ role: 'manager' });
    expect(audit).toMatchObject([
      { action: 'group-role', outcome: 'done', targetId: alice.id, changes: { 'groups.Field Crew North': { before: 'editor', after: 'manager' } } },
    ]);
    expect((await audited(`group-role ${alice.username} "Field Crew North" manager`, ADMIN)).text).toContain('already manager in “Field Crew North”');
  });

  it('refuses to remove the owner until ownership moves, naming the group', async () => {
    const { text, audit } = await audited(`group-remove ${kim.email} "Field Crew North"`, ADMIN);
    expect(text).toContain('Kim Owner owns “Field Crew North”; give it another owner first');
    expect(await t.read.membership(kim.id, crew)).not.toBeNull();
    expect(audit).toMatchObject([{ action: 'group-remove', outcome: 'refused', targetId: kim.id }]);
  });

  it('removes a member', async () => {
    const bo = await t.given.account({ firstName: 'Bo', lastName: 'Leaving' });
    await audited(`group-add ${bo.email} "Field Crew North"`, ADMIN);
    const { text, audit } = await audited(`group-remove ${bo.email} "Field Crew North" --reason moved`, ADMIN);
    expect(text).toContain('Bo Leaving is no longer in “Field Crew North” (was member).');
    expect(await t.read.membership(bo.id, crew)).toBeNull();
    expect(audit).toMatchObject([
      { action: 'group-remove', outcome: 'done', reason: 'moved', changes: { 'groups.Field Crew North': { before: 'member', after: null } } },
    ]);
    expect((await audited(`group-remove ${bo.email} "Field Crew North"`, ADMIN)).text).toContain('Bo Leaving is not in “Field Crew North”.');
  });

  it('moves ownership to someone who was not a member: they join as manager, and the reply says so', async () => {
    const nina = await t.given.account({ firstName: 'Nina', lastName: 'Newowner' });
    const { text, audit } = await audited(`group-owner "Field Crew North" ${nina.email}`, ADMIN);
    expect(text).toContain('Nina Newowner now owns “Field Crew North” (was Kim Owner). They were not a member, so they joined it as manager.');
    expect(text).toContain('Nina Newowner'); // the group card's owner
    expect((await t.read.group('Field Crew North'))!.owner?.id).toBe(nina.id);
    expect(await t.read.membership(nina.id, crew)).toMatchObject({ role: 'manager' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'group-owner',
      outcome: 'done',
      targetType: 'group',
      targetId: crew,
      changes: {
        owner: { before: `Kim Owner <${kim.email}>`, after: `Nina Newowner <${nina.email}>` },
        [`members.Nina Newowner <${nina.email}>`]: { before: null, after: 'manager' },
      },
    });
    // Kim no longer owns it, so Kim may now leave.
    expect((await audited(`group-remove ${kim.email} "Field Crew North"`, ADMIN)).text).toContain('Kim Owner is no longer in “Field Crew North”');
  });

  it('refuses a deactivated account as owner', async () => {
    const gone = await t.given.account({ firstName: 'Gone', lastName: 'Away', status: 'DEACTIVATED' });
    const { text, audit } = await audited(`group-owner "Field Crew North" ${gone.email}`, ADMIN);
    expect(text).toContain('Gone Away is DEACTIVATED; a group owner must be an active account.');
    expect(audit).toMatchObject([{ action: 'group-owner', outcome: 'refused', targetType: 'group', targetId: crew }]);
  });
});

describe('groups', () => {
  let olga: Person;

  beforeAll(async () => {
    olga = await t.given.account({ firstName: 'Olga', lastName: 'Acme', organisationSlug: 'acme' });
    await t.given.group({ name: 'Operations', organisationSlug: 'acme' });
    await t.given.group({ name: 'Ops', organisationSlug: 'acme' });
    await t.given.group({ name: 'Ops', organisationSlug: 'globex' });
    await t.given.group({ name: 'Globex Only', organisationSlug: 'globex' });
  });

  it('creates a group with an external ID, a parent and an owner, showing its card', async () => {
    const { text, audit } = await audited(
      `group-create "Field Crew East" --external-id FCE-1 --parent Operations --owner ${olga.email} --org acme`,
      ACME_ADMIN,
    );
    expect(text).toContain('Created “Field Crew East” in acme, under “Operations”, owned by Olga Acme, who joined it as manager.');
    expect(text).toContain('FCE-1');
    const group = (await t.read.group('Field Crew East', 'acme'))!;
    expect(group).toMatchObject({ externalId: 'FCE-1', parent: { name: 'Operations' }, owner: { id: olga.id } });
    expect(await t.read.membership(olga.id, group.id)).toMatchObject({ role: 'manager' });
    expect(audit).toMatchObject([
      {
        action: 'group-create',
        outcome: 'done',
        targetType: 'group',
        targetId: group.id,
        targetLabel: 'Field Crew East (acme)',
        changes: {
          name: { before: null, after: 'Field Crew East' },
          externalId: { before: null, after: 'FCE-1' },
          parent: { before: null, after: 'Operations' },
          owner: { before: null, after: `Olga Acme <${olga.email}>` },
        },
      },
    ]);
  });

  it('refuses a name the organisation already has, in any case', async () => {
    const { text, audit } = await audited('group-create "field crew EAST" --org acme', ACME_ADMIN);
    expect(text).toContain('acme already has a group called “Field Crew East”; choose another name.');
    expect(audit).toMatchObject([{ action: 'group-create', outcome: 'refused' }]);
  });

  it('refuses a name used in two organisations, asking for --org; --org picks one', async () => {
    expect((await audited('group Ops', VIEWER)).text).toContain('“Ops” names groups in acme, globex; say which with --org <slug>.');
    const card = await audited('group Ops --org globex', VIEWER);
    expect(card.text).toContain('Org globex (globex)');
    expect(card.audit).toEqual([]); // a read: only refusals are audited
  });

  it('looks only in the organisations the caller’s grants cover', async () => {
    expect((await audited('group Ops', ACME_ADMIN)).text).toContain('Org acme (acme)');
    expect((await audited('group-rename "Globex Only" Mine', ACME_ADMIN)).text).toContain('No group matches “Globex Only”');
    expect((await audited('group "Globex Only" --org globex', ACME_ADMIN)).text).toContain('You have no Roster role for this organisation');
    expect(await t.read.group('Globex Only', 'globex')).not.toBeNull();
  });

  it('shows the group card: name, external ID, owner, parent, members, licences and modules', async () => {
    const fork = em();
    const group = await fork.findOneOrFail(Group, { name: 'Field Crew East' });
    fork.create(Licence, { group, product: 'Field app', seats: 25 });
    fork.create(GroupFeature, { group, feature: await fork.findOneOrFail(Feature, { key: 'reporting' }) });
    await fork.flush();
    const { reply, text } = await audited('group FCE-1', VIEWER);
    expect(reply.args.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Field Crew East' } });
    for (const fact of [
      '*External ID*\\nFCE-1',
      '*Owner*\\nOlga Acme',
      '*Parent*\\nOperations',
      '*Members*\\n1',
      '*Licences*\\nField app (25 seats)',
      '*Modules*\\nReporting',
    ]) {
      expect(text).toContain(fact);
    }
  });

  it('creates the group in the one organisation an org-limited admin’s grant covers when --org is left out', async () => {
    expect((await audited('group-create "Acme Team"', ACME_ADMIN)).text).toContain('Created “Acme Team” in acme.');
    expect(await t.read.group('Acme Team', 'acme')).not.toBeNull();
  });

  it('cuts a card that would break Block Kit’s limits instead of failing', async () => {
    const name = `Big ${'g'.repeat(190)}`;
    const id = await t.given.group({ name, organisationSlug: 'acme' });
    const fork = em();
    const group = await fork.findOneOrFail(Group, { id });
    for (let i = 0; i < 40; i++) fork.create(Licence, { group, product: `Product ${String(i).padStart(2, '0')} ${'p'.repeat(150)}`, seats: i + 1 });
    for (let i = 0; i < 15; i++) fork.create(Group, { organisation: group.organisation, name: `Sub ${i} ${'s'.repeat(150)}`, parent: group });
    await fork.flush();
    const { reply } = await audited(`group "${name}"`, VIEWER); // slash() checks the fake Slack accepted it
    expect(reply.args.blocks[0].text.text).toHaveLength(150);
    expect(blocksText(reply)).toContain('*Subgroups*\\n15: Sub 0');
    expect(blocksText(reply)).toContain('…');
  });

  it('renames a group, found by its external ID', async () => {
    const id = (await t.read.group('Field Crew East', 'acme'))!.id;
    const { text, audit } = await audited('group-rename FCE-1 "Field Crew West"', ACME_ADMIN);
    expect(text).toContain('“Field Crew East” is now called “Field Crew West”.');
    expect((await em().findOneOrFail(Group, { id })).name).toBe('Field Crew West');
    expect(audit).toMatchObject([
      { action: 'group-rename', outcome: 'done', targetId: id, changes: { name: { before: 'Field Crew East', after: 'Field Crew West' } } },
    ]);
    expect((await audited('group-rename "Field Crew West" Operations', ACME_ADMIN)).text).toContain('acme already has a group called “Operations”');
  });

  it('sets the external ID, refusing one another group has', async () => {
    const id = (await t.read.group('Ops', 'acme'))!.id;
    const { text, audit } = await audited('group-external-id Ops OPS-7 --org acme', ADMIN);
    expect(text).toContain('“Ops” now has the external ID “OPS-7” (was none).');
    expect((await em().findOneOrFail(Group, { id })).externalId).toBe('OPS-7');
    expect(audit).toMatchObject([{ action: 'group-external-id', outcome: 'done', changes: { externalId: { before: null, after: 'OPS-7' } } }]);
    expect((await audited('group-external-id "Field Crew West" OPS-7', ACME_ADMIN)).text).toContain(
      'The external ID “OPS-7” already belongs to “Ops” in acme.',
    );
  });

  it('deletes a group: members lose the membership, subgroups move up to its parent, one audit event', async () => {
    const [a, b] = [await t.given.account({ firstName: 'Del', lastName: 'One' }), await t.given.account({ firstName: 'Del', lastName: 'Two' })];
    const top = await t.given.group({ name: 'Region' });
    const middle = await t.given.group({ name: 'District', parent: 'Region', owner: a, members: [[b, 'editor']] });
    const [left, right] = [
      await t.given.group({ name: 'Site A', parent: 'District' }),
      await t.given.group({ name: 'Site B', parent: 'District', members: [[b, 'member']] }),
    ];

    const { text, audit } = await audited('group-delete District --reason "merged"', ADMIN);

    expect(text).toContain('Deleted “District” from default: 2 members lost the membership. Its 2 subgroups now sit under “Region”.');
    expect(await em().findOne(Group, { id: middle })).toBeNull();
    expect(await em().count(Membership, { group: { id: middle } })).toBe(0);
    expect((await em().find(Group, { id: { $in: [left, right] } }, { populate: ['parent'] })).map((g) => (g.parent as { id: string } | null)?.id)).toEqual([
      top,
      top,
    ]);
    expect(await t.read.membership(b.id, right)).not.toBeNull(); // a subgroup keeps its own members
    expect(await em().findOneOrFail(Account, { id: a.id })).toMatchObject({ status: 'ACTIVE' }); // accounts stay
    expect(audit).toMatchObject([
      {
        action: 'group-delete',
        outcome: 'done',
        targetId: middle,
        reason: 'merged',
        changes: {
          name: { before: 'District', after: null },
          parent: { before: 'Region', after: null },
          memberCount: { before: 2, after: 0 },
          subgroups: { before: ['Site A', 'Site B'], after: [] },
        },
      },
    ]);
    expect((await audited('group-delete District', ADMIN)).text).toContain('No group matches “District”');
  });
});

describe('modules, licences, add-ons and developer mode', () => {
  let pat: Person;

  beforeAll(async () => {
    pat = await t.given.account({ firstName: 'Pat', lastName: 'Features' });
    await t.given.group({ name: 'Depot' });
  });

  it('switches a module on and off for a group', async () => {
    const group = (await t.read.group('Depot'))!;
    const on = await audited('group-module Depot reporting on', OWNER);
    expect(on.text).toContain('The module Reporting (reporting) is on for “Depot”.');
    expect(on.text).toContain('*Modules*\\nReporting');
    expect(await em().count(GroupFeature, { group: { id: group.id }, active: true })).toBe(1);
    expect(on.audit).toMatchObject([
      { action: 'group-module', outcome: 'done', targetId: group.id, changes: { 'modules.reporting': { before: null, after: 'on' } } },
    ]);
    expect((await audited('group-module Depot reporting on', OWNER)).text).toContain('The module reporting is already on for “Depot”.');
    const off = await audited('group-module Depot Reporting off', OWNER);
    expect(off.text).toContain('is off for “Depot”');
    expect(await em().count(GroupFeature, { group: { id: group.id } })).toBe(0);
    expect(off.audit).toMatchObject([{ changes: { 'modules.reporting': { before: 'on', after: null } } }]);
  });

  it('refuses an unknown module key, listing the known ones, and an add-on key, naming its command', async () => {
    expect((await audited('group-module Depot telepathy on', OWNER)).text).toContain('There is no module “telepathy”. Known modules: reporting, scheduling.');
    expect((await audited(`module ${pat.email} weather on`, OWNER)).text).toContain('“weather” is an add-on, not a module; use add-on.');
  });

  it('cuts the list of known modules to a readable length', async () => {
    const fork = em();
    for (let i = 0; i < 30; i++) fork.create(Feature, { key: `zz-module-${String(i).padStart(2, '0')}`, name: `ZZ module ${i}`, kind: 'module' });
    await fork.flush();
    const { text } = await audited(`module ${pat.email} nope on`, OWNER);
    expect(text).toContain('Known modules: reporting, scheduling, zz-module-00');
    expect(text).toContain(', and 12 more.');
    await em().nativeDelete(Feature, { key: { $like: 'zz-module-%' } });
  });

  it('sets, changes and removes a licence for a group', async () => {
    const group = (await t.read.group('Depot'))!;
    const set = await audited('group-licence Depot "Field app" 25', OWNER);
    expect(set.text).toContain('“Depot” now has 25 seats of Field app (new).');
    expect(set.audit).toMatchObject([{ action: 'group-licence', outcome: 'done', changes: { 'licences.Field app': { before: null, after: 25 } } }]);
    expect((await audited('group-licence Depot "field app" 30', OWNER)).text).toContain('now has 30 seats of Field app (was 25)');
    expect(await em().find(Licence, { group: { id: group.id } })).toMatchObject([{ product: 'Field app', seats: 30 }]);
    const removed = await audited('group-licence Depot "Field app" 0', OWNER);
    expect(removed.text).toContain('“Depot” no longer has a Field app licence (was 30 seats).');
    expect(removed.audit).toMatchObject([{ changes: { 'licences.Field app': { before: 30, after: null } } }]);
    expect(await em().count(Licence, { group: { id: group.id } })).toBe(0);
    expect((await audited('group-licence Depot "Field app" 0', OWNER)).text).toContain('“Depot” has no Field app licence to remove.');
    expect((await audited('group-licence Depot "Field app" lots', OWNER)).text).toContain('seats: must be a whole number of seats');
  });

  it('adds and removes a module for an account', async () => {
    const on = await audited(`module ${pat.email} reporting on --reason "pilot"`, OWNER);
    expect(on.text).toContain('Pat Features now has the module Reporting (reporting).');
    expect(on.text).toContain('*Modules*\\nReporting'); // the account card
    expect(on.audit).toMatchObject([
      { action: 'module', outcome: 'done', targetId: pat.id, reason: 'pilot', changes: { 'modules.reporting': { before: null, after: 'on' } } },
    ]);
    const off = await audited(`module ${pat.email} reporting off`, OWNER);
    expect(off.text).toContain('Pat Features no longer has the module Reporting');
    expect(await em().count(AccountFeature, { account: { id: pat.id } })).toBe(0);
    expect((await audited(`module ${pat.email} reporting off`, OWNER)).text).toContain('Pat Features does not have the module reporting.');
  });

  it('switches an add-on on and off; switched off, it stays installed and listed as off', async () => {
    const on = await audited(`add-on ${pat.email} weather on`, OWNER);
    expect(on.text).toContain('The add-on Weather widget (weather) is on for Pat Features (installed).');
    const off = await audited(`add-on ${pat.email} weather off`, OWNER);
    expect(off.text).toContain('is off for Pat Features (still installed, listed as off)');
    expect(off.text).toContain('Weather widget (off)');
    expect(await em().find(AccountFeature, { account: { id: pat.id } })).toMatchObject([{ active: false }]);
    expect(off.audit).toMatchObject([{ action: 'add-on', outcome: 'done', changes: { 'addOns.weather': { before: 'on', after: 'off' } } }]);
    expect((await audited(`add-on ${pat.email} weather off`, OWNER)).text).toContain('The add-on weather is already off for Pat Features.');
    const other = await t.given.account({ firstName: 'Nia', lastName: 'Noaddons' });
    expect((await audited(`add-on ${other.email} weather off`, OWNER)).text).toContain('Nia Noaddons does not have the add-on weather installed.');
  });

  it('switches developer mode', async () => {
    const { text, audit } = await audited(`developer-mode ${pat.email} on`, OWNER);
    expect(text).toContain('Developer mode is on for Pat Features');
    expect(text).toContain('*Developer mode*\\non');
    expect((await em().findOneOrFail(Account, { id: pat.id })).developerMode).toBe(true);
    expect(audit).toMatchObject([{ action: 'developer-mode', outcome: 'done', targetId: pat.id, changes: { developerMode: { before: false, after: true } } }]);
    expect((await audited(`developer-mode ${pat.email} on`, OWNER)).text).toContain('Developer mode is already on for Pat Features.');
    expect((await audited(`developer-mode ${pat.email} maybe`, OWNER)).text).toContain('state: must be on or off');
  });
});

describe('who may do what', () => {
  let sam: Person;

  beforeAll(async () => {
    sam = await t.given.account({ firstName: 'Sam', lastName: 'Subject' });
    const boss = await t.given.account({ firstName: 'Bea', lastName: 'Boss' });
    await t.given.group({ name: 'Guarded', owner: boss, members: [[sam, 'member']] });
  });

  // Each command as the strongest role that may not run it, from the role each command requires.
  const cases: [string, string, string][] = [
    ['group-add', '{sam} Guarded', HELPDESK],
    ['group-remove', '{sam} Guarded', HELPDESK],
    ['group-role', '{sam} Guarded editor', HELPDESK],
    ['group-owner', 'Guarded {sam}', HELPDESK],
    ['group-create', 'Sneaky', HELPDESK],
    ['group-rename', 'Guarded Renamed', HELPDESK],
    ['group-external-id', 'Guarded X-1', HELPDESK],
    ['group-delete', 'Guarded', HELPDESK],
    ['module', '{sam} reporting on', ADMIN],
    ['group-module', 'Guarded reporting on', ADMIN],
    ['group-licence', 'Guarded Pro 5', ADMIN],
    ['add-on', '{sam} weather on', ADMIN],
    ['developer-mode', '{sam} on', ADMIN],
    ['group', 'Guarded', NOBODY],
  ];

  it.each(cases)('refuses %s to a caller below its role, saying which role it needs, and audits it', async (verb, args, caller) => {
    const { text, audit } = await audited(`${verb} ${args.replace('{sam}', sam.email)}`, caller);
    const needs = caller === NOBODY ? 'You have no Roster role' : caller === HELPDESK ? 'needs an admin' : 'needs an owner';
    expect(text).toContain(needs);
    expect(audit).toMatchObject([{ action: verb, outcome: 'refused', actorId: caller, detail: expect.stringContaining(needs) }]);
    if (verb !== 'group-create') expect(audit[0]!.targetLabel).toBeTruthy(); // a group to create has no target yet
    const group = (await t.read.group('Guarded'))!;
    expect(group.externalId).toBeNull();
    expect(await em().count(Membership, { group: { id: group.id } })).toBe(2);
  });
});

describe('the CLI', () => {
  it('creates a group and shows its card, as the platform owner, audited as the CLI', async () => {
    const run = (...args: string[]) => runCli(['user', ...args], { DATABASE_URL: t.config.DATABASE_URL, LOG_LEVEL: 'warn' });
    const created = await run('group-create', 'Night Crew', '--external-id', 'NC-1', '--org', 'globex');
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toContain('Created “Night Crew” in globex.');
    const group = (await t.read.group('Night Crew', 'globex'))!;
    expect(await t.given.audit({ targetId: group.id })).toMatchObject([
      { action: 'group-create', outcome: 'done', actorType: 'cli', changes: { name: { before: null, after: 'Night Crew' } } },
    ]);

    const card = await run('group', 'NC-1');
    expect(card.code).toBe(0);
    expect(card.stdout).toMatch(/^Night Crew$/m);
    expect(card.stdout).toMatch(/External ID\s+NC-1/);
    expect(card.stdout).toMatch(/Members\s+0/);

    const refused = await run('group-delete', 'Ops');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('“Ops” names groups in acme, globex; say which with --org <slug>.');
  });
});
