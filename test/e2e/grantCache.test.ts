// Roster holds each caller's grants in memory between requests: a revoke must still take effect on the very next
// request, in the process that revoked and in every other process on the same database, also after Postgres
// dropped the connection that listens for changes.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedSlackActors } from '../../src/actions/actor.ts';
import { GRANT_LISTENER_NAME, listenForGrantChanges, type GrantChanges } from '../../src/db/grantChanges.ts';
import { createLogger } from '../../src/logger.ts';
import { startRoster, type Roster } from '../../src/roster.ts';
import { slackRequester, type SlackRequester } from '../support/slackRequests.ts';
import { SIGNING_SECRET, startTestRoster, type TestRoster } from '../support/testRoster.ts';

const OWNER = 'U0OWNERGC1';
const VIEWER = 'U0VIEWGC01';

let t: TestRoster;
let second: Roster;
let secondSend: SlackRequester;
let db: pg.Client;
let account: { email: string };

/** What `/user <text>` as `userId` answers through `send` (the first or the second instance), as text. */
async function slash(send: SlackRequester, text: string, userId: string): Promise<string> {
  const responseUrl = t.slack.responseUrl();
  const ack = await send.command({ text, userId, responseUrl });
  expect(ack.status).toBe(200);
  const reply = await t.slack.waitFor('response_url', (c) => c.args._responseUrl === responseUrl);
  return JSON.stringify(reply.args.blocks);
}

/** Waits until a listener has its LISTEN in place again after its connection was terminated. */
async function listenersBack(count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { rows } = await db.query<{ n: string }>(
      `select count(*) as n from pg_stat_activity where application_name = $1 and datname = current_database() and query ilike 'listen %' and state = 'idle'`,
      [GRANT_LISTENER_NAME],
    );
    if (Number(rows[0]!.n) >= count) return;
    if (Date.now() > deadline) throw new Error('the grant listener did not come back');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function terminateListeners(): Promise<void> {
  const { rowCount } = await db.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and datname = current_database()`, [
    GRANT_LISTENER_NAME,
  ]);
  expect(rowCount).toBeGreaterThan(0);
}

beforeAll(async () => {
  t = await startTestRoster({ ROSTER_BOOTSTRAP_ADMINS: OWNER });
  // A second web process on the same database, as when Roster runs several copies behind a load balancer.
  second = await startRoster({ ...t.config, ROSTER_ROLE: 'web', ROSTER_BOOTSTRAP_ADMINS: [] }, createLogger('silent'));
  secondSend = slackRequester(`http://127.0.0.1:${second.port}`, SIGNING_SECRET);
  db = new pg.Client({ connectionString: t.config.DATABASE_URL });
  await db.connect();
  account = await t.given.account({ firstName: 'Cache', lastName: 'Target' });
  await listenersBack(2);
});
afterAll(async () => {
  await db?.end();
  await second?.stop();
  await t?.stop();
});

describe('a revoked grant, with grants held in memory', () => {
  it('refuses the very next lookup, in the process that revoked and in another one', async () => {
    expect(await slash(t.send, `grant <@${VIEWER}> viewer`, OWNER)).toContain(`<@${VIEWER}> is viewer`);
    // Both processes serve the viewer (and so hold the grant).
    expect(await slash(t.send, account.email, VIEWER)).toContain(account.email);
    expect(await slash(secondSend, account.email, VIEWER)).toContain(account.email);
    expect(await slash(secondSend, account.email, VIEWER)).toContain(account.email);

    expect(await slash(t.send, `revoke <@${VIEWER}>`, OWNER)).toContain(`<@${VIEWER}> is no longer viewer`);
    const refusedHere = await slash(t.send, account.email, VIEWER);
    const refusedThere = await slash(secondSend, account.email, VIEWER);
    for (const refused of [refusedHere, refusedThere]) {
      expect(refused).toContain('You have no Roster role');
      expect(refused).not.toContain(account.email);
    }
  });

  it('refuses the next lookup after a revoke straight in the database while the listening connection was down', async () => {
    await t.given.grant(VIEWER, 'viewer');
    expect(await slash(t.send, account.email, VIEWER)).toContain(account.email);
    expect(await slash(secondSend, account.email, VIEWER)).toContain(account.email);

    // As a Postgres restart would: the listening connections go, and the revoke's announcement reaches nobody.
    await terminateListeners();
    await db.query('delete from slack_grant where slack_user_id = $1', [VIEWER]);
    for (const send of [t.send, secondSend]) {
      const refused = await slash(send, account.email, VIEWER);
      expect(refused).toContain('You have no Roster role');
      expect(refused).not.toContain(account.email);
    }

    // Back and listening: a grant and its revoke are both honoured on the next request again.
    await listenersBack(2);
    await t.given.grant(VIEWER, 'viewer');
    expect(await slash(secondSend, account.email, VIEWER)).toContain(account.email);
    await db.query('delete from slack_grant where slack_user_id = $1', [VIEWER]);
    const refused = await slash(secondSend, account.email, VIEWER);
    expect(refused).toContain('You have no Roster role');
    expect(refused).not.toContain(account.email);
  });
});

describe('grants held in memory', () => {
  let changes: GrantChanges;
  beforeAll(async () => {
    changes = listenForGrantChanges(t.config.DATABASE_URL, createLogger('silent'));
    await listenersBack(3);
  });
  afterAll(() => changes?.close());

  /** Removes the grant without the trigger firing, so only a request that reads the database would notice. */
  const revokeUnannounced = async (slackUserId: string) => {
    await db.query('begin');
    await db.query(`set local session_replication_role = replica`);
    await db.query('delete from slack_grant where slack_user_id = $1', [slackUserId]);
    await db.query('commit');
  };

  /** Resolves once the listener has announced a change of `slackUserId`'s grants. */
  const announced = (slackUserId: string) => new Promise<void>((resolve) => changes.onChange((changed) => changed === slackUserId && resolve()));

  it('are read once while the listener listens, and again after any announced change', async () => {
    const actors = cachedSlackActors(t.roster.orm.em, changes);
    // A read racing with the grant's own announcement would rightly not be held; wait for it first.
    const granted = announced('U0HELDGC01');
    await t.given.grant('U0HELDGC01', 'helpdesk');
    await granted;
    expect((await actors.actorFor('U0HELDGC01')).grants).toEqual([{ role: 'helpdesk', organisationId: null }]);

    // Held: an unannounced change is not seen, which is what makes the announcement necessary.
    await revokeUnannounced('U0HELDGC01');
    expect((await actors.actorFor('U0HELDGC01')).grants).toEqual([{ role: 'helpdesk', organisationId: null }]);

    await t.given.grant('U0HELDGC01', 'admin');
    await expect.poll(async () => (await actors.actorFor('U0HELDGC01')).grants, { timeout: 2_000 }).toEqual([{ role: 'admin', organisationId: null }]);
  });

  it('are not held while the listener is away', async () => {
    const actors = cachedSlackActors(t.roster.orm.em, changes);
    await changes.close();
    expect(changes.listening).toBe(false);
    await t.given.grant('U0HELDGC02', 'viewer');
    expect((await actors.actorFor('U0HELDGC02')).grants).toEqual([{ role: 'viewer', organisationId: null }]);
    await revokeUnannounced('U0HELDGC02');
    expect((await actors.actorFor('U0HELDGC02')).grants).toEqual([]);
  });
});
