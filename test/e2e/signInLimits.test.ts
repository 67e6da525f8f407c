import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokenFor, givePassword, signInOver } from '../support/signIn.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.ts';
import { queueBackends, queueEnv, startTestRoster, type TestRoster } from '../support/testRoster.ts';

const PASSWORD = 'correct horse battery staple 42';
const REDIS_PORT = Number(new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').port || 6379);
const NOT_CHECKED = 'sign-in rate limits are not checked: Redis does not answer (sign-ins go ahead; the lockout still counts)';

let t: TestRoster;
let redis: TcpProxy | undefined;
let token: string;

// The buckets live where the queues do: in Redis, or in PostgreSQL when there is no Redis.
describe.each(queueBackends())('sign-in rate limits (in %s)', (queue) => {
  beforeAll(async () => {
    if (queue === 'redis') redis = await startTcpProxy(REDIS_PORT);
    const store = redis ? { REDIS_URL: `redis://127.0.0.1:${redis.port}` } : queueEnv(queue);
    t = await startTestRoster({ ...store, ROSTER_SIGN_IN_PER_IP_PER_MINUTE: '8', ROSTER_SIGN_IN_PER_LOGIN_PER_MINUTE: '3' });
    token = (await apiTokenFor(t, 'default')).raw;
  });
  afterAll(async () => {
    redis?.restore();
    await t?.stop();
    await redis?.close();
    redis = undefined;
  });

  it('answers 429 with Retry-After past the per-login limit, then past the per-IP limit; with its Redis away it still answers', async () => {
    const account = await t.given.account({});
    await givePassword(t, account.id, PASSWORD);

    for (let i = 0; i < 3; i++) expect((await signInOver(t, token, { login: account.email, password: `wrong ${i}` })).body.status).toBe('wrong-credentials');
    const perLogin = await signInOver(t, token, { login: account.email.toUpperCase(), password: PASSWORD });
    expect(perLogin).toMatchObject({ status: 429, body: { status: 'rate-limited', message: expect.stringContaining('for this login') } });
    // Three a minute refill one every 20 s: the next attempt is due within that.
    expect(Number(perLogin.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(perLogin.headers.get('retry-after'))).toBeLessThanOrEqual(20);
    expect((await t.read.account(account.id)).failedSignIns).toBe(3);

    // Other logins from the same address, until its eight a minute are used up.
    for (let i = 0; i < 4; i++) expect((await signInOver(t, token, { login: `someone${i}@example.test`, password: 'x' })).status).toBe(401);
    const perIp = await signInOver(t, token, { login: 'someone.else@example.test', password: 'x' });
    expect(perIp).toMatchObject({ status: 429, body: { status: 'rate-limited', message: expect.stringContaining('from this address') } });
    expect(Number(perIp.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The person's address, when the platform names it, is counted instead of the platform server's own.
    for (let i = 0; i < 8; i++) {
      expect((await signInOver(t, token, { login: `person${i}@example.test`, password: 'x', ip: '198.51.100.9' })).status).toBe(401);
    }
    const samePerson = await signInOver(t, token, { login: 'person8@example.test', password: 'x', ip: '198.51.100.9' });
    expect(samePerson).toMatchObject({ status: 429, body: { message: expect.stringContaining('from this address') } });
    expect((await signInOver(t, token, { login: 'person9@example.test', password: 'x', ip: '198.51.100.10' })).status).toBe(401);

    // Redis away: the limits are not checked (documented: fail open), the sign-in is answered, and the log says so once.
    // (In PostgreSQL the buckets are in the database the sign-in itself needs: there is no store to lose on its own.)
    if (!redis) return;
    redis.cut();
    const withoutRedis = await signInOver(t, token, { login: account.email, password: PASSWORD });
    const again = await signInOver(t, token, { login: account.email, password: PASSWORD });
    expect(withoutRedis).toMatchObject({ status: 200, body: { status: 'ok', accountId: account.id } });
    expect(again.body.status).toBe('ok');
    expect(t.logs.filter((line) => line.msg === NOT_CHECKED)).toHaveLength(1);
  }, 120_000);
});
