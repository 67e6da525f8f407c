import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockKitErrors, type RecordedCall } from '../support/fakeSlack.ts';
import { blockActionsPayload, checkboxesValue, plainTextValue, staticSelectValue, triggerId as newTriggerId } from '../support/slackRequests.ts';
import { blocksText, inputBlocks } from '../support/slackReplies.ts';
import { startTestRoster, uniqueTag, type TestRoster } from '../support/testRoster.ts';

const VIEWER = 'U0MOREVW01';
const HELPDESK = 'U0MOREHD01';
const ADMIN = 'U0MOREAD01';
const ADMIN2 = 'U0MOREAD02';
const OWNER = 'U0MOREOW01';
const CHANNEL = 'C0MORE';

let t: TestRoster;

/** The card's "More actions…" menu, or undefined when the card has none. */
const menuOf = (card: RecordedCall): any =>
  (card.args.blocks as any[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements)
    .find((e: any) => e.action_id === 'account.more');
const menuActions = (card: RecordedCall): string[] => (menuOf(card)?.options ?? []).map((o: any) => o.value.split('|')[0]);

/** `/user <text>`: the ephemeral answer, checked by the fake's Block Kit rules like every message. */
const slash = (text: string, userId: string) => t.slash(text, userId, { channelId: CHANNEL });

/** Picks `actionName` in the card's menu, as if the card were a channel message at `ts` (ephemeral when `ts` is omitted). */
function choosePayload(
  card: RecordedCall,
  actionName: string,
  userId: string,
  { ts, triggerId = newTriggerId(), responseUrl = t.slack.responseUrl() }: { ts?: string; triggerId?: string; responseUrl?: string } = {},
) {
  const value = menuOf(card)?.options.find((o: any) => o.value.startsWith(`${actionName}|`))?.value;
  expect(value, `${actionName} in the menu`).toBeDefined();
  const payload = blockActionsPayload({
    userId,
    actionId: 'account.more',
    blocks: card.args.blocks,
    channelId: CHANNEL,
    messageTs: ts,
    triggerId,
    responseUrl,
    selectedOption: { value },
  });
  if (!ts) payload.container.is_ephemeral = true;
  return payload;
}

/** Chooses an action that opens a form; resolves to the modal Slack was asked to open. */
const openForm = (card: RecordedCall, actionName: string, userId: string, where: { ts?: string } = {}): Promise<any> =>
  t.openModalFrom(choosePayload(card, actionName, userId, where));

beforeAll(async () => {
  t = await startTestRoster();
  await t.given.grant(VIEWER, 'viewer');
  await t.given.grant(HELPDESK, 'helpdesk');
  await t.given.grant(ADMIN, 'admin');
  await t.given.grant(ADMIN2, 'admin');
  await t.given.grant(OWNER, 'owner');
});
afterAll(() => t?.stop());

describe('the card’s More actions menu', () => {
  it('lists each role’s account actions that have no button, after the buttons', async () => {
    const ann = await t.given.account({ firstName: 'Ann', lastName: 'Menu', mfaEnrolled: true });
    const admin = ['audit', 'lock', 'delete', 'reset-password', 'role', 'username', 'email', 'group-add', 'group-remove', 'group-role'];
    expect(menuActions(await slash(ann.email, VIEWER))).toEqual(['audit']);
    expect(menuActions(await slash(ann.email, HELPDESK))).toEqual(['audit', 'reset-password']);
    expect(menuActions(await slash(ann.email, ADMIN))).toEqual(admin);
    expect(menuActions(await slash(ann.email, OWNER))).toEqual([...admin, 'module', 'add-on', 'developer-mode']);

    const card = await slash(ann.email, ADMIN);
    const elements = (card.args.blocks as any[]).find((b) => b.type === 'actions').elements;
    expect(elements.map((e: any) => e.text?.text ?? e.placeholder.text)).toEqual([
      'Edit',
      'Lock',
      'Deactivate',
      'Reset MFA',
      'Reset password',
      'More actions…',
    ]);
    const options = menuOf(card).options;
    expect(options.slice(0, 4).map((o: any) => o.text.text)).toEqual(['Audit', 'Lock…', 'Delete…', 'Reset password…']);
    expect(options[0].value).toBe(`audit|${ann.id}:1`);
  });

  it('leaves out what the status rules out, as the buttons do', async () => {
    const bo = await t.given.account({ firstName: 'Bo', lastName: 'Deactivated', status: 'DEACTIVATED' });
    const actions = menuActions(await slash(bo.email, ADMIN));
    expect(actions).not.toContain('lock');
    expect(actions).not.toContain('reset-password');
    expect(actions).toContain('role');
  });

  it('gives a locked account Unlock and no second Lock button; its lock is changed with Lock…', async () => {
    const lu = await t.given.account({ firstName: 'Lu', lastName: 'Locked', status: 'SUSPENDED' });
    const card = await slash(lu.email, ADMIN);
    const buttons = (card.args.blocks as any[]).find((b) => b.type === 'actions').elements.map((e: any) => e.text?.text);
    expect(buttons).toContain('Unlock');
    expect(buttons).not.toContain('Lock');
    expect(menuActions(card)).toContain('lock');
  });

  it('shows the history to the chooser alone, at once, with no form', async () => {
    const cy = await t.given.account({ firstName: 'Cy', lastName: 'History' });
    await slash(`role ${cy.email} manager --reason promoted`, ADMIN);
    const card = await slash(cy.email, VIEWER);
    const opened = t.slack.calls('views.open').length;
    const responseUrl = t.slack.responseUrl();
    expect((await t.send.interaction(choosePayload(card, 'audit', VIEWER, { ts: '1700000010.000100', responseUrl }))).status).toBe(200);
    const reply = await t.slack.waitFor('response_url', (c) => c.args._responseUrl === responseUrl);
    expect(reply.args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(blocksText(reply)).toContain('History of Cy History, newest first');
    expect(blocksText(reply)).toContain('role user → manager');
    expect(t.slack.calls('views.open')).toHaveLength(opened);
    expect(t.slack.calls('chat.update').filter((c) => c.args.ts === '1700000010.000100')).toEqual([]);
  });
});

describe('a form generated from the action', () => {
  it('changes the role: a valid modal with a select of roles, one audit event, the card edited in place', async () => {
    const dee = await t.given.account({ firstName: 'Dee', lastName: 'Role', email: `dee.${uniqueTag()}@example.test` });
    const ts = '1700000020.000100';
    const view = await openForm(await slash(dee.email, ADMIN), 'role', ADMIN, { ts });
    expect(blockKitErrors('modal', view)).toEqual([]);
    expect(view).toMatchObject({ callback_id: 'account.more.submit', title: { text: 'role' }, submit: { text: 'Apply' } });
    expect(view.blocks[0].text.text).toBe(`*Dee Role* &lt;${dee.email}&gt;, now ACTIVE`);
    const fields = inputBlocks(view);
    expect(Object.keys(fields)).toEqual(['role', 'reason']);
    expect(fields.role).toMatchObject({
      label: { text: 'Role' },
      optional: false,
      hint: { text: '/user role <who> <user|manager|administrator> [--reason <text>]' },
    });
    expect(fields.role.element.type).toBe('static_select');
    expect(fields.role.element.options.map((o: any) => o.value)).toEqual(['user', 'manager', 'administrator']);
    expect(fields.reason).toMatchObject({ optional: true, element: { type: 'plain_text_input' } });
    expect(JSON.parse(view.private_metadata)).toMatchObject({ do: 'role', account: `${dee.id}:1`, c: CHANNEL, ts });

    expect(await t.submitView(view, ADMIN, { role: staticSelectValue('manager'), reason: plainTextValue('team lead') })).toBe('');
    expect(await t.read.account(dee.id)).toMatchObject({ role: 'manager', version: 2 });
    expect(await t.given.audit({ targetId: dee.id })).toMatchObject([
      { action: 'role', outcome: 'done', actorId: ADMIN, reason: 'team lead', changes: { role: { before: 'user', after: 'manager' } } },
    ]);
    const update = await t.slack.waitFor('chat.update', (c) => c.args.ts === ts);
    expect(update).toMatchObject({ failed: false, args: { channel: CHANNEL } });
    expect(blocksText(update)).toContain('Dee Role is now manager (was user)');
    expect(menuOf(update)?.options[0].value).toBe(`audit|${dee.id}:2`);
  });

  it('locks until a future date from a confirming form, scheduling the end', async () => {
    const eve = await t.given.account({ firstName: 'Eve', lastName: 'Until' });
    const ts = '1700000030.000100';
    const view = await openForm(await slash(eve.email, ADMIN), 'lock', ADMIN, { ts });
    expect(view.submit.text).toBe('Lock');
    expect(JSON.stringify(view.blocks)).toContain(':warning: *Lock* applies to Eve Until as soon as you press it');
    expect(Object.keys(inputBlocks(view))).toEqual(['until', 'reason']);
    const until = new Date(Date.now() + 3 * 86_400_000).toISOString();
    expect(await t.submitView(view, ADMIN, { until: plainTextValue(until), reason: plainTextValue('holiday') })).toBe('');
    expect(await t.read.account(eve.id)).toMatchObject({ status: 'SUSPENDED', statusReason: 'holiday' });
    expect((await t.read.account(eve.id)).suspendedUntil?.toISOString()).toBe(until);
    expect(blocksText(await t.slack.waitFor('chat.update', (c) => c.args.ts === ts))).toContain('suspension ends');
  });

  it('answers a past date under its field and changes nothing', async () => {
    const fin = await t.given.account({ firstName: 'Fin', lastName: 'Past' });
    const view = await openForm(await slash(fin.email, ADMIN), 'lock', ADMIN, { ts: '1700000040.000100' });
    const body = await t.submitView(view, ADMIN, { until: plainTextValue('2020-01-01'), reason: plainTextValue('') });
    expect(body).toEqual({ response_action: 'errors', errors: { until: 'Must be in the future' } });
    expect(await t.read.account(fin.id)).toMatchObject({ status: 'ACTIVE', suspendedUntil: null, version: 1 });
    expect(await t.given.audit({ targetId: fin.id, outcome: 'done' })).toEqual([]);
  });

  it('refuses a form opened before someone else changed the account, and changes nothing', async () => {
    const gia = await t.given.account({ firstName: 'Gia', lastName: 'Stale' });
    const card = await slash(gia.email, ADMIN);
    const view = await openForm(card, 'role', ADMIN, { ts: '1700000050.000100' });
    await slash(`lock ${gia.email}`, ADMIN2);
    const body = await t.submitView(view, ADMIN, { role: staticSelectValue('administrator') });
    expect(body.response_action).toBe('errors');
    expect(body.errors.role).toContain('changed by someone else meanwhile; nothing was changed');
    expect(await t.read.account(gia.id)).toMatchObject({ role: 'user', status: 'SUSPENDED', version: 2 });
    expect((await t.given.audit({ targetId: gia.id, outcome: 'done' })).map((e) => e.action)).toEqual(['lock']);
    expect(await t.given.audit({ targetId: gia.id, action: 'role' })).toMatchObject([{ outcome: 'refused', actorId: ADMIN }]);

    // Chosen again from the same, now stale, card: the form says so and is about the account as it is now.
    const again = await openForm(card, 'role', ADMIN, { ts: '1700000050.000100' });
    expect(JSON.stringify(again.blocks)).toContain('This account changed since the card was shown');
    expect(again.blocks[0].text.text).toContain('now SUSPENDED');
    expect(JSON.parse(again.private_metadata).account).toBe(`${gia.id}:2`);
  });

  it('refuses a group form opened before someone else changed the account, and adds no membership', async () => {
    const ida = await t.given.account({ firstName: 'Ida', lastName: 'Stalegroup' });
    const groupName = `Late Crew ${uniqueTag()}`;
    await t.given.group({ name: groupName });
    const card = await slash(ida.email, ADMIN);
    const view = await openForm(card, 'group-add', ADMIN, { ts: '1700000060.000100' });
    await slash(`lock ${ida.email}`, ADMIN2);
    const body = await t.submitView(view, ADMIN, { group: plainTextValue(groupName), role: staticSelectValue('member') });
    expect(body.response_action).toBe('errors');
    expect(JSON.stringify(body.errors)).toContain('changed by someone else meanwhile');
    expect(await t.read.membershipCount(ida.id)).toBe(0);
  });

  it('joins a group with the enum default preselected, replacing an ephemeral card through its response_url', async () => {
    const hal = await t.given.account({ firstName: 'Hal', lastName: 'Joiner' });
    const groupName = `Field Crew ${uniqueTag()}`;
    const groupId = await t.given.group({ name: groupName });
    const card = await slash(hal.email, ADMIN);
    const responseUrl = t.slack.responseUrl();
    const view = await t.openModalFrom(choosePayload(card, 'group-add', ADMIN, { responseUrl }));
    const fields = inputBlocks(view);
    expect(Object.keys(fields)).toEqual(['group', 'role', 'reason']);
    expect(fields.role).toMatchObject({ optional: true, element: { initial_option: { value: 'member' } } });

    const missing = await t.submitView(view, ADMIN, { group: plainTextValue('No Such Group'), role: staticSelectValue('member') });
    expect(missing.response_action).toBe('errors');
    expect(Object.keys(missing.errors)).toEqual(['group']);

    expect(await t.submitView(view, ADMIN, { group: plainTextValue(groupName), role: staticSelectValue('editor') })).toBe('');
    expect(await t.read.membership(hal.id, groupId)).toMatchObject({ role: 'editor' });
    const replaced = await t.slack.waitFor('response_url', (c) => c.args._responseUrl === responseUrl);
    expect(replaced.args.replace_original).toBe(true);
    expect(blocksText(replaced)).toContain(`Hal Joiner is now in “${groupName}” as editor`);
  });

  it('switches developer mode for an owner with an on/off select', async () => {
    const ida = await t.given.account({ firstName: 'Ida', lastName: 'Dev' });
    const view = await openForm(await slash(ida.email, OWNER), 'developer-mode', OWNER, { ts: '1700000060.000100' });
    expect(inputBlocks(view).state.element.options.map((o: any) => o.value)).toEqual(['on', 'off']);
    expect(await t.submitView(view, OWNER, { state: staticSelectValue('on') })).toBe('');
    expect((await t.read.account(ida.id)).developerMode).toBe(true);
  });

  it('shows a temporary password to the submitter alone, never on the card', async () => {
    const jo = await t.given.account({ firstName: 'Jo', lastName: 'Temporary' });
    const ts = '1700000070.000100';
    const view = await openForm(await slash(jo.email, HELPDESK), 'reset-password', HELPDESK, { ts });
    expect(inputBlocks(view).temporary.element).toMatchObject({ type: 'checkboxes' });
    expect(view.submit.text).toBe('Reset password');
    expect(await t.submitView(view, HELPDESK, { temporary: checkboxesValue(['yes']), reason: plainTextValue('') })).toBe('');
    expect((await t.read.account(jo.id)).status).toBe('PASSWORD_EXPIRED');
    const secret = await t.slack.waitFor('chat.postEphemeral', (c) => blocksText(c).includes('Temporary password'));
    expect(secret.args).toMatchObject({ channel: CHANNEL, user: HELPDESK });
    const password = /`([^`]+)`/.exec(blocksText(secret))![1]!;
    const update = await t.slack.waitFor('chat.update', (c) => c.args.ts === ts);
    expect(blocksText(update)).toContain('has a temporary password, shown to you alone');
    expect(JSON.stringify(update.args)).not.toContain(password);
  });
});

describe('refusals', () => {
  it('refuses a viewer who forges a submission for an admin action, and audits it', async () => {
    const kit = await t.given.account({ firstName: 'Kit', lastName: 'Forged' });
    const metadata = JSON.stringify({ do: 'role', account: `${kit.id}:1`, c: CHANNEL, ts: '1700000080.000100' });
    const body = await t.submitView({ callback_id: 'account.more.submit', private_metadata: metadata, blocks: [] }, VIEWER, {
      role: staticSelectValue('administrator'),
    });
    expect(body).toEqual({ response_action: 'errors', errors: { role: 'You are a viewer; changing an account’s role needs an admin or above.' } });
    expect(await t.read.account(kit.id)).toMatchObject({ role: 'user', version: 1 });
    expect(await t.given.audit({ targetId: kit.id })).toMatchObject([
      { action: 'role', outcome: 'refused', actorId: VIEWER, detail: expect.stringContaining('needs an admin') },
    ]);
    expect(t.slack.calls('chat.update').filter((c) => c.args.ts === '1700000080.000100')).toEqual([]);
  });

  it('opens no form for a viewer who forges a menu choice, saying why and auditing it', async () => {
    const lou = await t.given.account({ firstName: 'Lou', lastName: 'Forged' });
    const card = await slash(lou.email, ADMIN);
    const opened = t.slack.calls('views.open').length;
    const responseUrl = t.slack.responseUrl();
    expect((await t.send.interaction(choosePayload(card, 'role', VIEWER, { responseUrl }))).status).toBe(200);
    const reply = await t.slack.waitFor('response_url', (c) => c.args._responseUrl === responseUrl);
    expect(blocksText(reply)).toContain('You are a viewer; changing an account’s role needs an admin or above.');
    expect(t.slack.calls('views.open')).toHaveLength(opened);
    expect(await t.given.audit({ targetId: lou.id })).toMatchObject([{ action: 'role', outcome: 'refused', actorId: VIEWER }]);
  });
});
