import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { blocksText } from '../support/slackReplies.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.ts';
import { BOT_TOKEN, queueBackends, queueEnv, SIGNING_SECRET, startTestRoster, type TestRoster } from '../support/testRoster.ts';

const ADMIN = 'U0RUNTIME1';

/** What `/readyz` answers: its status code and body. */
async function readiness(base: string): Promise<{ status: number; body: { checks: Record<string, string> } }> {
  const response = await fetch(`${base}/readyz`);
  return { status: response.status, body: (await response.json()) as { checks: Record<string, string> } };
}

describe('logs', () => {
  let t: TestRoster;
  beforeAll(async () => {
    t = await startTestRoster({ LOG_LEVEL: 'trace' });
    await t.given.grant(ADMIN, 'viewer');
  });
  afterAll(() => t?.stop());

  it('are JSON with a request id on every line of a Slack request, and never carry the token or signing secret', async () => {
    await t.slash('nobody@example.test', 'U0NOGRANT9');

    const refused = t.logs.find((line) => line.msg === 'action refused');
    expect(refused).toMatchObject({ action: 'lookup', actor: 'U0NOGRANT9', requestId: expect.any(String) });
    expect(t.rawLogs()).not.toContain(SIGNING_SECRET);
    expect(t.rawLogs()).not.toContain(BOT_TOKEN);
  });

  it('carry the queue and job id on every line a job writes', async () => {
    const job = await t.roster.queues.maintenance.add('inactivity-sweep', { dryRun: true });
    await expect.poll(() => job.getState(), { timeout: 10_000, interval: 100 }).toBe('completed');
    expect(t.logs.find((line) => line.msg === 'inactivity sweep finished')).toMatchObject({ queue: 'maintenance', jobId: job.id });
  });
});

// Cuts Redis apart from PostgreSQL: only where a Redis answers (the suite's first line says whether one did).
describe.runIf(queueBackends().includes('redis'))('health and dependencies on Redis queues', () => {
  let t: TestRoster;
  let database: TestDatabase;
  let postgres: TcpProxy;
  let redis: TcpProxy;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase(inject('templateDatabase'));
    postgres = await startTcpProxy(Number(new URL(database.url).port || 5432));
    redis = await startTcpProxy(Number(new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').port || 6379));
    const viaProxy = new URL(database.url);
    viaProxy.port = String(postgres.port);
    t = await startTestRoster({ DATABASE_URL: viaProxy.toString(), REDIS_URL: `redis://127.0.0.1:${redis.port}` });
    await t.given.grant(ADMIN, 'viewer');
    base = `http://127.0.0.1:${t.roster.port}`;
  });
  afterAll(async () => {
    postgres?.restore();
    redis?.restore();
    await t?.stop();
    await Promise.all([postgres?.close(), redis?.close()]);
    await database?.drop();
  });

  const readyz = () => readiness(base);

  it('answers /healthz and /readyz while both services answer', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await readyz()).toMatchObject({ status: 200, body: { checks: { postgres: 'ok', redis: 'ok' } } });
  });

  it('reports 503 naming PostgreSQL while it is unreachable, keeps running, and recovers', async () => {
    postgres.cut();
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body.checks.postgres).toMatch(/unreachable/);
    expect(down.body.checks.redis).toBe('ok');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    postgres.restore();
    await expect.poll(async () => (await readyz()).status, { timeout: 10_000, interval: 250 }).toBe(200);
    expect(blocksText(await t.slash('nobody@example.test', ADMIN))).toContain('No account matches');
  });

  it('reports 503 naming Redis while it is unreachable, and its workers take jobs again afterwards', async () => {
    redis.cut();
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body.checks.redis).toMatch(/unreachable/);
    redis.restore();
    await expect.poll(async () => (await readyz()).status, { timeout: 15_000, interval: 250 }).toBe(200);

    const job = await t.roster.queues.maintenance.add('inactivity-sweep', { dryRun: true });
    await expect.poll(() => job.getState(), { timeout: 15_000, interval: 200 }).toBe('completed');
  });
});

// The queues in Roster's own database (BullMQ's PostgreSQL backend): cutting that database takes both checks down.
describe('health and dependencies on PostgreSQL queues', () => {
  let t: TestRoster;
  let database: TestDatabase;
  let postgres: TcpProxy;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase(inject('templateDatabase'));
    postgres = await startTcpProxy(Number(new URL(database.url).port || 5432));
    const viaProxy = new URL(database.url);
    viaProxy.port = String(postgres.port);
    t = await startTestRoster({ DATABASE_URL: viaProxy.toString(), REDIS_URL: '' });
    base = `http://127.0.0.1:${t.roster.port}`;
  });
  afterAll(async () => {
    postgres?.restore();
    await t?.stop();
    await postgres?.close();
    await database?.drop();
  });

  const readyz = () => readiness(base);

  it('answers /healthz and /readyz while the database answers', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready', checks: { postgres: 'ok', queues: 'ok' } } });
  });

  it('reports 503 naming the queues while their database is unreachable, keeps running, and its workers take jobs again afterwards', async () => {
    postgres.cut();
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body.checks.queues).toMatch(/unreachable/);
    expect(down.body.checks.postgres).toMatch(/unreachable/);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    postgres.restore();
    await expect.poll(async () => (await readyz()).status, { timeout: 15_000, interval: 250 }).toBe(200);
    const job = await t.roster.queues.maintenance.add('inactivity-sweep', { dryRun: true });
    await expect.poll(() => job.getState(), { timeout: 15_000, interval: 200 }).toBe('completed');
  });
});

describe.each(queueBackends())('npm start on %s queues', (queue) => {
  it('starts from the environment alone, serves /readyz, and exits cleanly on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const { startFakeSlack } = await import('../support/fakeSlack.ts');
    const slack = await startFakeSlack();
    const database = await createTestDatabase(inject('templateDatabase'));
    // Below Linux's ephemeral ports (32768 and up): a port there may be any test's outgoing connection already.
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const child = spawn(process.execPath, ['src/main.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        ...queueEnv(queue),
        REDIS_PREFIX: `roster-test-start-${port}`,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_API_URL: slack.url,
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    try {
      await expect.poll(() => output, { timeout: 20_000, interval: 100 }).toContain('Roster started');
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('shutting down');
      // A deployed Roster (on Redis) writes JSON log lines only; with its queues standing in, its block once as well.
      const notJson = output
        .trim()
        .split('\n')
        .filter((line) => {
          try {
            JSON.parse(line);
            return false;
          } catch {
            return true;
          }
        });
      const block = [
        `Roster in local mode on http://localhost:${port}/ (role all)`,
        expect.stringMatching(/^ {2}database: PostgreSQL at postgres:\/\/\S+ \(DATABASE_URL\)$/),
        `  queues:   PostgreSQL, BullMQ's backend in the same database (schema bullmq; set REDIS_URL for Redis)`,
        `  Slack:    HTTP, Web API at ${slack.url}`,
      ];
      expect(notJson).toEqual(queue === 'redis' ? [] : block);
    } finally {
      child.kill('SIGKILL');
      if (process.env.REDIS_URL) {
        const { Redis } = await import('ioredis');
        const redis = new Redis(process.env.REDIS_URL);
        const keys = await redis.keys(`roster-test-start-${port}:*`);
        if (keys.length) await redis.del(...keys);
        await redis.quit();
      }
      await slack.close();
      await database.drop();
    }
  });
});
