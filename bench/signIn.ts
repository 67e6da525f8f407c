/**
 * `npm run bench:signin [-- --seconds N] [-- --concurrency N]`: sign-ins per second that one Roster process serves.
 *
 * The real Roster (startRoster as a web process: Bolt's HTTP receiver, the token, the rate limits in Redis, the
 * sign-in action with its argon2id check, row lock, audit row and commit) is asked by N concurrent clients to sign
 * in accounts with their right password over HTTP. In the same run, before and after, the bare argon2 verify of the
 * same hash is run N at a time in this process: the ceiling that the password hash alone sets. The ratio says what
 * the rest of a sign-in costs.
 *
 * Uses the database `roster_bench_signin` on DATABASE_URL's server (created and migrated when missing; its accounts
 * are replaced each run). Prints one JSON object and a one-line summary; exits 0, or 1 on errors.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import argon2 from 'argon2';
import { runAction } from '../src/actions/action.ts';
import { systemActor } from '../src/actions/actor.ts';
import { createApiToken } from '../src/actions/access/createApiToken.ts';
import { hashPassword } from '../src/actions/accounts/credentials.ts';
import { configSchema } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { startRoster } from '../src/roster.ts';
import { databaseUrl, percentiles, round, withClient } from './support.ts';

const DATABASE = 'roster_bench_signin';
const ACCOUNTS = 200;
const PASSWORD = 'bench password 0123456789';
const ORGANISATION = 'bench-signin';

function parseOptions(argv: string[]): { seconds: number; concurrency: number } {
  const { values } = parseArgs({ args: argv, options: { seconds: { type: 'string' }, concurrency: { type: 'string' } }, strict: true });
  const whole = (name: string, raw: string | undefined, fallback: number) => {
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} takes a whole number of at least 1, not "${raw}"`);
    return value;
  };
  return { seconds: whole('seconds', values.seconds, 15), concurrency: whole('concurrency', values.concurrency, 8) };
}

/** Runs `work` from `concurrency` loops for `seconds`; returns the completions per second and each one's latency. */
async function saturate(seconds: number, concurrency: number, work: (i: number) => Promise<void>): Promise<{ perSecond: number; latencies: number[] }> {
  const latencies: number[] = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const at = performance.now();
        await work(next++);
        latencies.push(performance.now() - at);
      }
    }),
  );
  return { perSecond: latencies.length / ((performance.now() - started) / 1000), latencies };
}

async function main(): Promise<void> {
  const { seconds, concurrency } = parseOptions(process.argv.slice(2));
  const url = databaseUrl(DATABASE);
  const config = configSchema.parse({
    DATABASE_URL: url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `roster-bench-signin-${randomBytes(4).toString('hex')}`,
    SLACK_SIGNING_SECRET: 'bench-signing-secret',
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
    PORT: '0',
    LOG_LEVEL: 'info',
    ROSTER_ROLE: 'web',
    ROSTER_SIGN_IN_PER_IP_PER_MINUTE: '100000',
    ROSTER_SIGN_IN_PER_LOGIN_PER_MINUTE: '10000',
  });
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const roster = await startRoster(config, createLogger('info', sink));
  try {
    const hash = await hashPassword(PASSWORD);
    const logins = await withClient(DATABASE, async (client) => {
      await client.query('begin');
      await client.query('delete from account where organisation_id in (select id from organisation where slug = $1)', [ORGANISATION]);
      await client.query('delete from organisation where slug = $1', [ORGANISATION]);
      const { rows } = await client.query<{ id: string }>(
        `insert into organisation (id, slug, name, lockout_threshold, inactivity_days, deletion_policy, mfa_required, created_at, updated_at)
         values (gen_random_uuid(), $1, 'Sign-in bench', 10, 90, 'soft', false, now(), now()) returning id`,
        [ORGANISATION],
      );
      const tag = randomBytes(4).toString('hex');
      const inserted = await client.query<{ email: string }>(
        `insert into account (id, organisation_id, username, email, first_name, last_name, status, status_changed_at, role, auth_source,
           mfa_enrolled, developer_mode, failed_sign_ins, password_hash, created_at, updated_at, version)
         select gen_random_uuid(), $1, 'bench.' || $2 || '.' || n, 'bench.' || $2 || '.' || n || '@example.test', 'Bench', 'Person ' || n, 'ACTIVE', now(),
           'user', 'local', false, false, 0, $3, now(), now(), 1
         from generate_series(1, $4) as n returning email`,
        [rows[0]!.id, tag, hash, ACCOUNTS],
      );
      await client.query('commit');
      return inserted.rows.map((row) => row.email);
    });
    const token = (await runAction({ orm: roster.orm, logger: createLogger('silent') }, createApiToken, systemActor('bench'), { organisation: ORGANISATION }))
      .secret.value;
    const endpoint = `http://127.0.0.1:${roster.port}/api/v1/sign-in`;
    const signInOnce = async (i: number) => {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ login: logins[i % logins.length], password: PASSWORD }),
      });
      const body = (await response.json()) as { status: string };
      if (body.status !== 'ok') throw new Error(`sign-in answered ${response.status} ${body.status}`);
    };
    const verifyOnce = async () => {
      if (!(await argon2.verify(hash, PASSWORD))) throw new Error('argon2 verify failed');
    };

    await saturate(2, concurrency, signInOnce); // warm-up: connections, prepared statements, JIT
    const half = Math.max(1, Math.round(seconds / 2));
    const bareBefore = await saturate(half, concurrency, verifyOnce);
    const signIns = await saturate(seconds, concurrency, signInOnce);
    const bareAfter = await saturate(half, concurrency, verifyOnce);
    const bareRate = (bareBefore.perSecond + bareAfter.perSecond) / 2;

    const result = {
      benchmark: 'signin',
      cores: availableParallelism(),
      argon2: {
        hash: hash.split('$').slice(1, 4).join('$'),
        verifyPerSecond: round(bareRate, 2),
        verifyMs: percentiles([...bareBefore.latencies, ...bareAfter.latencies]),
      },
      roster: { signInsPerSecond: round(signIns.perSecond, 2), signIns: signIns.latencies.length, ms: percentiles(signIns.latencies) },
      ratio: round(signIns.perSecond / bareRate, 3),
      seconds,
      concurrency,
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(
      `bench:signin ${result.roster.signInsPerSecond} sign-ins/s (p50 ${result.roster.ms.p50} ms, p99 ${result.roster.ms.p99} ms) against ${result.argon2.verifyPerSecond} bare argon2id verifies/s (${result.argon2.hash}) on ${result.cores} cores: ${Math.round(result.ratio * 100)}% of the hash's ceiling`,
    );
  } finally {
    await roster.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`bench:signin: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
