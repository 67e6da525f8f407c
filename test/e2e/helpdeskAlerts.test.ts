import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HelpdeskAlert } from '../../src/db/entities/index.ts';
import type { RecordedCall } from '../support/fakeSlack.ts';
import { apiTokenFor, givePassword, signInOver } from '../support/signIn.ts';
import { blocksText } from '../support/slackReplies.ts';
import { blockActionsPayload } from '../support/slackRequests.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

const HELPDESK_CHANNEL = 'C0HELPDESK';
const HELPDESK = 'U0HDESK01';
const VIEWER = 'U0HDVIEW01';
const PASSWORD = 'correct horse battery staple 42';

let t: TestRoster;
let token: string;

beforeAll(async () => {
  // Each account here takes a dozen sign-ins within a minute; the per-login limit has its own tests.
  t = await startTestRoster({ ROSTER_HELPDESK_CHANNEL: HELPDESK_CHANNEL, ROSTER_SIGN_IN_PER_LOGIN_PER_MINUTE: '100' });
  await t.given.grant(HELPDESK, 'helpdesk');
  await t.given.grant(VIEWER, 'viewer');
  token = (await apiTokenFor(t, 'default')).raw;
});
afterAll(() => t?.stop());

const alerts = () => t.slack.calls('chat.postMessage').filter((c) => c.args.channel === HELPDESK_CHANNEL);
const statusOf = async (id: string) => (await t.read.account(id)).status;

/** The posted alert, with the message's ts as Roster noted it. */
async function lockOut(account: { id: string; email: string }): Promise<RecordedCall & { ts: string }> {
  for (let i = 1; i <= 9; i++) expect((await signInOver(t, token, { login: account.email, password: `wrong ${i}` })).body.status).toBe('wrong-credentials');
  expect(await statusOf(account.id)).toBe('ACTIVE');
  expect((await signInOver(t, token, { login: account.email, password: 'wrong 10' })).body.status).toBe('locked-out');
  const posted = await t.slack.waitFor('chat.postMessage', (c) => c.args.channel === HELPDESK_CHANNEL && String(c.args.text).includes(account.email), 10_000);
  const ts = async () => (await t.roster.orm.em.fork().findOne(HelpdeskAlert, { accountId: account.id }))?.messageTs;
  await expect.poll(ts).toBeTruthy();
  return { ...posted, ts: (await ts())! };
}

/** A click on the alert, a message in the helpdesk channel (not ephemeral), as `userId`. */
async function clickOnAlert(alert: RecordedCall & { ts: string }, actionId: string, userId: string): Promise<string> {
  const responseUrl = t.slack.responseUrl();
  const payload = blockActionsPayload({ userId, actionId, blocks: alert.args.blocks, responseUrl, channelId: HELPDESK_CHANNEL, messageTs: alert.ts });
  expect((await t.send.interaction(payload)).status).toBe(200);
  return blocksText(await t.slack.waitFor('response_url', (c) => c.args._responseUrl === responseUrl));
}

describe('a lockout alert in the helpdesk channel', () => {
  it('is posted once at the threshold, refuses a viewer’s Unlock, and is edited in place when helpdesk unlocks from it', async () => {
    const account = await t.given.account({ firstName: 'Lou', lastName: 'Lockout' });
    await givePassword(t, account.id, PASSWORD);
    const before = alerts().length;
    const alert = await lockOut(account);
    expect(alerts()).toHaveLength(before + 1);
    const text = blocksText(alert);
    expect(text).toContain(`*Lou Lockout* &lt;${account.email}&gt;`);
    expect(text).toContain('is locked out after 10 wrong passwords');
    expect(text).toMatch(/the last from [\d.:a-f]+/);
    const buttons = alert.args.blocks.flatMap((b: any) => b.elements ?? []).map((e: any) => [e.text.text, Boolean(e.confirm)]);
    expect(buttons).toEqual([
      ['Unlock', true],
      ['Look up', false],
    ]);
    expect((await signInOver(t, token, { login: account.email, password: PASSWORD })).body.status).toBe('locked-out');

    expect(await clickOnAlert(alert, 'helpdesk.unlock', VIEWER)).toContain('needs a helpdesk');
    expect(await statusOf(account.id)).toBe('LOCKED_OUT');
    expect(t.slack.calls('chat.update').filter((c) => c.args.ts === alert.ts)).toEqual([]);

    expect(await clickOnAlert(alert, 'helpdesk.unlock', HELPDESK)).toContain('Lou Lockout is unlocked');
    const edited = await t.slack.waitFor('chat.update', (c) => c.args.ts === alert.ts, 10_000);
    expect(blocksText(edited)).toContain(`Unlocked by <@${HELPDESK}>`);
    expect(blocksText(edited)).toContain('was locked out after 10 wrong passwords');
    expect(JSON.stringify(edited.args.blocks)).not.toContain('helpdesk.unlock');
    expect(await t.read.account(account.id)).toMatchObject({ status: 'ACTIVE', failedSignIns: 0 });
    expect((await signInOver(t, token, { login: account.email, password: PASSWORD })).body.status).toBe('ok');
  });

  it('is edited the same way when the account is unlocked with /user unlock, and Look up shows the card', async () => {
    const account = await t.given.account({ firstName: 'Max', lastName: 'Lockout' });
    await givePassword(t, account.id, PASSWORD);
    const alert = await lockOut(account);
    expect(await clickOnAlert(alert, 'helpdesk.lookup', VIEWER)).toContain(account.email);
    expect(blocksText(await t.slash(`unlock ${account.email}`, HELPDESK))).toContain('Max Lockout is unlocked');
    const edited = await t.slack.waitFor('chat.update', (c) => c.args.ts === alert.ts, 10_000);
    expect(blocksText(edited)).toContain(`Unlocked by <@${HELPDESK}>`);
  });
});
