import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionsPayload } from '../support/slackRequests.ts';
import { blocksText, cardButtons, shownText } from '../support/slackReplies.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

const ADMIN = 'U0ADMIN001';
const ADMIN2 = 'U0ADMIN002';
const HELPDESK = 'U0HELP0001';
const VIEWER = 'U0VIEW0001';

let t: TestRoster;

beforeAll(async () => {
  t = await startTestRoster();
  await t.given.grant(ADMIN, 'admin');
  await t.given.grant(ADMIN2, 'admin');
  await t.given.grant(HELPDESK, 'helpdesk');
  await t.given.grant(VIEWER, 'viewer');
});
afterAll(() => t?.stop());

describe('lock and unlock', () => {
  it('locks from /user with a reason: status, card, audit', async () => {
    const alice = await t.given.account({ firstName: 'Alice', lastName: 'Lock' });
    const reply = await t.slash(`lock ${alice.email} --reason "laptop stolen"`, ADMIN);
    expect(blocksText(reply)).toContain('Alice Lock is locked.');
    expect(blocksText(reply)).toContain('SUSPENDED');
    expect(await t.read.account(alice.id)).toMatchObject({ status: 'SUSPENDED', statusReason: 'laptop stolen' });
    expect(blocksText(reply)).toContain(`*Last change*\\nlock by <@${ADMIN}>`);
    const audit = await t.given.audit({ targetId: alice.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'lock',
      outcome: 'done',
      actorId: ADMIN,
      actorRole: 'admin',
      reason: 'laptop stolen',
      changes: { status: { before: 'ACTIVE', after: 'SUSPENDED' } },
    });
  });

  it('refuses a helpdesk user, naming the role needed, and audits it', async () => {
    const bob = await t.given.account({ firstName: 'Bob', lastName: 'Helpless' });
    const reply = await t.slash(`lock ${bob.username}`, HELPDESK);
    expect(blocksText(reply)).toContain('needs an admin');
    expect((await t.read.account(bob.id)).status).toBe('ACTIVE');
    expect(await t.given.audit({ targetId: bob.id })).toMatchObject([
      { action: 'lock', outcome: 'refused', actorId: HELPDESK, detail: expect.stringContaining('needs an admin') },
    ]);
  });

  it('refuses an unlock the status does not allow, saying why', async () => {
    const carol = await t.given.account({ firstName: 'Carol', lastName: 'Active' });
    const reply = await t.slash(`unlock ${carol.email}`, HELPDESK);
    expect(blocksText(reply)).toContain('Carol Active is ACTIVE');
    expect(await t.given.audit({ targetId: carol.id })).toMatchObject([{ action: 'unlock', outcome: 'refused' }]);
  });

  it('lets helpdesk unlock a locked-out account from the card button, editing the message in place', async () => {
    const dan = await t.given.account({ firstName: 'Dan', lastName: 'Lockedout', status: 'LOCKED_OUT', mfaEnrolled: true });
    const card = await t.slash(dan.email, HELPDESK);
    expect(cardButtons(card).map((b) => b.text.text)).toEqual(['Unlock', 'Reset MFA', 'Reset password']);
    const edited = await t.click(card, 'account.do.unlock', HELPDESK);
    expect(edited.failed).toBe(false);
    expect(edited.args.replace_original).toBe(true);
    expect(blocksText(edited)).toContain('Dan Lockedout is unlocked');
    expect(blocksText(edited)).toContain(`<@${HELPDESK}>`);
    expect(await t.read.account(dan.id)).toMatchObject({ status: 'ACTIVE', failedSignIns: 0 });
  });

  it('ends a timed lock by itself, through a delayed job', async () => {
    const erin = await t.given.account({ firstName: 'Erin', lastName: 'Timed' });
    const until = new Date(Date.now() + 1500).toISOString();
    const reply = await t.slash(`lock ${erin.email} --until ${until}`, ADMIN);
    expect(blocksText(reply)).toContain('locked until');
    expect(blocksText(reply)).toContain('suspension ends');
    expect((await t.read.account(erin.id)).suspendedUntil?.toISOString()).toBe(until);
    await expect.poll(async () => (await t.read.account(erin.id)).status, { timeout: 10_000, interval: 200 }).toBe('ACTIVE');
    expect((await t.given.audit({ targetId: erin.id })).map((e) => [e.action, e.actorType])).toEqual([
      ['lock', 'slack'],
      ['lock-expiry', 'system'],
    ]);
  });

  it('refuses a lock date in the past with a clear message and changes nothing', async () => {
    const fay = await t.given.account({ firstName: 'Fay', lastName: 'Past' });
    expect(blocksText(await t.slash(`lock ${fay.email} --until 2020-01-01`, ADMIN))).toContain('until: must be in the future');
    expect((await t.read.account(fay.id)).status).toBe('ACTIVE');
  });
});

describe('card buttons', () => {
  it('offer each role only what it may do, with a confirm dialog naming the account for destructive ones', async () => {
    const gus = await t.given.account({ firstName: 'Gus', lastName: 'Buttons', mfaEnrolled: true });
    const viewerCard = await t.slash(gus.email, VIEWER);
    expect(blocksText(viewerCard)).toContain('Gus Buttons');
    expect(cardButtons(viewerCard)).toEqual([]);
    const adminButtons = cardButtons(await t.slash(gus.email, ADMIN));
    expect(adminButtons.map((b) => b.text.text)).toEqual(['Edit', 'Lock', 'Deactivate', 'Reset MFA', 'Reset password']);
    const lock = adminButtons.find((b) => b.text.text === 'Lock');
    expect(lock.confirm.title.text).toBe('Lock Gus Buttons?');
    expect(lock.confirm.text.text).toContain(gus.email);
  });

  it('catches a click on a stale card: the second admin is told and sees the current card; nothing is applied twice', async () => {
    const hal = await t.given.account({ firstName: 'Hal', lastName: 'Race' });
    const seenByFirst = await t.slash(hal.email, ADMIN);
    const seenBySecond = await t.slash(hal.email, ADMIN2);
    await t.click(seenByFirst, 'account.do.lock', ADMIN);
    const second = await t.click(seenBySecond, 'account.do.deactivate', ADMIN2);
    expect(blocksText(second)).toContain('changed by someone else meanwhile');
    expect(blocksText(second)).toContain('SUSPENDED');
    expect((await t.read.account(hal.id)).status).toBe('SUSPENDED');
    expect((await t.given.audit({ targetId: hal.id, outcome: 'done' })).map((e) => e.action)).toEqual(['lock']);
  });

  it('edits a card posted in a channel with chat.update, retrying after a 429', async () => {
    const ivy = await t.given.account({ firstName: 'Ivy', lastName: 'Channel', status: 'LOCKED_OUT' });
    const card = await t.slash(ivy.email, HELPDESK);
    t.slack.failNext('chat.update', { status: 429, retryAfterSeconds: 1 });
    const payload = blockActionsPayload({
      userId: HELPDESK,
      actionId: 'account.do.unlock',
      blocks: card.args.blocks,
      channelId: 'C0HELPDESK',
      messageTs: '1700000001.000200',
      responseUrl: t.slack.responseUrl(),
    });
    expect((await t.send.interaction(payload)).status).toBe(200);
    const update = await t.slack.waitFor('chat.update', (c) => !c.failed && c.args.ts === '1700000001.000200', 10_000);
    expect(update.args.channel).toBe('C0HELPDESK');
    expect(JSON.stringify(update.args.blocks)).toContain('Ivy Channel is unlocked');
    expect(t.slack.calls('chat.update').filter((c) => c.args.ts === '1700000001.000200')).toHaveLength(2);
  });
});

describe('deactivate, reactivate, MFA and role', () => {
  it('bans and validates with the seed words; an account that never signed in comes back INVITED', async () => {
    const jo = await t.given.account({ firstName: 'Jo', lastName: 'Banned', lastSignInAt: null, status: 'INVITED' });
    expect(blocksText(await t.slash(`ban ${jo.email} --reason "left"`, ADMIN))).toContain('Jo Banned is deactivated');
    expect((await t.read.account(jo.id)).status).toBe('DEACTIVATED');
    expect(blocksText(await t.slash(`validate ${jo.email}`, ADMIN))).toContain('invited again');
    expect((await t.read.account(jo.id)).status).toBe('INVITED');
  });

  it('refuses to deactivate the owner of a group, naming the group', async () => {
    const kim = await t.given.account({ firstName: 'Kim', lastName: 'Owner' });
    await t.given.group({ name: 'Night Shift', owner: kim });
    expect(blocksText(await t.slash(`deactivate ${kim.email}`, ADMIN))).toContain('owns “Night Shift”');
    expect((await t.read.account(kim.id)).status).toBe('ACTIVE');
  });

  it('resets MFA without changing the status, and refuses an account that has none, with no Reset MFA button', async () => {
    const lee = await t.given.account({ firstName: 'Lee', lastName: 'Factor', mfaEnrolled: true });
    expect(blocksText(await t.slash(`reset-mfa ${lee.email}`, HELPDESK))).toContain('sign in with their password alone');
    expect(await t.read.account(lee.id)).toMatchObject({ mfaEnrolled: false, status: 'ACTIVE' });
    expect(await t.given.audit({ targetId: lee.id })).toMatchObject([{ action: 'reset-mfa', changes: { mfaEnrolled: { before: true, after: false } } }]);

    const again = await t.slash(`reset-mfa ${lee.email}`, HELPDESK);
    expect(blocksText(again)).toContain('Lee Factor has no two-step verification to reset.');
    expect(await t.given.audit({ targetId: lee.id, action: 'reset-mfa' })).toMatchObject([{ outcome: 'done' }, { outcome: 'refused' }]);
    expect(cardButtons(await t.slash(lee.email, HELPDESK)).map((b) => b.text.text)).toEqual(['Reset password']);
  });

  it('changes the role, and explains bad input with usage', async () => {
    const max = await t.given.account({ firstName: 'Max', lastName: 'Role' });
    const promoted = blocksText(await t.slash(`role ${max.email} manager --reason promoted`, ADMIN));
    expect(promoted).toContain('Max Role is now manager (was user)');
    expect(promoted).toMatch(/Last change\*\\nrole by <@U0ADMIN001>, <!date\^\d+\^[^>]+>: “promoted”/);
    expect(blocksText(await t.slash(`role ${max.email} emperor`, ADMIN))).toContain('role: must be user, manager or administrator, not “emperor”');
    expect(shownText(await t.slash(`role ${max.email}`, ADMIN))).toContain('Usage: role <who> <user|manager|administrator>');
    expect((await t.read.account(max.id)).role).toBe('manager');
  });

  it('resolves @mentions in commands through the Slack profile', async () => {
    const ned = await t.given.account({ firstName: 'Ned', lastName: 'Mention' });
    t.slack.setUser({ id: 'U0NED00001', email: ned.email });
    expect(blocksText(await t.slash('lock <@U0NED00001|ned>', ADMIN))).toContain('Ned Mention is locked');
  });
});

describe('audit history', () => {
  it('shows an account’s history newest first, paged, to a viewer', async () => {
    const olive = await t.given.account({ firstName: 'Olive', lastName: 'History', status: 'LOCKED_OUT' });
    await t.slash(`unlock ${olive.email} --reason "called the helpdesk"`, HELPDESK);
    await t.slash(`lock ${olive.email}`, HELPDESK);
    for (let i = 0; i < 10; i++) await t.slash(`role ${olive.email} ${i % 2 ? 'user' : 'manager'}`, ADMIN);
    const first = blocksText(await t.slash(`audit ${olive.email}`, VIEWER));
    expect(first).toContain('History of Olive History, newest first');
    expect(first).toContain('Page 1 of 2');
    expect(first.indexOf('role user → manager')).toBeGreaterThan(-1);
    const second = blocksText(await t.slash(`history ${olive.username} --page 2`, VIEWER));
    expect(second).toContain('Page 2 of 2');
    expect(second).toContain(`unlock by <@${HELPDESK}> (helpdesk) · status LOCKED_OUT → ACTIVE`);
    expect(second).toContain('reason “called the helpdesk”');
    expect(second).toContain(`lock by <@${HELPDESK}> (helpdesk) · refused: You are a helpdesk; locking an account needs an admin or above.`);
  });
});

describe('text as Slack escapes it', () => {
  it('reads &amp; &lt; &gt; in a reason as the characters the person typed', async () => {
    const pia = await t.given.account({ firstName: 'Pia', lastName: 'Escaped' });
    await t.slash(`lock ${pia.email} --reason "R&amp;D asked &lt;urgent&gt;"`, ADMIN);
    expect((await t.read.account(pia.id)).statusReason).toBe('R&D asked <urgent>');
  });
});
