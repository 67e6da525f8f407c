import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalRequest, HelpdeskAlert, Organisation } from '../../src/db/entities/index.ts';
import type { RecordedCall } from '../support/fakeSlack.ts';
import { blocksText } from '../support/slackReplies.ts';
import { blockActionsPayload, blockSuggestionPayload } from '../support/slackRequests.ts';
import { queueBackends, queueEnv, startTestRoster, type TestRoster } from '../support/testRoster.ts';

const HELPDESK_CHANNEL = 'C0HOMEHELP';
const OWNER = 'U0HOMEOWN1';
const ADMIN_A = 'U0HOMEADMA';
const HELPDESK = 'U0HOMEHELP';
const VIEWER = 'U0HOMEVIEW';
const NOBODY = 'U0HOMENONE';

let t: TestRoster;
let lockedInA: { id: string; email: string };
let lockedInB: { id: string; email: string };

describe.each(queueBackends())('Home (queues on %s)', (queue) => {
  beforeAll(async () => {
    t = await startTestRoster({ ...queueEnv(queue), ROSTER_HELPDESK_CHANNEL: HELPDESK_CHANNEL, ROSTER_HOME_REFRESH_SECONDS: '1' });
    await t.given.organisation('home-a');
    await t.given.organisation('home-b');
    await t.given.grant(OWNER, 'owner');
    await t.given.grant(ADMIN_A, 'admin', 'home-a');
    await t.given.grant(HELPDESK, 'helpdesk');
    await t.given.grant(VIEWER, 'viewer');
    await t.given.account({ firstName: 'Ana', lastName: 'Active', organisationSlug: 'home-a', status: 'ACTIVE' });
    lockedInA = await t.given.account({ firstName: 'Lia', lastName: 'Lockedout', organisationSlug: 'home-a', status: 'LOCKED_OUT' });
    lockedInB = await t.given.account({ firstName: 'Bea', lastName: 'Lockedout', organisationSlug: 'home-b', status: 'LOCKED_OUT' });
    const waiting = await t.given.account({ firstName: 'Wyn', lastName: 'Waiting', organisationSlug: 'home-a' });
    const em = t.roster.orm.em.fork();
    const organisation = await em.findOneOrFail(Organisation, { slug: 'home-a' });
    em.create(ApprovalRequest, {
      organisation,
      kind: 'delete',
      accountId: waiting.id,
      subject: { name: 'Wyn Waiting', email: waiting.email, username: waiting.username, status: 'ACTIVE', role: 'user' },
      reason: 'duplicate',
      requestedBy: 'U0HOMEREQ1',
      expiresAt: new Date(Date.now() + 3600_000),
    });
    await em.flush();
  });
  afterAll(() => t?.stop());

  /** Opens the Home tab as `userId`: the view Roster published for them. */
  async function openHome(userId: string): Promise<RecordedCall> {
    const before = t.slack.calls('views.publish').length;
    expect((await t.send.event({ type: 'app_home_opened', user: userId, channel: 'D0HOME', tab: 'home', event_ts: '1.1' })).status).toBe(200);
    const published = await t.slack.waitFor('views.publish', (c) => c.args.user_id === userId && t.slack.calls('views.publish').indexOf(c) >= before, 10_000);
    expect(published.failed, JSON.stringify(published.args.errors ?? '')).toBeFalsy();
    return published;
  }

  const actionIds = (home: RecordedCall): string[] =>
    (home.args.view.blocks as any[])
      .flatMap((b) => [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])])
      .map((e: any) => e.action_id)
      .filter(Boolean);
  const homeText = (home: RecordedCall) => blocksText({ ...home, args: { blocks: home.args.view.blocks } });
  const asView = (home: RecordedCall) => ({ ...home.args.view, id: 'VHOME0001' });

  describe('the Home tab', () => {
    it('shows an owner counts by status per organisation, the locked-out accounts with Unlock, the waiting requests with their buttons, and a picker', async () => {
      const home = await openHome(OWNER);
      const text = homeText(home);
      expect(text).toContain('home-a');
      expect(text).toMatch(/2 active · 1 locked-out/);
      expect(text).toContain('Lia Lockedout');
      // The email in brackets, escaped: bare brackets would make Slack read it as a link.
      expect(text).toContain(`&lt;${lockedInA.email}&gt;`);
      expect(text).toContain('Bea Lockedout');
      expect(text).toContain('Wyn Waiting');
      expect(actionIds(home)).toEqual(expect.arrayContaining(['home.find', 'helpdesk.unlock', 'helpdesk.lookup', 'approval.approve', 'approval.reject']));
      expect(home.args.view.blocks.length).toBeLessThanOrEqual(100);
    });

    it('shows a viewer no Unlock and no Approve, and an organisation-limited admin only their organisation', async () => {
      const forViewer = await openHome(VIEWER);
      expect(homeText(forViewer)).toContain('Lia Lockedout');
      expect(actionIds(forViewer)).not.toContain('helpdesk.unlock');
      expect(actionIds(forViewer)).not.toContain('approval.approve');
      expect(homeText(forViewer)).not.toContain('Wyn Waiting');

      const forAdmin = await openHome(ADMIN_A);
      const text = homeText(forAdmin);
      expect(text).toContain('Lia Lockedout');
      expect(text).not.toContain('Bea Lockedout');
      expect(text).not.toContain('home-b');
      // Owners decide this organisation's requests: the admin sees the request, without its buttons.
      expect(text).toContain('Wyn Waiting');
      expect(actionIds(forAdmin)).not.toContain('approval.approve');
    });

    it('tells someone without a grant how to get one', async () => {
      expect(homeText(await openHome(NOBODY))).toContain('Ask a Roster owner for a grant');
    });

    it('finds an account as you type and sends its card as a DM', async () => {
      const home = await openHome(HELPDESK);
      const suggested = await t.send.options(blockSuggestionPayload({ userId: HELPDESK, actionId: 'home.find', value: 'lia', view: asView(home) }));
      const option = suggested.body.options.find((o: any) => o.text.text.includes('Lia Lockedout'));
      expect(option.value).toBe(lockedInA.id);
      const pick = blockActionsPayload({
        userId: HELPDESK,
        actionId: 'home.find',
        view: asView(home),
        type: 'external_select',
        selectedOption: { value: option.value, text: option.text.text },
      });
      expect((await t.send.interaction(pick)).status).toBe(200);
      const card = await t.slack.waitFor(
        'chat.postMessage',
        (c) => c.args.channel === HELPDESK && String(JSON.stringify(c.args.blocks)).includes(lockedInA.email),
        10_000,
      );
      expect(blocksText(card)).toContain('LOCKED_OUT');
    });

    it('unlocks from Home: the helpdesk alert is edited too, and the tab is rebuilt', async () => {
      const em = t.roster.orm.em.fork();
      em.create(HelpdeskAlert, {
        accountId: lockedInB.id,
        lockedAt: new Date(),
        attempts: 10,
        ip: '192.0.2.7',
        channel: HELPDESK_CHANNEL,
        messageTs: '1700000000.000777',
      });
      await em.flush();
      const home = await openHome(HELPDESK);
      const publishedBefore = t.slack.calls('views.publish').filter((c) => c.args.user_id === HELPDESK).length;
      const unlock = blockActionsPayload({ userId: HELPDESK, actionId: 'helpdesk.unlock', view: asView(home), value: lockedInB.id });
      expect((await t.send.interaction(unlock)).status).toBe(200);
      await t.slack.waitFor('chat.update', (c) => c.args.ts === '1700000000.000777', 10_000);
      expect((await t.read.account(lockedInB.id)).status).toBe('ACTIVE');
      await expect
        .poll(() => t.slack.calls('views.publish').filter((c) => c.args.user_id === HELPDESK).length, { timeout: 10_000 })
        .toBeGreaterThan(publishedBefore);
      const rebuilt = t.slack
        .calls('views.publish')
        .filter((c) => c.args.user_id === HELPDESK)
        .at(-1)!;
      expect(homeText(rebuilt)).not.toContain('Bea Lockedout');
    });

    it('lists exports and sweeps beside bulk jobs, with how they went', async () => {
      await t.slash('export org:home-a', OWNER, { command: '/users' });
      await expect.poll(() => t.slack.uploads().length, { timeout: 20_000 }).toBeGreaterThan(0);
      const sweep = await t.roster.queues.maintenance.add('inactivity-sweep', { dryRun: true });
      await expect.poll(async () => (await t.roster.queues.maintenance.getJob(sweep.id!))?.finishedOn, { timeout: 20_000 }).toBeTruthy();
      const text = homeText(await openHome(OWNER));
      expect(text).toMatch(/\*export\* org:home-a · done · \d+ accounts · by <@U0HOMEOWN1>/);
      expect(text).toContain('*dry run* · done');
      // A sweep that waits for its time says when it runs.
      const later = await t.roster.queues.maintenance.add('inactivity-sweep', { dryRun: true }, { delay: 3_600_000 });
      const runsAt = Math.floor((later.timestamp + 3_600_000) / 1000);
      expect(homeText(await openHome(OWNER))).toContain(`*dry run* · scheduled · <!date^${runsAt}^`);
      await later.remove();
      expect(homeText(await openHome(ADMIN_A))).not.toContain('*export* org:home-a');
    });

    it('stays within 100 blocks however much is waiting, and says how many more', async () => {
      for (let i = 0; i < 25; i++) await t.given.account({ firstName: `Many${i}`, lastName: 'Lockedout', organisationSlug: 'home-a', status: 'LOCKED_OUT' });
      const home = await openHome(OWNER);
      expect(home.args.view.blocks.length).toBeLessThanOrEqual(100);
      expect(homeText(home)).toMatch(/and \d+ more/);
    });
  });
});
