import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from 'otplib';
import { apiTokenFor, enrolTotp, givePassword, signInOver } from '../support/signIn.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

/** A port nobody listens on: Socket Mode serves its routes on the configured port and cannot be asked for port 0's. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const modes = [
  { mode: 'HTTP mode', env: async () => ({}) },
  { mode: 'Socket Mode', env: async () => ({ SLACK_APP_TOKEN: 'xapp-1-test-app-token', PORT: String(await freePort()) }) },
];

describe.each(modes)('no secret reaches the logs ($mode, LOG_LEVEL debug)', ({ env }) => {
  let t: TestRoster;
  let base: string;
  beforeAll(async () => {
    t = await startTestRoster(await env());
    base = `http://127.0.0.1:${t.roster.port}`;
  });
  afterAll(() => t?.stop());

  const requestLines = (path: string) => t.logs.filter((line) => line.msg === 'no route for this request' && line.path === path);

  it('a link to a path Roster does not serve, /anything?token=..., answers 404 and its token is nowhere in the logs', async () => {
    const token = randomBytes(32).toString('base64url');
    const response = await fetch(`${base}/anything?token=${token}`);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not found' });
    expect(requestLines('/anything')).toHaveLength(1);
    expect(t.rawLogs()).not.toContain(token);
  });

  it.each(['/invitation', '/reset-password'])(
    'a mailed link %s?token=... with an unknown token is refused by its page, and the token is nowhere in the logs',
    async (path) => {
      const token = randomBytes(32).toString('base64url');
      const response = await fetch(`${base}${path}?token=${token}`);

      expect(response.status).toBe(404);
      expect(await response.text()).toContain('link is not valid; check that the whole link was copied');
      expect(t.logs.filter((line) => line.msg === 'password page served' && line.path === path)).toMatchObject([{ method: 'GET', status: 404 }]);
      expect(t.rawLogs()).not.toContain(token);
    },
  );

  it('a token in the path itself is not logged either; the route it was sent to is', async () => {
    const token = randomBytes(32).toString('base64url');
    const response = await fetch(`${base}/invitation/${token}/accept`, { method: 'POST' });

    expect(response.status).toBe(404);
    expect(requestLines('/invitation/[redacted]/accept')).toMatchObject([{ method: 'POST' }]);
    expect(t.rawLogs()).not.toContain(token);
  });

  it('a bearer token sent to a path Roster does not serve is nowhere in the logs', async () => {
    const bearer = randomBytes(32).toString('hex');
    const response = await fetch(`${base}/api/v2/users?filter=userName%20eq%20%22x%22`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}` },
      body: '{}',
    });

    expect(response.status).toBe(404);
    expect(requestLines('/api/v2/users')).toHaveLength(1);
    expect(t.rawLogs()).not.toContain(bearer);
    expect(t.rawLogs()).not.toContain('userName');
  });

  it('a bearer token refused by the SCIM API, and the filter it came with, are nowhere in the logs', async () => {
    const bearer = `roster_${'S'.repeat(12)}.${randomBytes(32).toString('base64url')}`;
    const response = await fetch(`${base}/scim/v2/Users?filter=userName%20eq%20%22secretive%22`, { headers: { authorization: `Bearer ${bearer}` } });

    expect(response.status).toBe(401);
    expect(t.rawLogs()).not.toContain(bearer.split('.')[1]);
    expect(t.rawLogs()).not.toContain('secretive');
  });

  it('a sign-in leaves its password, API token, TOTP code and secret in no log line and no audit event', async () => {
    const { raw: apiToken } = await apiTokenFor(t, 'default');
    const account = await t.given.account({});
    const password = `pw-${randomBytes(12).toString('hex')}`;
    await givePassword(t, account.id, password);
    const totpSecret = await enrolTotp(t, account.id);
    const code = await generate({ secret: totpSecret });
    const wrongPassword = `wrong-${randomBytes(12).toString('hex')}`;
    const wrongBearer = `roster_${'Q'.repeat(12)}.${randomBytes(32).toString('base64url')}`;
    const linesBefore = t.logs.length;

    expect((await signInOver(t, apiToken, { login: account.email, password: wrongPassword })).body.status).toBe('wrong-credentials');
    expect((await signInOver(t, apiToken, { login: account.email, password })).body.status).toBe('mfa-required');
    expect((await signInOver(t, apiToken, { login: account.email, password, totp: code })).body.status).toBe('ok');
    expect((await signInOver(t, wrongBearer, { login: account.email, password })).status).toBe(401);
    expect((await signInOver(t, apiToken, `{"login": 1, "password": "${wrongPassword}"}`)).status).toBe(400);

    const audit = JSON.stringify(await t.given.audit({ targetId: account.id }));
    expect(audit).toContain('"action":"sign-in"');
    expect(t.logs.length).toBeGreaterThan(linesBefore);
    for (const secret of [password, wrongPassword, apiToken, apiToken.split('.')[1]!, wrongBearer, totpSecret, code]) {
      expect(t.rawLogs()).not.toContain(secret);
      expect(audit).not.toContain(secret);
    }
  });

  it('the routes Roster serves still answer', async () => {
    const response = await fetch(`${base}/healthz?probe=${randomBytes(8).toString('hex')}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
