import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account } from '../../src/db/entities/index.ts';
import {
  blockActionsPayload,
  blockSuggestionPayload,
  checkboxesValue,
  multiExternalSelectValue,
  plainTextValue,
  staticSelectValue,
} from '../support/slackRequests.ts';
import { blocksText, cardButtons, inputElements, shownText } from '../support/slackReplies.ts';
import { startTestRoster, uniqueTag, type TestRoster } from '../support/testRoster.ts';

const ADMIN = 'U0MADMIN01';
const ADMIN2 = 'U0MADMIN02';
const ACME_ADMIN = 'U0MACME001';
const HELPDESK = 'U0MHELP001';
const VIEWER = 'U0MVIEW001';
const CHANNEL = 'C0MODALS';

let t: TestRoster;

const accountCount = () => t.roster.orm.em.fork().count(Account, {});
const openModal = (text: string, userId: string) => t.openModal(text, userId, { channelId: CHANNEL });

/** `/user <text>` answered with a sentence, not a modal. */
const slash = (text: string, userId: string) => t.slash(text, userId, { channelId: CHANNEL });

function createValues(fields: {
  first?: string;
  last?: string;
  email: string;
  username?: string;
  role?: string;
  org?: string;
  groups?: string[];
  invite?: boolean;
}) {
  return {
    first_name: plainTextValue(fields.first ?? 'Ada'),
    last_name: plainTextValue(fields.last ?? 'Lovelace'),
    email: plainTextValue(fields.email),
    username: plainTextValue(fields.username ?? null),
    role: staticSelectValue(fields.role ?? 'user'),
    organisation: staticSelectValue(fields.org ?? 'default'),
    groups: multiExternalSelectValue('account.groups.pick', fields.groups ?? []),
    invitation: checkboxesValue(fields.invite === false ? [] : ['send']),
  };
}

/** The edit modal's current values with some changed, as Slack would submit them. */
function editValues(view: any, changes: Partial<Record<'first_name' | 'last_name' | 'username' | 'email' | 'organisation', string>>) {
  const fields = inputElements(view);
  const value = (block: string) => changes[block as keyof typeof changes] ?? fields[block].initial_value;
  return {
    first_name: plainTextValue(value('first_name')),
    last_name: plainTextValue(value('last_name')),
    username: plainTextValue(value('username')),
    email: plainTextValue(value('email')),
    organisation: staticSelectValue(changes.organisation ?? fields.organisation.initial_option.value),
  };
}

beforeAll(async () => {
  t = await startTestRoster();
  await t.given.organisation('acme');
  await t.given.grant(ADMIN, 'admin');
  await t.given.grant(ADMIN2, 'admin');
  await t.given.grant(ACME_ADMIN, 'admin', 'acme');
  await t.given.grant(HELPDESK, 'helpdesk');
  await t.given.grant(VIEWER, 'viewer');
});
afterAll(() => t?.stop());

describe('the create modal', () => {
  it('opens with the command’s trigger_id, offering the roles and the organisations the caller may create in', async () => {
    const view = await openModal('create', ADMIN);
    expect(view.callback_id).toBe('account.create');
    expect(JSON.parse(view.private_metadata)).toMatchObject({ c: CHANNEL });
    const fields = inputElements(view);
    expect(Object.keys(fields)).toEqual(['first_name', 'last_name', 'email', 'username', 'role', 'organisation', 'groups', 'invitation']);
    expect(fields.role.options.map((o: any) => o.value)).toEqual(['user', 'manager', 'administrator']);
    expect(fields.organisation.options.map((o: any) => o.value)).toEqual(expect.arrayContaining(['default', 'acme']));
    expect(fields.organisation.initial_option.value).toBe('default');
    expect(fields.groups.type).toBe('multi_external_select');
    expect(fields.invitation.initial_options).toHaveLength(1);

    const limited = inputElements(await openModal('create', ACME_ADMIN));
    expect(limited.organisation.options.map((o: any) => o.value)).toEqual(['acme']);
    expect(limited.organisation.initial_option.value).toBe('acme');
  });

  it('pre-fills the email typed after create', async () => {
    expect(inputElements(await openModal('create Grace@Example.test', ADMIN)).email.initial_value).toBe('grace@example.test');
  });

  it('answers invalid input with messages under the fields and creates nothing', async () => {
    const view = await openModal('create', ADMIN);
    const before = await accountCount();
    const body = await t.submitView(view, ADMIN, createValues({ first: '   ', email: 'not-an-email' }));
    expect(body.response_action).toBe('errors');
    expect(body.errors).toEqual({ first_name: 'Must not be empty', email: expect.stringContaining('Must be an email address') });
    expect(await accountCount()).toBe(before);
    expect(await t.given.audit({ action: 'create', outcome: 'done', actorId: ADMIN })).toEqual([]);
  });

  it('refuses an email that is taken, whatever its case, under the email field', async () => {
    const taken = await t.given.account({ firstName: 'Taken', lastName: 'Already' });
    const view = await openModal('create', ADMIN);
    const before = await accountCount();
    const body = await t.submitView(view, ADMIN, createValues({ email: taken.email.toUpperCase() }));
    expect(body).toMatchObject({ response_action: 'errors', errors: { email: `${taken.email} already belongs to Taken Already.` } });
    expect(await accountCount()).toBe(before);
  });

  it('creates the account, closes the modal, audits once and posts the card to the caller in the channel', async () => {
    const email = `ada.${uniqueTag()}@example.test`;
    const view = await openModal('create', ADMIN);
    const body = await t.submitView(view, ADMIN, createValues({ first: 'Ada', last: 'Modal', email, role: 'manager', org: 'acme', invite: false }));
    expect(body).toBe('');
    const created = await t.roster.orm.em.fork().findOneOrFail(Account, { email }, { populate: ['organisation'] });
    expect(created).toMatchObject({ firstName: 'Ada', lastName: 'Modal', role: 'manager', status: 'STAGED', username: email.split('@')[0] });
    expect(created.organisation.slug).toBe('acme');
    expect(await t.given.audit({ targetId: created.id })).toMatchObject([{ action: 'create', outcome: 'done', actorId: ADMIN }]);
    const card = await t.slack.waitFor('chat.postEphemeral', (c) => blocksText(c).includes(email));
    expect(card).toMatchObject({ failed: false, args: { channel: CHANNEL, user: ADMIN } });
    expect(blocksText(card)).toContain('Created Ada Modal');
  });

  it('puts the new account in the chosen groups in the same action, audited once with its groups', async () => {
    const [nightsName, daysName] = [`Night Shift ${uniqueTag()}`, `Day Shift ${uniqueTag()}`];
    const nights = await t.given.group({ name: nightsName });
    const days = await t.given.group({ name: daysName });
    const email = `grouped.${uniqueTag()}@example.test`;
    const body = await t.submitView(await openModal('create', ADMIN), ADMIN, createValues({ email, groups: [nights, days] }));
    expect(body).toBe('');
    const created = await t.roster.orm.em.fork().findOneOrFail(Account, { email });
    expect(await t.read.membershipCount(created.id)).toBe(2);
    const [event, ...more] = await t.given.audit({ targetId: created.id });
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      action: 'create',
      outcome: 'done',
      changes: { [`groups.${nightsName}`]: { after: 'member' }, [`groups.${daysName}`]: { after: 'member' } },
    });
    const card = await t.slack.waitFor('chat.postEphemeral', (c) => blocksText(c).includes(email));
    expect(blocksText(card)).toContain('Added to');
  });

  it('refuses groups of another organisation before creating anything', async () => {
    const acmeGroup = await t.given.group({ name: `Acme Crew ${uniqueTag()}`, organisationSlug: 'acme' });
    const before = await accountCount();
    const body = await t.submitView(
      await openModal('create', ADMIN),
      ADMIN,
      createValues({ email: `wrong.${uniqueTag()}@example.test`, org: 'default', groups: [acmeGroup] }),
    );
    expect(body.response_action).toBe('errors');
    expect(body.errors.groups).toContain('is in acme, not default');
    expect(await accountCount()).toBe(before);
  });

  it('offers groups as the admin types in the picker', async () => {
    const name = `Picker ${uniqueTag()}`;
    const id = await t.given.group({ name });
    const view = await openModal('create', ADMIN);
    const response = await t.send.options(
      blockSuggestionPayload({ userId: ADMIN, actionId: 'account.groups.pick', value: name.slice(0, 9).toLowerCase(), view }),
    );
    expect(response.body.options).toContainEqual({ text: { type: 'plain_text', text: `${name} · default`, emoji: false }, value: id });
  });

  it('falls back to a DM when the modal knows no channel', async () => {
    const view = await t.openModal('create', ADMIN2, { channelId: '' });
    const email = `dm.${uniqueTag()}@example.test`;
    expect(await t.submitView(view, ADMIN2, createValues({ email }))).toBe('');
    const dm = await t.slack.waitFor('chat.postMessage', (c) => blocksText(c).includes(email));
    expect(dm.args.channel).toBe(ADMIN2);
  });
});

describe('the edit modal', () => {
  it('opens from /user edit pre-filled, carrying accountId:version', async () => {
    const ed = await t.given.account({ firstName: 'Ed', lastName: 'Prefill' });
    const view = await openModal(`edit ${ed.email}`, ADMIN);
    expect(view.callback_id).toBe('account.edit');
    const fields = inputElements(view);
    expect(fields.first_name.initial_value).toBe('Ed');
    expect(fields.last_name.initial_value).toBe('Prefill');
    expect(fields.username.initial_value).toBe(ed.username);
    expect(fields.email.initial_value).toBe(ed.email);
    expect(fields.organisation.initial_option.value).toBe('default');
    expect(JSON.parse(view.private_metadata)).toMatchObject({ account: `${ed.id}:1`, c: CHANNEL });
  });

  it('applies the changed fields with one audit event listing each before and after, and shows the card', async () => {
    const fay = await t.given.account({ firstName: 'Fay', lastName: 'Before' });
    const view = await openModal(`edit ${fay.username}`, ADMIN);
    const email = `fay.after.${uniqueTag()}@example.test`;
    const body = await t.submitView(view, ADMIN, editValues(view, { last_name: 'After', email: email.toUpperCase() }));
    expect(body).toBe('');
    expect(await t.read.account(fay.id)).toMatchObject({ firstName: 'Fay', lastName: 'After', email, username: fay.username, version: 2 });
    const audit = await t.given.audit({ targetId: fay.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'edit',
      outcome: 'done',
      actorId: ADMIN,
      changes: { lastName: { before: 'Before', after: 'After' }, email: { before: fay.email, after: email } },
    });
    expect(Object.keys(audit[0]!.changes!).sort()).toEqual(['email', 'lastName']);
    const card = await t.slack.waitFor('chat.postEphemeral', (c) => blocksText(c).includes(email));
    expect(blocksText(card)).toContain('Updated Fay After');
  });

  it('answers a taken username or a bad email under its field and changes nothing', async () => {
    const gil = await t.given.account({ firstName: 'Gil', lastName: 'Edit' });
    const holder = await t.given.account({ firstName: 'Hana', lastName: 'Holder' });
    const view = await openModal(`edit ${gil.email}`, ADMIN);
    const body = await t.submitView(view, ADMIN, editValues(view, { username: holder.username.toUpperCase(), email: 'nope' }));
    expect(body.response_action).toBe('errors');
    expect(body.errors).toEqual({ email: expect.stringContaining('Must be an email address') });
    const taken = await t.submitView(view, ADMIN, editValues(view, { username: holder.username.toUpperCase() }));
    expect(taken).toEqual({
      response_action: 'errors',
      errors: { username: `The username “${holder.username}” is taken by Hana Holder (${holder.email}); nothing was changed.` },
    });
    expect(await t.read.account(gil.id)).toMatchObject({ username: gil.username, email: gil.email, version: 1 });
    expect(await t.given.audit({ targetId: gil.id, outcome: 'done' })).toEqual([]);
  });

  it('lets only one of two concurrent submissions through; the other is told to reopen, and changes nothing', async () => {
    const ivy = await t.given.account({ firstName: 'Ivy', lastName: 'Race' });
    const first = await openModal(`edit ${ivy.email}`, ADMIN);
    const second = await openModal(`edit ${ivy.email}`, ADMIN2);
    const answers = await Promise.all([
      t.submitView(first, ADMIN, editValues(first, { first_name: 'Ivy-One' })),
      t.submitView(second, ADMIN2, editValues(second, { last_name: 'Race-Two' })),
    ]);
    const refused = answers.filter((a) => a !== '');
    expect(refused).toHaveLength(1);
    expect(refused[0].response_action).toBe('update');
    expect(JSON.stringify(refused[0].view.blocks)).toContain('changed by someone else meanwhile; nothing was changed. Close this form and open it again');
    const now = await t.read.account(ivy.id);
    expect(now.version).toBe(2);
    expect([now.firstName === 'Ivy-One', now.lastName === 'Race-Two'].filter(Boolean)).toHaveLength(1);
    expect((await t.given.audit({ targetId: ivy.id })).map((e) => [e.action, e.outcome])).toEqual(
      expect.arrayContaining([
        ['edit', 'done'],
        ['edit', 'refused'],
      ]),
    );
    expect(await t.given.audit({ targetId: ivy.id, outcome: 'done' })).toHaveLength(1);

    // A form opened before that change is refused the same way, one after the other.
    const stale = await t.submitView(first, ADMIN, editValues(first, { first_name: 'Late' }));
    expect(stale.response_action).toBe('update');
    const after = await t.read.account(ivy.id);
    expect(after.firstName).not.toBe('Late');
    expect(after).toMatchObject({ firstName: now.firstName, lastName: now.lastName, version: 2 });
  });

  it('opens from the card’s Edit button (admins only) and edits the card in its channel in place', async () => {
    const jon = await t.given.account({ firstName: 'Jon', lastName: 'Card' });
    const helpdeskCard = await slash(jon.email, HELPDESK);
    expect(blocksText(helpdeskCard)).toContain('Jon Card');
    expect(cardButtons(helpdeskCard).map((b) => b.text.text)).not.toContain('Edit');
    const viewerCard = await slash(jon.email, VIEWER);
    expect(blocksText(viewerCard)).toContain('Jon Card');
    expect(cardButtons(viewerCard)).toEqual([]);
    const card = await slash(jon.email, ADMIN);
    expect(cardButtons(card)[0]).toMatchObject({ action_id: 'account.edit.open', text: { text: 'Edit' }, value: `${jon.id}:1` });

    const ts = '1700000002.000300';
    const click = blockActionsPayload({
      userId: ADMIN,
      actionId: 'account.edit.open',
      blocks: card.args.blocks,
      channelId: CHANNEL,
      messageTs: ts,
      responseUrl: t.slack.responseUrl(),
    });
    const view = await t.openModalFrom(click);
    expect(inputElements(view).first_name.initial_value).toBe('Jon');
    expect(await t.submitView(view, ADMIN, editValues(view, { first_name: 'Jonathan' }))).toBe('');
    const update = await t.slack.waitFor('chat.update', (c) => c.args.ts === ts);
    expect(update.args.channel).toBe(CHANNEL);
    expect(blocksText(update)).toContain('Updated Jonathan Card: first name Jon → Jonathan');
  });

  it('replaces an ephemeral card through its response_url once the edit is saved', async () => {
    const una = await t.given.account({ firstName: 'Una', lastName: 'Ephemeral' });
    const card = await slash(una.email, ADMIN);
    const responseUrl = t.slack.responseUrl();
    const click = blockActionsPayload({ userId: ADMIN, actionId: 'account.edit.open', blocks: card.args.blocks, responseUrl });
    click.container.is_ephemeral = true;
    const view = await t.openModalFrom(click);
    expect(await t.submitView(view, ADMIN, editValues(view, { last_name: 'Replaced' }))).toBe('');
    const replaced = await t.slack.waitFor('response_url', (c) => c.args._responseUrl === responseUrl);
    expect(replaced.args.replace_original).toBe(true);
    expect(blocksText(replaced)).toContain('Updated Una Replaced');
  });

  it('moves an account to another organisation, out of its old groups, when the grant covers both', async () => {
    const kay = await t.given.account({ firstName: 'Kay', lastName: 'Mover' });
    const groupName = `Old Team ${uniqueTag()}`;
    await t.given.group({ name: groupName, members: [[kay, 'member']] });
    const view = await openModal(`edit ${kay.email}`, ADMIN);
    expect(await t.submitView(view, ADMIN, editValues(view, { organisation: 'acme' }))).toBe('');
    expect((await t.read.account(kay.id)).organisation.slug).toBe('acme');
    expect(await t.read.membershipCount(kay.id)).toBe(0);
    expect(await t.given.audit({ targetId: kay.id })).toMatchObject([
      { action: 'edit', changes: { organisation: { before: 'default', after: 'acme' }, groups: { before: [groupName], after: [] } } },
    ]);
  });

  it('refuses a move to an organisation the caller’s grant does not cover, under the organisation field', async () => {
    const lia = await t.given.account({ firstName: 'Lia', lastName: 'Acme', organisationSlug: 'acme' });
    const view = await openModal(`edit ${lia.email}`, ACME_ADMIN);
    expect(inputElements(view).organisation.options.map((o: any) => o.value)).toEqual(['acme']);
    const body = await t.submitView(view, ACME_ADMIN, editValues(view, { organisation: 'default' }));
    expect(body.response_action).toBe('errors');
    expect(body.errors.organisation).toContain('no Roster role for this organisation');
    expect((await t.read.account(lia.id)).organisation.slug).toBe('acme');
  });
});

describe('refusals before a modal opens', () => {
  it('tells a viewer they cannot create, audits it, and opens nothing', async () => {
    const opened = t.slack.calls('views.open').length;
    const reply = await slash('create', VIEWER);
    expect(blocksText(reply)).toContain('You are a viewer; creating an account needs an admin or above.');
    expect(t.slack.calls('views.open')).toHaveLength(opened);
    expect(await t.given.audit({ actorId: VIEWER, action: 'create' })).toMatchObject([
      { outcome: 'refused', detail: expect.stringContaining('needs an admin') },
    ]);
  });

  it('tells helpdesk they cannot edit, and an organisation admin they cannot edit elsewhere, auditing both', async () => {
    const mo = await t.given.account({ firstName: 'Mo', lastName: 'Protected' });
    const opened = t.slack.calls('views.open').length;
    expect(blocksText(await slash(`edit ${mo.username}`, HELPDESK))).toContain('You are a helpdesk; editing an account needs an admin or above.');
    expect(blocksText(await slash(`edit ${mo.username}`, ACME_ADMIN))).toContain('no Roster role for this organisation');
    expect(t.slack.calls('views.open')).toHaveLength(opened);
    expect(await t.given.audit({ actorId: HELPDESK, action: 'edit' })).toMatchObject([
      { outcome: 'refused', targetId: mo.id, detail: expect.stringContaining('needs an admin') },
    ]);
    expect(await t.given.audit({ actorId: ACME_ADMIN, action: 'edit', targetId: mo.id })).toMatchObject([
      { outcome: 'refused', detail: expect.stringContaining('no Roster role for this organisation') },
    ]);
  });
});

describe('typed email and username', () => {
  it('changes a username, case-insensitively unique, with a sentence naming who has one already', async () => {
    const nia = await t.given.account({ firstName: 'Nia', lastName: 'Login' });
    const other = await t.given.account({ firstName: 'Oli', lastName: 'Other' });
    const newName = `Nia.${uniqueTag()}`;
    expect(blocksText(await slash(`username ${nia.email} ${newName}`, ADMIN))).toContain(`username ${nia.username} → ${newName.toLowerCase()}`);
    expect((await t.read.account(nia.id)).username).toBe(newName.toLowerCase());
    expect(await t.given.audit({ targetId: nia.id })).toMatchObject([
      { action: 'username', outcome: 'done', changes: { username: { before: nia.username, after: newName.toLowerCase() } } },
    ]);

    const reply = await slash(`username ${nia.email} ${other.username.toUpperCase()}`, ADMIN);
    expect(blocksText(reply)).toContain(`The username “${other.username}” is taken by Oli Other`);
    expect((await t.read.account(nia.id)).username).toBe(newName.toLowerCase());
  });

  it('changes an email and, with --org, the organisation; a taken email is refused naming its holder', async () => {
    const pat = await t.given.account({ firstName: 'Pat', lastName: 'Mail' });
    const other = await t.given.account({ firstName: 'Quinn', lastName: 'Inbox' });
    const email = `pat.${uniqueTag()}@acme.test`;
    expect(blocksText(await slash(`email ${pat.username} ${email.toUpperCase()} --org acme`, ADMIN))).toContain(
      `Updated Pat Mail: email ${pat.email} → ${email}, organisation default → acme`,
    );
    expect(await t.read.account(pat.id)).toMatchObject({ email, organisation: { slug: 'acme' } });
    expect(await t.given.audit({ targetId: pat.id })).toMatchObject([
      { action: 'email', changes: { email: { before: pat.email, after: email }, organisation: { before: 'default', after: 'acme' } } },
    ]);

    expect(blocksText(await slash(`email ${pat.username} ${other.email}`, ADMIN))).toContain(`${other.email} already belongs to Quinn Inbox`);
    // An admin limited to acme learns only that someone elsewhere has it.
    expect(blocksText(await slash(`email ${pat.username} ${other.email}`, ACME_ADMIN))).toContain(
      'already belongs to an account in an organisation you cannot see',
    );
    expect((await t.read.account(pat.id)).email).toBe(email);
    expect(await t.given.audit({ targetId: pat.id, outcome: 'refused' })).toHaveLength(2);
  });

  it('changes nothing, and records nothing, when the value is already the account’s', async () => {
    const rae = await t.given.account({ firstName: 'Rae', lastName: 'Same' });
    expect(blocksText(await slash(`username ${rae.email} ${rae.username.toUpperCase()}`, ADMIN))).toContain(
      'Nothing to change: Rae Same already has these values.',
    );
    expect(await t.given.audit({ targetId: rae.id })).toEqual([]);
  });

  it('answers /user edit with more than the account with how to use it, audited, and opens nothing', async () => {
    const sam = await t.given.account({ firstName: 'Sam', lastName: 'Flags' });
    const opened = t.slack.calls('views.open').length;
    expect(shownText(await slash(`edit ${sam.email} --first Samuel`, ADMIN))).toContain('`/user edit <who>` opens a form');
    expect(t.slack.calls('views.open')).toHaveLength(opened);
    expect((await t.read.account(sam.id)).firstName).toBe('Sam');
    expect((await t.given.audit({ actorId: ADMIN, action: 'edit', outcome: 'refused' })).at(-1)).toMatchObject({
      detail: expect.stringContaining('name just the account'),
    });
  });
});
