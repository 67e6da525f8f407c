// A revoked grant is refused on the very next request, in the process that revoked and in every other process on the
// same database, whichever way it was revoked: grants are read on every request, never kept between them.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { startRoster, type Roster } from '../../src/roster.ts';
import { slackRequester, type SlackRequester } from '../support/slackRequests.ts';
import { SIGNING_SECRET, startTestRoster, type TestRoster } from '../support/testRoster.ts';

const OWNER = 'U0OWNERGR1';
const VIEWER = 'U0VIEWGR01';

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

beforeAll(async () => {
  t = await startTestRoster({ ROSTER_BOOTSTRAP_ADMINS: OWNER });
  // A second web process on the same database, as when Roster runs several copies behind a load balancer.
  second = await startRoster({ ...t.config, ROSTER_ROLE: 'web', ROSTER_BOOTSTRAP_ADMINS: [] }, createLogger('silent'));
  secondSend = slackRequester(`http://127.0.0.1:${second.port}`, SIGNING_SECRET);
  db = new pg.Client({ connectionString: t.config.DATABASE_URL });
  await db.connect();
  account = await t.given.account({ firstName: 'Revoke', lastName: 'Target' });
});
afterAll(async () => {
  await db?.end();
  await second?.stop();
  await t?.stop();
});

describe('a revoked grant', () => {
  it('refuses the very next lookup after /user revoke, in the process that revoked and in another one', async () => {
    expect(await slash(t.send, `grant <@${VIEWER}> viewer`, OWNER)).toContain(`<@${VIEWER}> is viewer`);
    expect(await slash(t.send, account.email, VIEWER)).toContain(account.email);
    expect(await slash(secondSend, account.email, VIEWER)).toContain(account.email);

    expect(await slash(t.send, `revoke <@${VIEWER}>`, OWNER)).toContain(`<@${VIEWER}> is no longer viewer`);
    for (const send of [t.send, secondSend]) {
      const refused = await slash(send, account.email, VIEWER);
      expect(refused).toContain('You have no Roster role');
      expect(refused).not.toContain(account.email);
    }
  });

  it('refuses the very next lookup and change after a revoke made straight in the database', async () => {
    await t.given.grant(VIEWER, 'admin');
    expect(await slash(secondSend, account.email, VIEWER)).toContain(account.email);
    await db.query('delete from slack_grant where slack_user_id = $1', [VIEWER]);
    for (const send of [t.send, secondSend]) {
      const lookup = await slash(send, account.email, VIEWER);
      expect(lookup).toContain('You have no Roster role');
      expect(lookup).not.toContain(account.email);
      expect(await slash(send, `lock ${account.email}`, VIEWER)).toContain('You have no Roster role');
    }
    const { rows } = await db.query<{ status: string }>('select status from account where email = $1', [account.email]);
    expect(rows).toEqual([{ status: 'ACTIVE' }]);
  });
});
