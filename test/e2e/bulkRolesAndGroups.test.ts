import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { runAction } from '../../src/actions/action.ts';
import { slackActor } from '../../src/actions/actor.ts';
import { startBulkJob } from '../../src/actions/accounts/bulk/startBulkJob.ts';
import type { FakeSlackFile } from '../support/fakeSlack.ts';
import { blockActionsPayload, blockSuggestionPayload } from '../support/slackRequests.ts';
import { blocksText, shownText } from '../support/slackReplies.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

const ADMIN = 'U0BRGADMIN';
const VIEWER = 'U0BRGVIEWR';
/** An admin of bulk-rg-a only. */
const ADMIN_A = 'U0BRGADMNA';

let t: TestRoster;

beforeAll(async () => {
  t = await startTestRoster();
  await t.given.organisation('bulk-rg-a');
  await t.given.organisation('bulk-rg-b');
  await t.given.grant(ADMIN, 'admin');
  await t.given.grant(VIEWER, 'viewer');
  await t.given.grant(ADMIN_A, 'admin', 'bulk-rg-a');
});
afterAll(() => t?.stop());

const services = () => ({ orm: t.roster.orm, logger: t.logger, bulkJobs: t.roster.services.bulkJobs });
const summaryOf = (headStart: string) => t.slack.waitFor('chat.update', (c) => String(c.args.text).startsWith(headStart), 30_000);
const sql = <T>(query: string, params: unknown[] = []) => t.roster.orm.em.fork().execute<T[]>(query, params);

async function people(organisationSlug: string, lastNames: string[], status: 'ACTIVE' | 'DELETED' = 'ACTIVE') {
  const made = [];
  for (const lastName of lastNames) made.push(await t.given.account({ firstName: 'Bulk', lastName, organisationSlug, status }));
  return made;
}

/** The error report the job shared last, read as a spreadsheet would: header first, BOM dropped. */
async function lastReport(before: number): Promise<{ file: FakeSlackFile; rows: string[][] }> {
  await expect.poll(() => t.slack.uploads().length, { timeout: 20_000 }).toBeGreaterThan(before);
  const file = t.slack.uploads().at(-1)!;
  return { file, rows: parse(file.bytes, { bom: true }) };
}

/** An admin lists `filter` and chooses `change` in the list's "Change them all…" menu: the modal it opens, and where the preview goes. */
async function chooseOnList(change: string, filter: string): Promise<{ modal: any; responseUrl: string }> {
  const list = await t.slash(`list ${filter}`, ADMIN, { command: '/users' });
  const responseUrl = t.slack.responseUrl();
  const choice = blockActionsPayload({
    userId: ADMIN,
    actionId: 'users.list.bulk',
    blocks: list.args.blocks,
    responseUrl,
    selectedOption: { value: JSON.stringify({ c: change, f: filter }) },
  });
  choice.container.is_ephemeral = true;
  return { modal: await t.openModalFrom(choice), responseUrl };
}

describe('/users bulk role', () => {
  it('previews with counts and refusals, changes only on an admin’s Confirm, audits each account once and reports the refused', async () => {
    await t.given.organisation('bulk-role');
    const users = await people('bulk-role', ['Rolea', 'Roleb', 'Rolec']);
    const [already] = await people('bulk-role', ['Rolem']);
    await sql(`update account set role = 'manager' where id = ?`, [already!.id]);
    const [deleted] = await people('bulk-role', ['Roledel'], 'DELETED');

    const preview = await t.slash('bulk role Manager org:bulk-role status:active,deleted --reason "new season"', ADMIN, { command: '/users' });
    const text = blocksText(preview);
    expect(text).toContain('Changing the role of 5 accounts to manager (status:active,deleted org:bulk-role)?');
    expect(text).toContain('3 would change · 1 are already so · 1 would be refused');
    expect(text).toContain('1 refused: The account is DELETED; restore it first.');

    const rolesNow = async () =>
      Object.fromEntries(
        (
          await sql<{ last_name: string; role: string }>(
            `select last_name, role from account where organisation_id = (select id from organisation where slug = 'bulk-role')`,
          )
        ).map((row) => [row.last_name, row.role]),
      );
    const untouched = await rolesNow();
    expect(blocksText(await t.click(preview, 'bulk.confirm', VIEWER))).toContain('needs an admin');
    expect(await rolesNow()).toEqual(untouched);
    expect(await t.given.audit({ actorId: VIEWER, action: 'bulk-start', outcome: 'refused' })).toHaveLength(1);

    const uploadsBefore = t.slack.uploads().length;
    expect(blocksText(await t.click(preview, 'bulk.confirm', ADMIN))).toContain('Changing the role of 5 accounts to manager');
    await t.slack.waitFor('chat.postMessage', (c) => String(c.args.text).startsWith('Changing the role of 5 accounts to manager'), 20_000);
    const summary = String((await summaryOf('Finished role manager on 5 accounts (status:active,deleted org:bulk-role)')).args.text);
    expect(summary).toContain('3 changed · 1 refused · 1 already so.');
    expect(summary).toContain(`Bulk Roledel <${deleted!.email}>: Bulk Roledel is DELETED; restore it first.`);
    expect(summary).toContain('Error report attached');
    expect(await rolesNow()).toEqual({ Rolea: 'manager', Roleb: 'manager', Rolec: 'manager', Rolem: 'manager', Roledel: 'user' });

    const audit = await t.given.audit({ actorId: ADMIN, action: 'role' });
    expect(audit.map((event) => event.targetId).sort()).toEqual(users.map((user) => user.id).sort());
    for (const event of audit) expect(event).toMatchObject({ outcome: 'done', reason: 'new season', changes: { role: { before: 'user', after: 'manager' } } });
    expect(audit[0]!.jobId).toBeTruthy();

    const { file, rows } = await lastReport(uploadsBefore);
    expect(rows).toEqual([
      ['Email', 'Name', 'Reason'],
      [deleted!.email, 'Bulk Roledel', 'Bulk Roledel is DELETED; restore it first.'],
    ]);
    expect(file.name).toMatch(/^roster-bulk-role-refused-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(file.threadTs).toBeTruthy();
  });

  it('answers an unknown role with the roles there are, and usage, changing nothing', async () => {
    const reply = shownText(await t.slash('bulk role boss org:bulk-rg-a', ADMIN, { command: '/users' }));
    expect(reply).toContain('“boss” is not a role; a role is user, manager, administrator');
    expect(reply).toContain('/users bulk <change>');
    expect(reply).toContain('add-to-group <group>');
  });

  it('asks which role when role is chosen on a list, then previews', async () => {
    await people('bulk-rg-b', ['Listrole']);
    const { modal, responseUrl } = await chooseOnList('role', 'org:bulk-rg-b');
    expect(JSON.stringify(modal)).toContain('administrator');
    const body = await t.submitView(modal, ADMIN, {
      'bulk-value': { 'bulk.value.role': { type: 'static_select', selected_option: { value: 'administrator' } } },
    });
    expect(body?.response_action).toBeUndefined();
    const preview = blocksText(await t.slack.waitFor('response_url', (c) => c.args._responseUrl === responseUrl));
    expect(preview).toContain('Changing the role of 1 accounts to administrator (org:bulk-rg-b)?');
    expect(preview).toContain('bulk.confirm');
  });
});

describe('/users bulk add-to-group and remove-from-group', () => {
  it('asks which group when add-to-group is chosen on a list, with a picker, then previews that group', async () => {
    await t.given.organisation('bulk-pick');
    await people('bulk-pick', ['Picked']);
    const groupId = await t.given.group({ name: 'Day Crew', organisationSlug: 'bulk-pick' });
    const { modal, responseUrl } = await chooseOnList('add-to-group', 'org:bulk-pick');
    expect(modal.blocks.find((block: any) => block.block_id === 'bulk-value').element).toMatchObject({
      type: 'external_select',
      action_id: 'bulk.value.group',
    });
    const offered = await t.send.options(blockSuggestionPayload({ userId: ADMIN, actionId: 'bulk.value.group', value: 'day cr', view: modal }));
    expect(offered.body.options).toContainEqual({ text: { type: 'plain_text', text: 'Day Crew · bulk-pick', emoji: false }, value: groupId });
    await t.submitView(modal, ADMIN, { 'bulk-value': { 'bulk.value.group': { type: 'external_select', selected_option: { value: groupId } } } });
    const preview = blocksText(await t.slack.waitFor('response_url', (c) => c.args._responseUrl === responseUrl));
    expect(preview).toContain('Adding 1 accounts to “Day Crew” (org:bulk-pick)?');
  });

  it('adds to the group of that name in each account’s organisation the grant covers; members already in it are left as they are', async () => {
    const [anna, ben, cleo] = await people('bulk-rg-a', ['Joina', 'Joinb', 'Joinc']);
    const [other] = await people('bulk-rg-b', ['Joinother']);
    const crewA = await t.given.group({ name: 'Field Crew North', organisationSlug: 'bulk-rg-a', members: [[cleo!, 'editor']] });
    const crewB = await t.given.group({ name: 'Field Crew North', organisationSlug: 'bulk-rg-b' });

    const preview = await t.slash('bulk add-to-group "Field Crew North" Bulk Join', ADMIN_A, { command: '/users' });
    const text = blocksText(preview);
    expect(text).toContain('Adding 3 accounts to “Field Crew North” (Bulk Join)?');
    expect(text).toContain('2 would change · 1 are already so · 0 would be refused');

    expect(blocksText(await t.click(preview, 'bulk.confirm', VIEWER))).toContain('needs an admin');
    expect(await t.read.membership(anna!.id, crewA)).toBeNull();

    await t.click(preview, 'bulk.confirm', ADMIN_A);
    const summary = String((await summaryOf('Finished add-to-group “Field Crew North” on 3 accounts')).args.text);
    expect(summary).toContain('2 changed · 0 refused · 1 already so.');
    expect(summary).not.toContain('Error report');
    expect(await t.read.membership(anna!.id, crewA)).toMatchObject({ role: 'member' });
    expect(await t.read.membership(ben!.id, crewA)).toMatchObject({ role: 'member' });
    expect(await t.read.membership(cleo!.id, crewA)).toMatchObject({ role: 'editor' });
    expect(await t.read.membership(other!.id, crewB)).toBeNull();
    const audit = await t.given.audit({ actorId: ADMIN_A, action: 'group-add' });
    expect(audit.map((event) => event.targetId).sort()).toEqual([anna!.id, ben!.id].sort());
    expect(audit[0]!.changes).toEqual({ 'groups.Field Crew North': { before: null, after: 'member' } });
  });

  it('refuses a group the grant’s organisations do not have, with usage', async () => {
    await t.given.group({ name: 'Only In B', organisationSlug: 'bulk-rg-b' });
    const reply = shownText(await t.slash('bulk add-to-group "Only In B"', ADMIN_A, { command: '/users' }));
    expect(reply).toContain('No group matches “Only In B” in your organisations.');
    expect(reply).toContain('/users bulk <change>');
  });

  it('removes members, leaves non-members, and refuses to remove the group’s owner with the single action’s sentence', async () => {
    await t.given.organisation('bulk-leave');
    const [owner, member, editor, outsider] = await people('bulk-leave', ['Ownerl', 'Memberl', 'Editorl', 'Outsiderl']);
    const night = await t.given.group({
      name: 'Night Shift',
      organisationSlug: 'bulk-leave',
      owner: owner!,
      members: [
        [member!, 'member'],
        [editor!, 'editor'],
      ],
    });
    const admin = await slackActor(t.roster.orm.em, ADMIN);
    const viewer = await slackActor(t.roster.orm.em, VIEWER);
    await expect(runAction(services(), startBulkJob, viewer, { change: 'remove-from-group', value: 'night shift', filter: 'org:bulk-leave' })).rejects.toThrow(
      /needs an admin/,
    );

    const uploadsBefore = t.slack.uploads().length;
    const started = await runAction(services(), startBulkJob, admin, {
      change: 'remove-from-group',
      value: 'night shift',
      filter: 'org:bulk-leave',
      channel: 'C0LEAVE',
    });
    expect(started.message).toContain('Removing 4 accounts from “night shift” (org:bulk-leave)');
    const summary = String((await summaryOf('Finished remove-from-group “night shift” on 4 accounts')).args.text);
    expect(summary).toContain('2 changed · 1 refused · 1 already so.');
    const sentence = 'Bulk Ownerl owns “Night Shift”; give it another owner first (group-owner “Night Shift” <who>).';
    expect(summary).toContain(sentence);
    expect(await t.read.membership(owner!.id, night)).toMatchObject({ role: 'manager' });
    expect(await t.read.membership(member!.id, night)).toBeNull();
    expect(await t.read.membership(editor!.id, night)).toBeNull();
    expect(await t.read.membership(outsider!.id, night)).toBeNull();
    const audit = await t.given.audit({ jobId: started.jobId, action: 'group-remove' });
    expect(Object.fromEntries(audit.map((event) => [event.targetId, event.changes]))).toEqual({
      [member!.id]: { 'groups.Night Shift': { before: 'member', after: null } },
      [editor!.id]: { 'groups.Night Shift': { before: 'editor', after: null } },
    });
    const { rows, file } = await lastReport(uploadsBefore);
    expect(rows.slice(1)).toEqual([[owner!.email, 'Bulk Ownerl', sentence]]);
    expect(file.channels).toEqual(['C0LEAVE']);
  });
});

describe('the error report of a bulk change', () => {
  it('names every refused account, each cell safe against spreadsheet formulas; a job with no refusal shares none', async () => {
    await t.given.organisation('bulk-report');
    const formula = await t.given.account({
      firstName: '=HYPERLINK("http://x")',
      lastName: '@SUM(A1)',
      email: 'formula.person@example.test',
      organisationSlug: 'bulk-report',
    });
    await people('bulk-report', ['Plain']);
    const admin = await slackActor(t.roster.orm.em, ADMIN);
    const before = t.slack.uploads().length;
    await runAction(services(), startBulkJob, admin, { change: 'reactivate', filter: 'org:bulk-report', channel: 'C0REPORT' });
    const summary = String((await summaryOf('Finished reactivate on 2 accounts (org:bulk-report)')).args.text);
    expect(summary).toContain('0 changed · 2 refused');
    const { file, rows } = await lastReport(before);
    expect(file.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(rows).toHaveLength(3);
    const formulaRow = rows.find((row) => row[0] === formula.email)!;
    expect(formulaRow[1]).toBe(`'=HYPERLINK("http://x") @SUM(A1)`);
    expect(formulaRow[2]).toBe(`'=HYPERLINK("http://x") @SUM(A1) is ACTIVE; it is not deactivated, so there is nothing to reactivate.`);
    expect(rows.every((row) => !/^[=+\-@\t\r\n\0]/.test(row.join('')))).toBe(true);

    const uploads = t.slack.uploads().length;
    await runAction(services(), startBulkJob, admin, { change: 'lock', filter: 'org:bulk-report', channel: 'C0REPORT' });
    expect(String((await summaryOf('Finished lock on 2 accounts (org:bulk-report)')).args.text)).not.toContain('Error report');
    expect(t.slack.uploads()).toHaveLength(uploads);
  });
});
