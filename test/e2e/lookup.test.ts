import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountFeature, Feature, Group, Licence, GroupFeature } from '../../src/db/entities/index.ts';
import { blocksText, shownText } from '../support/slackReplies.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

const VIEWER = 'U0VIEWER1';
const ACME_ONLY = 'U0ACMEVIEW';
const NOBODY = 'U0NOBODY1';

let t: TestRoster;
let alice: Awaited<ReturnType<TestRoster['given']['account']>>;

const slash = (text: string, userId = VIEWER) => t.slash(text, userId);

beforeAll(async () => {
  t = await startTestRoster();
  await t.given.grant(VIEWER, 'viewer');
  const acme = await t.given.organisation('acme');
  await t.given.grant(ACME_ONLY, 'viewer', 'acme');
  alice = await t.given.account({ firstName: 'Alice', lastName: 'Liddell', email: 'alice.liddell@example.test', username: 'aliddell' });
  const bob = await t.given.account({ firstName: 'Bob', lastName: 'Owner' });
  await t.given.account({ firstName: 'Alicia', lastName: 'Keys' });
  await t.given.account({ firstName: 'Alina', lastName: 'Stone', organisationSlug: acme.slug });

  const groupId = await t.given.group({ name: 'Field Crew North', owner: bob, members: [[alice, 'editor']] });
  const em = t.roster.orm.em.fork();
  const group = await em.findOneOrFail(Group, { id: groupId });
  em.create(Licence, { group, product: 'Field app', seats: 25 });
  const reporting = em.create(Feature, { key: 'reporting', name: 'Reporting', kind: 'module' });
  const badges = em.create(Feature, { key: 'badges', name: 'Badge printer', kind: 'add_on' });
  em.create(AccountFeature, { account: alice.id, feature: reporting });
  em.create(AccountFeature, { account: alice.id, feature: badges, active: false });
  em.create(GroupFeature, { group, feature: reporting });
  await em.flush();
});

afterAll(() => t?.stop());

describe('/user lookup', () => {
  it('says an ACTIVE account past its inactivity period is due for suspension at the next sweep, not that it already was', async () => {
    const days = (n: number) => new Date(Date.now() - n * 24 * 3600 * 1000);
    const idle = await t.given.account({ firstName: 'Ida', lastName: 'Idle', lastSignInAt: days(120), createdAt: days(400) });
    const text = blocksText(await slash(idle.email));
    // The default sweep runs at 03:00 UTC: the card names that time, as a Slack date token with a UTC fallback.
    expect(text).toMatch(/due for suspension for inactivity since .+, at the next sweep \(<!date\^\d+\^[^|]+\|\d{4}-\d\d-\d\d 03:00 UTC>\)/);
    expect(text).not.toContain('suspended for inactivity on');
  });

  it('shows the whole account card, with its groups, for an email in any case', async () => {
    const reply = await slash('Alice.Liddell@Example.test');
    expect(reply.failed).toBe(false);
    expect(reply.args.response_type).toBe('ephemeral');
    const text = blocksText(reply);
    for (const expected of [
      'Alice Liddell',
      'alice.liddell@example.test',
      'aliddell',
      alice.id,
      'ACTIVE',
      'Default organisation',
      'Last sign-in',
      'Added',
      'Modified',
      'password',
      'MFA not enrolled',
      'Reporting',
      'Badge printer (off)',
      'Developer mode',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toContain('Field Crew North: editor');
    expect(text).toContain('owner Bob Owner');
    expect(text).toContain('2 members');
    expect(text).toContain('Field app (25 seats)');
    expect(text).toMatch(/modules Reporting/);
  });

  it('finds an account by username and by ID', async () => {
    expect(blocksText(await slash('aliddell'))).toContain('alice.liddell@example.test');
    expect(blocksText(await slash(`lookup ${alice.id}`))).toContain('Alice Liddell');
  });

  it('lists several matches for a partial name, and Open shows the chosen card in place', async () => {
    const reply = await slash('Ali');
    const text = blocksText(reply);
    expect(text).toContain('Alice Liddell');
    expect(text).toContain('Alicia Keys');
    expect(text).toContain('Alina Stone');
    expect(text).toContain('3 accounts match');

    const card = await t.click(reply, 'account.open', VIEWER, { value: alice.id });
    expect(card.args.replace_original).toBe(true);
    expect(blocksText(card)).toContain('alice.liddell@example.test');
  });

  it('limits an organisation-scoped viewer to their organisation', async () => {
    const list = blocksText(await slash('Ali', ACME_ONLY));
    expect(list).toContain('Alina Stone');
    expect(list).not.toContain('Alice');

    const refused = await slash('alice.liddell@example.test', ACME_ONLY);
    expect(blocksText(refused)).toContain('no Roster role for this organisation');
    const audit = await t.given.audit({ actorId: ACME_ONLY, outcome: 'refused' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'lookup', targetId: alice.id });
  });

  it('says so when nothing matches, pointing at the commands for a word that was meant as one', async () => {
    expect(blocksText(await slash('nobody-like-this@example.test'))).toContain('No account matches');
    expect(blocksText(await slash('frobnicate nobody-like-this@example.test'))).toContain(
      'No account matches “frobnicate nobody-like-this@example.test”. Try an email, a username, or the start of a first or last name; `/user help` lists the commands.',
    );
  });

  it('resolves an @mention through the Slack profile email', async () => {
    t.slack.setUser({ id: 'U0ALICE01', email: 'alice.liddell@example.test' });
    expect(blocksText(await slash('<@U0ALICE01|alice>'))).toContain('Alice Liddell');
    expect(t.slack.last('users.info')?.args.user).toBe('U0ALICE01');
  });

  it('refuses a Slack user without a grant, says why, and audits the refusal', async () => {
    const reply = await slash('alice.liddell@example.test', NOBODY);
    expect(blocksText(reply)).toContain('You have no Roster role');
    expect(blocksText(reply)).not.toContain('Alice');
    const audit = await t.given.audit({ actorId: NOBODY });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'lookup', outcome: 'refused', actorType: 'slack' });
  });

  it('answers /user alone, /user help and unreadable text with usage, changing nothing', async () => {
    const before = (await t.given.audit()).length;
    for (const text of ['', 'help', 'lookup "unclosed']) {
      const reply = await slash(text);
      expect(reply.args.response_type).toBe('ephemeral');
      expect(shownText(reply)).toContain('/user <email | username | ID | name | @mention>');
    }
    expect(blocksText(await slash('lookup "unclosed'))).toContain('quotation mark is not closed');
    expect(await t.given.audit()).toHaveLength(before);
  });
});

describe('request verification', () => {
  it('rejects a forged signature with 401 and does nothing', async () => {
    const calls = t.slack.calls().length;
    const response = await t.send.command({ text: 'aliddell', userId: VIEWER, responseUrl: t.slack.responseUrl() }, { secret: 'not-the-secret' });
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(t.slack.calls()).toHaveLength(calls);
  });

  it('rejects a request signed more than five minutes ago with 401', async () => {
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const response = await t.send.command({ text: 'aliddell', userId: VIEWER }, { timestamp: sixMinutesAgo });
    expect(response.status).toBe(401);
  });
});

describe('/users', () => {
  it('says plainly that the audit is not in this version, instead of timing out', async () => {
    const responseUrl = t.slack.responseUrl();
    const response = await t.send.command({ command: '/users', text: 'audit', userId: VIEWER, responseUrl });
    expect(response.status).toBe(200);
    const reply = await t.slack.waitFor('response_url', (c) => c.args._responseUrl === responseUrl);
    expect(reply.args.response_type).toBe('ephemeral');
    expect(reply.args.text).toContain('not in this version');
  });
});
