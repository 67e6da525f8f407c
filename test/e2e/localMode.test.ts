// Local mode: `npm start` with no DATABASE_URL and no REDIS_URL, as a newcomer runs it. It must run on its own embedded
// PostgreSQL and PostgreSQL queues, whatever listens on 5432 and 6379: every local-mode process here runs with
// test/support/systemPortGuard.ts, which records and refuses any connection to those ports.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { commandLineOf, POSTGRES_OS_USER, startEmbeddedPostgres } from '../../src/local/embeddedPostgres.ts';
import { runningRoster } from '../../src/local/runtime.ts';
import { onServer } from '../support/database.ts';
import { startFakeSlack, type FakeSlack } from '../support/fakeSlack.ts';
import { slackRequester } from '../support/slackRequests.ts';
import { freePort } from '../support/consoleRoster.ts';
import { removeRedisKeys } from '../support/redisKeys.ts';
import { startTcpProxy } from '../support/tcpProxy.ts';
import { BOT_TOKEN, queueBackends, SIGNING_SECRET } from '../support/testRoster.ts';

const OWNER = 'U0LOCALOWN';
const PRODUCTION_REFUSAL = 'Roster does not start local stand-ins with NODE_ENV=production: set DATABASE_URL and REDIS_URL (see README "Local mode").';

const PORT_GUARD = fileURLToPath(new URL('../support/systemPortGuard.ts', import.meta.url));

let directory: string;
let guardLog: string;
let slack: FakeSlack;
let app: { child: ChildProcess; output: () => string } | undefined;

/**
 * This process's environment with the two variables local mode stands in for unset (empty is unset), and the guard
 * of ports 5432 and 6379 loaded.
 */
function localEnv(more: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    ...process.env,
    DATABASE_URL: '',
    REDIS_URL: '',
    ROSTER_LOCAL_DIR: directory,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${PORT_GUARD}`.trim(),
    ROSTER_PORT_GUARD_LOG: guardLog,
    ...more,
  };
}

/** What local-mode processes tried on 5432 and 6379 (nothing, for a test to pass). */
const guardedTries = () => readFile(guardLog, 'utf8').catch(() => '');

function startApp(env: Record<string, string | undefined>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

/** What Roster could leave on the system servers: databases other than the tests' own, and keys under its default prefix. */
async function systemFootprint(): Promise<{ databases: string[]; keys: string[] }> {
  const databases = await onServer(async (client) => {
    const { rows } = await client.query<{ datname: string }>(`select datname from pg_database where datname not like 'roster_test_%' order by 1`);
    return rows.map((row) => row.datname);
  });
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  const keys = await redis
    .connect()
    .then(() => redis.keys('roster:*'))
    .catch(() => [] as string[]);
  redis.disconnect();
  return { databases, keys: keys.sort() };
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'roster-local-'));
  guardLog = `${directory}-port-guard.log`;
  slack = await startFakeSlack({ botToken: BOT_TOKEN });
});
afterAll(async () => {
  app?.child.kill('SIGKILL');
  if (app) await exited(app.child);
  await runCli(['local', 'reset'], localEnv());
  await rm(directory, { recursive: true, force: true });
  await rm(guardLog, { force: true });
  await slack?.close();
});

describe('local mode', () => {
  it('starts on an embedded PostgreSQL with PostgreSQL queues and a demo organisation, answers /user, runs a job, and connects to nothing on 5432 or 6379', async () => {
    const before = await systemFootprint();
    app = startApp(
      localEnv({
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_API_URL: slack.url,
        PORT: '0',
        LOG_LEVEL: 'warn',
        ROSTER_BOOTSTRAP_ADMINS: OWNER,
      }),
    );
    await expect.poll(app.output, { timeout: 90_000, interval: 200 }).toMatch(/try \/user \S+/);
    const printed = app.output();
    expect(printed).toMatch(/database: embedded PostgreSQL 18\.\d+ on 127\.0\.0\.1:\d+ \(database roster\), data in /);
    expect(printed).toContain(`queues:   PostgreSQL, BullMQ's backend in the same database`);
    expect(printed).not.toMatch(/127\.0\.0\.1:(5432|6379)/);
    expect(printed).not.toMatch(/roster:[^@\s]+@/); // no password in what it prints
    const port = Number(/on http:\/\/localhost:(\d+)\//.exec(printed)![1]);
    const demoEmail = /try \/user (\S+)/.exec(printed)![1]!;

    const send = slackRequester(`http://127.0.0.1:${port}`, SIGNING_SECRET);
    const cardUrl = slack.responseUrl();
    expect((await send.command({ text: demoEmail, userId: OWNER, responseUrl: cardUrl })).status).toBe(200);
    const card = await slack.waitFor('response_url', (c) => c.args._responseUrl === cardUrl, 20_000);
    expect(JSON.stringify(card.args.blocks)).toContain(demoEmail);

    // An export is a job: it runs through the PostgreSQL queue and its file reaches Slack.
    const exportUrl = slack.responseUrl();
    expect((await send.command({ text: 'export org:demo', userId: OWNER, responseUrl: exportUrl, command: '/users' })).status).toBe(200);
    await expect.poll(() => slack.uploads().find((file) => file.name.endsWith('.csv')), { timeout: 30_000 }).toBeTruthy();
    const csv = slack
      .uploads()
      .find((file) => file.name.endsWith('.csv'))!
      .bytes.toString('utf8');
    expect(csv).toContain(demoEmail);

    // While it runs, `local reset` is refused and wipes nothing.
    const refused = await runCli(['local', 'reset'], localEnv());
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining(`Roster runs in local mode from ${directory}`) });
    expect((await stat(join(directory, 'postgres', 'PG_VERSION'))).isFile()).toBe(true);

    expect(await systemFootprint()).toEqual(before);
    expect(await guardedTries()).toBe('');

    // A graceful stop stops the embedded server too.
    app.child.kill('SIGTERM');
    expect(await exited(app.child)).toBe(0);
    await expect(stat(join(directory, 'postgres', 'postmaster.pid'))).rejects.toThrow();
    app = undefined;

    const reset = await runCli(['local', 'reset'], localEnv());
    expect(reset).toMatchObject({ code: 0, stdout: expect.stringContaining(`Wiped ${directory}`) });
    await expect(stat(directory)).rejects.toThrow();
    expect(await guardedTries()).toBe('');
  }, 180_000);

  it('refuses to start any local stand-in with NODE_ENV=production, and says in one sentence what to set', async () => {
    const production = { NODE_ENV: 'production', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN };
    const started = startApp(localEnv(production));
    // Only the missing one is named: with the database set, the queue stand-in is still refused.
    const queueOnly = startApp(localEnv({ ...production, DATABASE_URL: 'postgres://127.0.0.1:5432/roster' }));
    // And the console is refused as well, in the same words.
    const consoleOnly = startApp(localEnv({ NODE_ENV: 'production', DATABASE_URL: 'postgres://127.0.0.1:5432/roster', REDIS_URL: 'redis://127.0.0.1:6379' }));
    const [startedCode, queueOnlyCode, consoleOnlyCode, cli] = await Promise.all([
      exited(started.child),
      exited(queueOnly.child),
      exited(consoleOnly.child),
      runCli(['user', 'lookup', 'nobody@example.com'], localEnv({ NODE_ENV: 'production' }), 60_000),
    ]);
    expect(startedCode).toBe(1);
    expect(started.output().trim()).toBe(PRODUCTION_REFUSAL);
    expect(cli).toMatchObject({ code: 1, stderr: `${PRODUCTION_REFUSAL}\n` });
    expect(queueOnlyCode).toBe(1);
    expect(queueOnly.output().trim()).toBe('Roster does not start local stand-ins with NODE_ENV=production: set REDIS_URL (see README "Local mode").');
    expect(consoleOnlyCode).toBe(1);
    expect(consoleOnly.output().trim()).toBe(
      'Roster does not start local stand-ins with NODE_ENV=production: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (see README "Local mode").',
    );
    await expect(stat(join(directory, 'postgres'))).rejects.toThrow();
  }, 90_000);
});

describe('the port guard', () => {
  it('records and refuses a connection to 5432 or 6379, however it is made', async () => {
    const tries = `${directory}-control.log`;
    const script = `import net from 'node:net';
      const refused = (socket) => new Promise((resolve) => socket.on('error', (error) => resolve(error.code)));
      const codes = [await refused(net.connect(6379, '127.0.0.1')), await refused(new net.Socket().connect({ port: 5432, host: 'localhost' }))];
      codes.push(await fetch('http://127.0.0.1:5432/').then(() => 'answered', (error) => error.cause?.code));
      console.log(codes.join(' '));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: localEnv({ ROSTER_PORT_GUARD_LOG: tries }),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    expect(await exited(child)).toBe(0);
    expect(output.trim()).toBe('ECONNREFUSED ECONNREFUSED ECONNREFUSED');
    const logged = await readFile(tries, 'utf8');
    await rm(tries, { force: true });
    expect(logged).toContain('tried 127.0.0.1:6379');
    expect(logged).toContain('tried localhost:5432');
    expect(logged).toContain('tried 127.0.0.1:5432');
  });
});

// Each variable on its own: here REDIS_URL is set and used, while the database and Slack are stood in for.
describe.runIf(queueBackends().includes('redis'))('local mode with REDIS_URL set', () => {
  it('runs on the embedded PostgreSQL, its queues on that Redis, and the console in place of Slack', async () => {
    const own = await mkdtemp(join(tmpdir(), 'roster-local-redis-'));
    // Through a proxy, so that the guard still refuses anything that goes to 6379 itself.
    const redisUrl = new URL(inject('redisUrl')!);
    const redis = await startTcpProxy(Number(redisUrl.port || 6379), redisUrl.hostname);
    const prefix = `roster-test-local-${process.pid}`;
    const port = await freePort();
    const started = startApp(
      localEnv({ ROSTER_LOCAL_DIR: own, REDIS_URL: `redis://127.0.0.1:${redis.port}`, REDIS_PREFIX: prefix, PORT: String(port), LOG_LEVEL: 'warn' }),
    );
    try {
      await expect.poll(started.output, { timeout: 90_000, interval: 200 }).toMatch(/try \/user \S+/);
      const printed = started.output();
      expect(printed).toMatch(/database: embedded PostgreSQL 18\.\d+ on 127\.0\.0\.1:\d+ \(database roster\)/);
      expect(printed).toContain(`queues:   Redis at redis://127.0.0.1:${redis.port} (REDIS_URL)`);
      expect(printed).toContain(`Slack:    none: the local console stands in for it at http://localhost:${port}/`);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
      const page = await fetch(`http://localhost:${port}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Roster · local console</title>');
      started.child.kill('SIGTERM');
      expect(await exited(started.child)).toBe(0);
      expect(await guardedTries()).toBe('');
    } finally {
      started.child.kill('SIGKILL');
      await exited(started.child);
      await runCli(['local', 'reset'], localEnv({ ROSTER_LOCAL_DIR: own }));
      await rm(own, { recursive: true, force: true });
      await removeRedisKeys(inject('redisUrl'), prefix);
      await redis.close();
    }
  }, 180_000);
});

describe('the embedded PostgreSQL after a crash', () => {
  it("starts again on the data a killed server left, also when the pid in its pid file is by now another program's", async () => {
    const crashed = await mkdtemp(join(tmpdir(), 'roster-crash-'));
    // Stands in for the program that has the old server's pid after a reboot: a process of the server's OS user.
    const ids = userInfo().uid === 0 ? { uid: Number(await idOf('-u')), gid: Number(await idOf('-g')) } : {};
    const other = spawn('sleep', ['300'], { ...ids, stdio: 'ignore' });
    try {
      const first = await startEmbeddedPostgres(crashed, { takeOver: true });
      await query(first.serverUrl, 'create database kept');
      const pidFile = join(first.dataDirectory, 'postmaster.pid');
      await killServer(pidFile);

      const second = await startEmbeddedPostgres(crashed, { takeOver: true });
      expect(second).toMatchObject({ created: false, owned: true });
      await killServer(pidFile);
      const lines = (await readFile(pidFile, 'utf8')).split('\n');
      lines[0] = String(other.pid);
      await writeFile(pidFile, lines.join('\n'));
      await writeFile(join(crashed, 'roster.pid'), `${other.pid}\n`);

      expect(await runningRoster(crashed)).toBeUndefined();
      const third = await startEmbeddedPostgres(crashed, { takeOver: true });
      expect(await query(third.serverUrl, `select datname from pg_database where datname = 'kept'`)).toEqual([{ datname: 'kept' }]);
      expect(other.exitCode).toBeNull(); // left alone
      await third.stop();
    } finally {
      other.kill();
      await rm(crashed, { recursive: true, force: true });
    }
  }, 120_000);
});

async function idOf(flag: '-u' | '-g'): Promise<string> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) => execFile('id', [flag, POSTGRES_OS_USER], (error, stdout) => (error ? reject(error) : resolve(stdout.trim()))));
}

async function query(serverUrl: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: `${serverUrl}postgres` });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** SIGKILL to the server, as a crash: its pid file stays. */
async function killServer(pidFile: string): Promise<void> {
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  process.kill(pid, 'SIGKILL');
  await expect.poll(() => commandLineOf(pid), { timeout: 10_000, interval: 50 }).toBeUndefined();
  expect((await stat(pidFile)).isFile()).toBe(true);
}
