import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../../src/actions/action.ts';
import { systemActor } from '../../src/actions/actor.ts';
import { purgeDeletedAccounts } from '../../src/actions/accounts/purgeDeletedAccounts.ts';
import { expireRequests } from '../../src/actions/approvals/expireRequests.ts';
import { approveRequest } from '../../src/actions/approvals/decideRequest.ts';
import { requestBulkChange } from '../../src/actions/approvals/requestBulkChange.ts';
import { startBulkJob } from '../../src/actions/accounts/bulk/startBulkJob.ts';
import { setApprovals } from '../../src/actions/organisations/setApprovals.ts';
import { ApprovalRequest } from '../../src/db/entities/index.ts';
import type { RecordedCall } from '../support/fakeSlack.ts';
import { blocksText, shownText } from '../support/slackReplies.ts';
import { blockActionsPayload, plainTextValue } from '../support/slackRequests.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

const APPROVALS = 'C0APPROVALS';
const OWNER = 'U0APPOWNER1';
const OTHER_OWNER = 'U0APPOWNER2';
const ADMIN = 'U0APPADMIN1';
const VIEWER = 'U0APPVIEW01';

let t: TestRoster;

beforeAll(async () => {
  t = await startTestRoster({ ROSTER_APPROVALS_CHANNEL: APPROVALS });
  await t.given.organisation('appr-hard', { deletionPolicy: 'hard' });
  await t.given.organisation('appr-never', { deletionPolicy: 'never' });
  await t.given.grant(OWNER, 'owner');
  await t.given.grant(OTHER_OWNER, 'owner');
  await t.given.grant(ADMIN, 'admin');
  await t.given.grant(VIEWER, 'viewer');
});
afterAll(() => t?.stop());

type Posted = RecordedCall & { ts: string };

/** Asks for the deletion with /user delete, and returns the request's message in the approvals channel. */
async function requestDeletion(account: { id: string; email: string }, by = ADMIN, reason = 'left the company'): Promise<{ reply: string; posted: Posted }> {
  const reply = blocksText(await t.slash(`delete ${account.email} --reason "${reason}"`, by));
  const request = () => t.roster.orm.em.fork().findOne(ApprovalRequest, { accountId: account.id, state: 'pending' });
  await expect.poll(async () => (await request())?.messageTs).toBeTruthy();
  const { id, messageTs } = (await request())!;
  const posted = await t.slack.waitFor('chat.postMessage', (c) => c.args.channel === APPROVALS && JSON.stringify(c.args.blocks ?? []).includes(id), 10_000);
  return { reply, posted: { ...posted, ts: messageTs! } };
}

/** A click on the request's message in the approvals channel; resolves to what the clicker was answered. */
async function clickOnRequest(posted: Posted, actionId: string, userId: string): Promise<string> {
  const responseUrl = t.slack.responseUrl();
  const payload = blockActionsPayload({ userId, actionId, blocks: posted.args.blocks, responseUrl, channelId: APPROVALS, messageTs: posted.ts });
  expect((await t.send.interaction(payload)).status).toBe(200);
  return blocksText(await t.slack.waitFor('response_url', (c) => c.args._responseUrl === responseUrl, 10_000));
}

const edits = (posted: Posted) => t.slack.calls('chat.update').filter((c) => c.args.ts === posted.ts);
const dmsTo = (userId: string, about: string) =>
  t.slack.calls('chat.postMessage').filter((c) => c.args.channel === userId && String(c.args.text).includes(about));
const deletions = async (accountId: string) => (await t.given.audit({ targetId: accountId, action: 'delete' })).filter((e) => e.outcome === 'done');

describe('a deletion request', () => {
  it('waits in the approvals channel with the account, reason and expiry; the account is untouched and the requester gets the link', async () => {
    const ana = await t.given.account({ firstName: 'Ana', lastName: 'Leaving', status: 'ACTIVE' });
    const { reply, posted } = await requestDeletion(ana);
    expect(reply).toContain('waits for a second approver');
    const text = blocksText(posted);
    expect(text).toContain(`<@${ADMIN}> asks to *delete* Ana Leaving`);
    expect(text).toContain('left the company');
    expect(text).toContain('*Expires*');
    expect(text).toContain('restored for 30 days');
    const buttons = posted.args.blocks.flatMap((b: any) => (b.type === 'actions' ? b.elements : [])).map((e: any) => [e.text.text, Boolean(e.confirm)]);
    expect(buttons).toEqual([
      ['Approve', true],
      ['Reject…', false],
    ]);
    expect((await t.read.account(ana.id)).status).toBe('ACTIVE');
    const dm = await t.slack.waitFor('chat.postMessage', (c) => c.args.channel === ADMIN && String(c.args.text).includes(ana.email), 10_000);
    expect(blocksText(dm)).toContain(`https://fake.slack.test/archives/${APPROVALS}/p`);
    expect(await t.given.audit({ targetId: ana.id, action: 'approval-requested' })).toHaveLength(1);

    expect(blocksText(await t.slash(`delete ${ana.email} --reason again`, OWNER))).toContain('already waits for a decision');
  });

  it('asks for a reason when none is given, and changes nothing', async () => {
    const bo = await t.given.account({ firstName: 'Bo', lastName: 'Unreasoned' });
    expect(shownText(await t.slash(`delete ${bo.email}`, ADMIN))).toContain('say why: --reason <text>');
    expect(await t.roster.orm.em.fork().count(ApprovalRequest, { accountId: bo.id })).toBe(0);
    expect((await t.given.audit({ targetId: bo.id, action: 'delete' })).map((e) => e.outcome)).toEqual(['refused']);
  });

  it('is asked from the card’s More actions menu, whose form will not go without a reason', async () => {
    const kai = await t.given.account({ firstName: 'Kai', lastName: 'Menued' });
    const card = await t.slash(kai.email, ADMIN);
    const menu = (card.args.blocks as any[]).flatMap((b) => (b.type === 'actions' ? b.elements : [])).find((e: any) => e.action_id === 'account.more');
    const option = menu.options.find((o: any) => o.value.startsWith('delete|'));
    expect(option.text.text).toBe('Delete…');
    const payload = blockActionsPayload({ userId: ADMIN, actionId: 'account.more', blocks: card.args.blocks, selectedOption: { value: option.value } });
    payload.container.is_ephemeral = true;
    const form = await t.openModalFrom(payload);
    const blank = await t.submitView(form, ADMIN, { reason: plainTextValue('') });
    expect(blank.response_action).toBe('errors');
    expect(await t.roster.orm.em.fork().count(ApprovalRequest, { accountId: kai.id })).toBe(0);
    expect(await t.submitView(form, ADMIN, { reason: plainTextValue('duplicate account') })).toBe('');
    const posted = await t.slack.waitFor('chat.postMessage', (c) => c.args.channel === APPROVALS && String(c.args.text).includes(kai.email), 10_000);
    expect(blocksText(posted)).toContain('duplicate account');
  });

  it('is refused to its own requester, to an admin and to a viewer, each audited, and stays as it is', async () => {
    const cy = await t.given.account({ firstName: 'Cy', lastName: 'Pending' });
    const { posted } = await requestDeletion(cy, OWNER);
    expect(await clickOnRequest(posted, 'approval.approve', OWNER)).toContain('Nobody decides their own request');
    expect(await clickOnRequest(posted, 'approval.approve', ADMIN)).toContain('needs an owner');
    expect(await clickOnRequest(posted, 'approval.approve', VIEWER)).toContain('needs an admin');
    expect((await t.given.audit({ targetId: cy.id, action: 'approve' })).map((e) => e.outcome)).toEqual(['refused', 'refused', 'refused']);
    expect((await t.read.account(cy.id)).status).not.toBe('DELETED');
    expect(edits(posted)).toEqual([]);
    expect(await t.roster.orm.em.fork().findOneOrFail(ApprovalRequest, { accountId: cy.id })).toMatchObject({ state: 'pending' });
  });

  it('deletes exactly once when two owners approve at the same moment and one double-clicks; every clicker is answered', async () => {
    const di = await t.given.account({ firstName: 'Di', lastName: 'Contested' });
    const { posted } = await requestDeletion(di);
    const answers = await Promise.all([
      clickOnRequest(posted, 'approval.approve', OWNER),
      clickOnRequest(posted, 'approval.approve', OTHER_OWNER),
      clickOnRequest(posted, 'approval.approve', OWNER),
    ]);
    expect(answers.filter((a) => a.includes('Approved: Di Contested'))).toHaveLength(1);
    expect(answers.filter((a) => a.includes('already approved'))).toHaveLength(2);
    expect(await deletions(di.id)).toHaveLength(1);
    expect((await t.read.account(di.id)).status).toBe('DELETED');

    const edited = await t.slack.waitFor('chat.update', (c) => c.args.ts === posted.ts, 10_000);
    expect(blocksText(edited)).toMatch(/Approved by <@U0APPOWNER[12]> at <!date[^>]+>: Di Contested &lt;[^&]+&gt; is deleted; `\/user restore /);
    expect(JSON.stringify(edited.args.blocks)).not.toContain('approval.approve');
    await expect.poll(() => dmsTo(ADMIN, di.email).length).toBe(2);
    expect(blocksText(dmsTo(ADMIN, di.email)[1]!)).toContain('Approved by');
  });

  it('is rejected with a reason from a modal: the message says who and why, the requester is told, the account stays', async () => {
    const ed = await t.given.account({ firstName: 'Ed', lastName: 'Kept' });
    const { posted } = await requestDeletion(ed);
    const modal = await t.openModalFrom(
      blockActionsPayload({ userId: OWNER, actionId: 'approval.reject', blocks: posted.args.blocks, channelId: APPROVALS, messageTs: posted.ts }),
    );
    const blank = await t.submitView(modal, OWNER, { reason: { reason: '  ' } });
    expect(blank.response_action).toBe('errors');
    const answered = await t.submitView(modal, OWNER, { reason: { reason: 'still on the payroll' } });
    expect(JSON.stringify(answered.view.blocks)).toContain('Rejected: nothing is changed for Ed Kept');
    const edited = await t.slack.waitFor('chat.update', (c) => c.args.ts === posted.ts, 10_000);
    expect(blocksText(edited)).toContain(`Rejected by <@${OWNER}>`);
    expect(blocksText(edited)).toContain('still on the payroll');
    await expect.poll(() => dmsTo(ADMIN, ed.email).length).toBe(2);
    expect((await t.read.account(ed.id)).status).not.toBe('DELETED');
    expect(await clickOnRequest(posted, 'approval.approve', OWNER)).toContain('already rejected');
  });

  it('expires by the approvals pass, which edits the message; a later Approve is refused', async () => {
    const fi = await t.given.account({ firstName: 'Fi', lastName: 'Forgotten' });
    const { posted } = await requestDeletion(fi);
    await t.roster.orm.em.getConnection().execute(`update approval_request set expires_at = now() - interval '1 minute' where account_id = ?`, [fi.id]);
    expect((await runAction(t.roster.services, expireRequests, systemActor('test'), {})).expired).toBe(1);
    const edited = await t.slack.waitFor('chat.update', (c) => c.args.ts === posted.ts, 10_000);
    expect(blocksText(edited)).toContain('Expired');
    expect(await clickOnRequest(posted, 'approval.approve', OWNER)).toContain('already expired');
    expect((await t.read.account(fi.id)).status).not.toBe('DELETED');
  });

  it('is listed by /users approvals, with buttons for those who may decide it and without for its requester', async () => {
    const gu = await t.given.account({ firstName: 'Gu', lastName: 'Listed' });
    await requestDeletion(gu);
    const forOwner = await t.slash('approvals', OWNER, { command: '/users' });
    expect(blocksText(forOwner)).toContain('Gu Listed');
    const ownerButtons = JSON.stringify(forOwner.args.blocks);
    expect(ownerButtons).toContain('approval.approve');
    const forRequester = await t.slash('approvals', ADMIN, { command: '/users' });
    expect(blocksText(forRequester)).toContain('Gu Listed');
    expect(JSON.stringify(forRequester.args.blocks)).not.toContain('approval.approve');
  });
});

describe('an owner grant in an organisation that sends them for approval', () => {
  it('waits for a second owner, who is neither the requester nor the grantee; Approve grants it once', async () => {
    await t.given.organisation('appr-grants');
    const owner = { kind: 'slack' as const, id: OWNER, grants: [{ role: 'owner' as const, organisationId: null }] };
    await runAction(t.roster.services, setApprovals, owner, { organisation: 'appr-grants', ownerGrants: 'approval' });
    const NEWCOMER = 'U0APPNEWOWN';
    expect(blocksText(await t.slash(`grant <@${NEWCOMER}> admin --org appr-grants`, OWNER))).toContain('is admin in appr-grants');
    expect(blocksText(await t.slash(`grant <@${NEWCOMER}> owner --org appr-grants`, OWNER))).toContain('Asked: making');
    const grantOf = async () =>
      (
        await t.roster.orm.em
          .getConnection()
          .execute<{ role: string }[]>(
            `select g.role from slack_grant g join organisation o on o.id = g.organisation_id where g.slack_user_id = ? and o.slug = 'appr-grants'`,
            [NEWCOMER],
          )
      )[0]?.role;
    expect(await grantOf()).toBe('admin');
    const request = await t.roster.orm.em.fork().findOneOrFail(ApprovalRequest, { kind: 'grant-owner', grantee: NEWCOMER });
    await expect.poll(async () => (await t.roster.orm.em.fork().findOneOrFail(ApprovalRequest, { id: request.id })).messageTs).toBeTruthy();
    const posted = await t.slack.waitFor('chat.postMessage', (c) => c.args.channel === APPROVALS && JSON.stringify(c.args.blocks ?? []).includes(request.id));
    expect(blocksText(posted)).toContain(`asks to *make an owner* <@${NEWCOMER}>`);
    const ts = (await t.roster.orm.em.fork().findOneOrFail(ApprovalRequest, { id: request.id })).messageTs!;
    expect(await clickOnRequest({ ...posted, ts }, 'approval.approve', OWNER)).toContain('Nobody decides their own request');
    expect(await clickOnRequest({ ...posted, ts }, 'approval.approve', OTHER_OWNER)).toContain('is an owner of appr-grants now');
    expect(await grantOf()).toBe('owner');
    expect(await t.given.audit({ action: 'grant', approvalId: request.id })).toHaveLength(1);
  });
});

describe('a bulk deletion', () => {
  it('is one request for the whole selection: the preview says how many, Confirm asks, Approve runs the job once, owners of groups are left', async () => {
    await t.given.organisation('appr-bulk');
    const kept = await t.given.account({ firstName: 'Kim', lastName: 'Bulkowner', organisationSlug: 'appr-bulk' });
    const gone = [
      await t.given.account({ firstName: 'Lu', lastName: 'Bulkone', organisationSlug: 'appr-bulk' }),
      await t.given.account({ firstName: 'Mo', lastName: 'Bulktwo', organisationSlug: 'appr-bulk' }),
    ];
    await t.given.group({ name: 'Bulk Owners', organisationSlug: 'appr-bulk', owner: kept });

    const preview = await t.slash('bulk delete org:appr-bulk --reason "project ended"', ADMIN, { command: '/users' });
    const text = blocksText(preview);
    expect(text).toContain('Deleting 3 accounts');
    expect(text).toContain('1 refused: it owns groups');
    expect(text).toContain('Confirm asks a second person to approve');
    const asked = blocksText(await t.click(preview, 'bulk.confirm', ADMIN));
    expect(asked).toContain('Asked: deleting 3 accounts');
    expect((await t.read.account(gone[0]!.id)).status).not.toBe('DELETED');

    const request = await t.roster.orm.em.fork().findOneOrFail(ApprovalRequest, { kind: 'bulk', requestedBy: ADMIN, state: 'pending' });
    await expect.poll(async () => (await t.roster.orm.em.fork().findOneOrFail(ApprovalRequest, { id: request.id })).messageTs).toBeTruthy();
    const posted = await t.slack.waitFor('chat.postMessage', (c) => c.args.channel === APPROVALS && JSON.stringify(c.args.blocks ?? []).includes(request.id));
    expect(blocksText(posted)).toContain('3 when asked');
    const ts = (await t.roster.orm.em.fork().findOneOrFail(ApprovalRequest, { id: request.id })).messageTs!;
    expect(await clickOnRequest({ ...posted, ts }, 'approval.approve', ADMIN)).toContain('Nobody decides their own request');
    expect(await clickOnRequest({ ...posted, ts }, 'approval.approve', OWNER)).toContain('are being deleted by a job');

    for (const account of gone) await expect.poll(async () => (await t.read.account(account.id)).status, { timeout: 15_000 }).toBe('DELETED');
    expect((await t.read.account(kept.id)).status).not.toBe('DELETED');
    for (const account of gone) expect(await deletions(account.id)).toMatchObject([{ actorId: OWNER, jobId: expect.any(String) }]);
    expect(await t.given.audit({ action: 'bulk-start', approvalId: request.id })).toHaveLength(1);
  });

  it('removes the accounts for good where the organisation deletes hard, each audit event keeping the name and email', async () => {
    const doomed = [
      await t.given.account({ firstName: 'Ny', lastName: 'Hardbulk', organisationSlug: 'appr-hard' }),
      await t.given.account({ firstName: 'Oz', lastName: 'Hardbulk', organisationSlug: 'appr-hard' }),
    ];
    const admin = { kind: 'slack' as const, id: ADMIN, grants: [{ role: 'admin' as const, organisationId: null }] };
    const owner = { kind: 'slack' as const, id: OWNER, grants: [{ role: 'owner' as const, organisationId: null }] };
    await runAction(t.roster.services, requestBulkChange, admin, { change: 'delete', filter: 'org:appr-hard Hardbulk', reason: 'closing the branch' });
    const request = await t.roster.orm.em
      .fork()
      .findOneOrFail(ApprovalRequest, { kind: 'bulk', state: 'pending', selection: { $ne: null }, reason: 'closing the branch' });
    expect((await runAction(t.roster.services, approveRequest, owner, { request: request.id })).message).toContain('2 accounts');
    for (const account of doomed) {
      await expect
        .poll(() => t.roster.orm.em.fork().getConnection().execute('select 1 from account where id = ?', [account.id]), { timeout: 15_000 })
        .toEqual([]);
      expect(await deletions(account.id)).toMatchObject([
        { targetLabel: `${account.firstName} Hardbulk <${account.email}>`, changes: { status: { after: 'PURGED' } } },
      ]);
    }
  });

  it('is needed for a bulk deactivate over the organisation’s threshold, and not under it', async () => {
    await t.given.organisation('appr-rule');
    const owner = { kind: 'slack' as const, id: OWNER, grants: [{ role: 'owner' as const, organisationId: null }] };
    await runAction(t.roster.services, setApprovals, owner, { organisation: 'appr-rule', bulkDeactivateOver: 1 });
    const team = [
      await t.given.account({ firstName: 'Pia', lastName: 'Ruled', organisationSlug: 'appr-rule' }),
      await t.given.account({ firstName: 'Quin', lastName: 'Ruled', organisationSlug: 'appr-rule' }),
      await t.given.account({ firstName: 'Rae', lastName: 'Ruled', organisationSlug: 'appr-rule' }),
    ];

    const few = await t.slash('bulk deactivate org:appr-rule Pia', ADMIN, { command: '/users' });
    expect(blocksText(few)).not.toContain('Confirm asks a second person');
    expect(blocksText(await t.click(few, 'bulk.confirm', ADMIN))).toContain('progress shows here');
    await expect.poll(async () => (await t.read.account(team[0]!.id)).status, { timeout: 15_000 }).toBe('DEACTIVATED');

    const many = await t.slash('bulk deactivate org:appr-rule status:active --reason "team disbanded"', ADMIN, { command: '/users' });
    expect(blocksText(many)).toContain('Confirm asks a second person to approve');
    expect(blocksText(await t.click(many, 'bulk.confirm', ADMIN))).toContain('Asked: the deactivate of 2 accounts');
    const admin = { kind: 'slack' as const, id: ADMIN, grants: [{ role: 'admin' as const, organisationId: null }] };
    await expect(runAction(t.roster.services, startBulkJob, admin, { change: 'deactivate', filter: 'org:appr-rule status:active' })).rejects.toThrow(
      /needs a second person's approval/,
    );
    const request = await t.roster.orm.em.fork().findOneOrFail(ApprovalRequest, { kind: 'bulk', reason: 'team disbanded' });
    expect(request.selection).toMatchObject({ change: 'deactivate', count: 2 });
    await runAction(t.roster.services, approveRequest, owner, { request: request.id });
    for (const account of team.slice(1)) await expect.poll(async () => (await t.read.account(account.id)).status, { timeout: 15_000 }).toBe('DEACTIVATED');
  });

  it('cannot be started without approval, and is asked for one organisation at a time', async () => {
    const owner = { kind: 'slack' as const, id: OWNER, grants: [{ role: 'owner' as const, organisationId: null }] };
    await expect(runAction(t.roster.services, startBulkJob, owner, { change: 'delete', filter: 'org:appr-bulk', reason: 'sneaky' })).rejects.toThrow(
      /needs a second person's approval/,
    );
    await expect(runAction(t.roster.services, requestBulkChange, owner, { change: 'delete', filter: '', reason: 'everyone' })).rejects.toThrow(
      /one organisation at a time/,
    );
    await expect(runAction(t.roster.services, requestBulkChange, owner, { change: 'delete', filter: 'org:appr-never', reason: 'x' })).rejects.toThrow();
  });
});

describe('what an approved deletion does, by the organisation’s policy', () => {
  it('soft: hidden from search, lists and sign-in at once, restored DEACTIVATED within 30 days, purged after, history still found by email', async () => {
    const ha = await t.given.account({ firstName: 'Ha', lastName: 'Softly', status: 'ACTIVE' });
    const { posted } = await requestDeletion(ha);
    expect(await clickOnRequest(posted, 'approval.approve', OWNER)).toContain('/user restore');
    expect(blocksText(await t.slash('list Softly', OWNER, { command: '/users' }))).not.toContain('Ha Softly');
    expect(blocksText(await t.slash('Softly', OWNER))).not.toContain('Ha Softly');

    expect(blocksText(await t.slash(`restore ${ha.email}`, ADMIN))).toContain('restored, DEACTIVATED');
    expect((await t.read.account(ha.id)).status).toBe('DEACTIVATED');
    expect(blocksText(await t.slash('Softly', OWNER))).toContain('Ha Softly');

    const { posted: again } = await requestDeletion(ha);
    await clickOnRequest(again, 'approval.approve', OTHER_OWNER);
    await t.roster.orm.em.getConnection().execute(`update account set deleted_at = now() - interval '31 days' where id = ?`, [ha.id]);
    expect(blocksText(await t.slash(`restore ${ha.email}`, ADMIN))).toContain('cannot be restored');
    expect((await runAction(t.roster.services, purgeDeletedAccounts, systemActor('test'), {})).purged).toBe(1);
    expect(await t.roster.orm.em.fork().getConnection().execute('select 1 from account where id = ?', [ha.id])).toEqual([]);

    const history = blocksText(await t.slash(`audit ${ha.email}`, OWNER));
    expect(history).toContain('History of Ha Softly');
    expect(history).toContain('purge by test');
    expect(history).toContain(`delete by <@${OTHER_OWNER}> (owner) · status DEACTIVATED → DELETED, status reason ∅ → left the company`);
    expect(history).toContain(`restore by <@${ADMIN}>`);
  });

  it('hard: the request says it cannot be recovered, and approval removes the account at once', async () => {
    const io = await t.given.account({ firstName: 'Io', lastName: 'Hardly', organisationSlug: 'appr-hard' });
    const { posted } = await requestDeletion(io);
    expect(blocksText(posted)).toContain('cannot be recovered');
    expect(await clickOnRequest(posted, 'approval.approve', OWNER)).toContain('deleted for good');
    expect(await t.roster.orm.em.fork().getConnection().execute('select 1 from account where id = ?', [io.id])).toEqual([]);
    expect(await deletions(io.id)).toMatchObject([{ targetLabel: `Io Hardly <${io.email}>`, changes: { status: { after: 'PURGED' } } }]);
  });

  it('never: the request is refused when asked, offering deactivate instead', async () => {
    const jo = await t.given.account({ firstName: 'Jo', lastName: 'Kept', organisationSlug: 'appr-never' });
    expect(blocksText(await t.slash(`delete ${jo.email} --reason "left"`, ADMIN))).toContain('deactivate it instead');
    expect(await t.roster.orm.em.fork().count(ApprovalRequest, { accountId: jo.id })).toBe(0);
  });
});
