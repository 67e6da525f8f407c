// A log line written while Roster answers a Slack request says which request and which caller it belongs to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

let t: TestRoster;

beforeAll(async () => {
  t = await startTestRoster();
});
afterAll(() => t?.stop());

describe('request log lines', () => {
  it('carry the request id and the Slack user, a different id per request, and nothing of the kind outside requests', async () => {
    await t.slash('someone@example.test', 'U0NOROLE01');
    await t.slash('someone@example.test', 'U0NOROLE02');
    const refusals = t.logs.filter((line) => line.msg === 'action refused');
    expect(refusals).toMatchObject([
      { actor: 'U0NOROLE01', slackUser: 'U0NOROLE01', requestId: expect.any(String) },
      { actor: 'U0NOROLE02', slackUser: 'U0NOROLE02', requestId: expect.any(String) },
    ]);
    expect(refusals[0]!.requestId).not.toBe(refusals[1]!.requestId);

    const started = t.logs.find((line) => line.msg === 'Roster started');
    expect(started).toMatchObject({ port: t.roster.port });
    expect(started).not.toHaveProperty('requestId');
  });
});
