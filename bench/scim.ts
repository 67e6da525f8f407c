/**
 * `npm run bench:scim [-- --users N] [-- --fresh] [-- --lookups N] [-- --creates N]`: what an identity provider waits
 * for from Roster's SCIM API, beside the bare SQL of the same question in the same run.
 *
 * The real Roster, as `ROSTER_ROLE=web npm start` runs it in a process of its own (Bolt's HTTP receiver, the scim
 * token, its rate limit in Redis, the filter parser, the SCIM read action and its one statement, the JSON body), is
 * asked over HTTP by a plain keep-alive client, one request at a time, as an identity provider on another machine would:
 * - `GET /Users?filter=userName eq "<name>"` (Okta's look-up before each create), against the bare select of that
 *   account through a plain `pg` client;
 * - `GET /Users?filter=name.familyName sw "<prefix>"&count=100`, against the bare count and first 100 rows in the
 *   same order;
 * each pair alternating which goes first, call by call, after a warm-up;
 * - `--creates` sequential `POST /Users` (createAccount: the checks, the account, its audit row and invitation mail
 *   in the outbox, one transaction), against as many bare inserts of the same account row.
 *
 * Uses its own database `roster_bench_scim` on DATABASE_URL's server (another benchmark may be using `roster_bench`),
 * seeded with seedDemo when it holds fewer than N demo accounts (default a million) or with `--fresh`, otherwise
 * reused, and vacuumed before measuring, as autovacuum keeps a live table; the accounts a run creates are deleted at
 * its end. Prints one JSON object and a one-line summary; exits 0
 * whether or not the targets are met, 1 on errors.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { runAction } from '../src/actions/action.ts';
import { removeRedisKeys } from '../test/support/redisKeys.ts';
import { systemActor } from '../src/actions/actor.ts';
import { createApiToken } from '../src/actions/access/createApiToken.ts';
import { createOrm, migrate } from '../src/db/orm.ts';
import { seedDemo } from '../src/db/seedDemo.ts';
import { createLogger } from '../src/logger.ts';
import { databaseUrl, npmStartFlags, percentiles, round, withClient } from './support.ts';

const DATABASE = 'roster_bench_scim';
const ORGANISATION = 'demo';
const WARM_UP = 200;
const TARGETS = { userNameEqP99Ms: 5, familyNameSwP99Ms: 25 } as const;
/** The accounts a run creates; deleted at its end (and at the start, after an interrupted run). */
const CREATED_PREFIX = 'scimbench';

function parseOptions(argv: string[]): { users: number; fresh: boolean; lookups: number; creates: number } {
  const { values } = parseArgs({
    args: argv,
    options: { users: { type: 'string' }, fresh: { type: 'boolean', default: false }, lookups: { type: 'string' }, creates: { type: 'string' } },
    strict: true,
  });
  const whole = (name: string, raw: string | undefined, fallback: number) => {
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} takes a whole number of at least 1, not "${raw}"`);
    return value;
  };
  return {
    users: whole('users', values.users, 1_000_000),
    fresh: values.fresh,
    lookups: whole('lookups', values.lookups, 2000),
    creates: whole('creates', values.creates, 1000),
  };
}

async function demoAccounts(): Promise<number> {
  const exists = await withClient(
    'postgres',
    async (client) => (await client.query('select 1 from pg_database where datname = $1', [DATABASE])).rowCount === 1,
  );
  if (!exists) return 0;
  return withClient(DATABASE, async (client) => {
    const { rows } = await client.query<{ n: string | null }>(
      `select case when to_regclass('account') is null then 0
         else (select count(*) from account a join organisation o on o.id = a.organisation_id where o.slug = $1) end as n`,
      [ORGANISATION],
    );
    return Number(rows[0]?.n ?? 0);
  });
}

/** Runs `a` and `b` on each item, alternating which goes first, and keeps both timings after the warm-up. */
async function paired<T>(items: readonly T[], a: (item: T) => Promise<number>, b: (item: T) => Promise<number>): Promise<{ a: number[]; b: number[] }> {
  const times = { a: [] as number[], b: [] as number[] };
  for (const [i, item] of items.entries()) {
    let ta: number;
    let tb: number;
    if (i % 2 === 0) {
      ta = await a(item);
      tb = await b(item);
    } else {
      tb = await b(item);
      ta = await a(item);
    }
    if (i >= WARM_UP) {
      times.a.push(ta);
      times.b.push(tb);
    }
  }
  return times;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const found = await demoAccounts();
  const reseed = options.fresh || found < options.users;
  let seedSeconds: number | null = null;
  if (reseed) {
    await withClient('postgres', (client) => client.query(`drop database if exists "${DATABASE}" with (force)`));
    process.stderr.write(`bench:scim seeding ${options.users} accounts into ${DATABASE}...\n`);
    const orm = await createOrm(databaseUrl(DATABASE), () => {});
    try {
      await migrate(orm);
      const started = performance.now();
      await seedDemo(orm.em.fork(), { users: options.users, organisation: ORGANISATION });
      seedSeconds = round((performance.now() - started) / 1000, 1);
    } finally {
      await orm.close();
    }
  } else {
    process.stderr.write(`bench:scim reusing ${DATABASE} (${found} demo accounts; --fresh to reseed)\n`);
  }

  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redisPrefix = `roster-bench-scim-${randomBytes(4).toString('hex')}`;
  const roster = await startWebProcess({
    DATABASE_URL: databaseUrl(DATABASE),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    SLACK_SIGNING_SECRET: 'bench-signing-secret',
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
    LOG_LEVEL: 'warn',
    ROSTER_SCIM_PER_TOKEN_PER_MINUTE: '100000',
  });
  const orm = await createOrm(databaseUrl(DATABASE), () => {});
  const bare = new pg.Client({ connectionString: databaseUrl(DATABASE) });
  await bare.connect();
  try {
    const deleteCreated = () => bare.query(`delete from account where username like $1`, [`${CREATED_PREFIX}.%`]);
    await deleteCreated();
    // A live table is kept vacuumed by autovacuum; a freshly seeded one is not yet, and index-only scans need it.
    await bare.query('vacuum (analyze) account');
    // The vacuum leaves pages to write: a checkpoint now, so that writing them does not stall the measured requests
    // (it needs a superuser or pg_checkpoint; without either the run goes on).
    await bare.query('checkpoint').catch(() => undefined);
    const token = (
      await runAction({ orm, logger: createLogger('silent') }, createApiToken, systemActor('bench'), {
        organisation: ORGANISATION,
        name: 'bench:scim',
        scopes: ['scim'],
      })
    ).secret.value;
    const { rows: orgRows } = await bare.query<{ id: string }>('select id from organisation where slug = $1', [ORGANISATION]);
    const organisationId = orgRows[0]!.id;
    const { rows: counted } = await bare.query<{ n: string }>('select count(*) as n from account where organisation_id = $1', [organisationId]);
    const client = scimClient(roster.port, token);
    const scimGet = async (path: string): Promise<{ ms: number; body: any }> => {
      const started = performance.now();
      const response = await client.request('GET', path);
      const ms = performance.now() - started;
      if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
      return { ms, body: response.body };
    };
    const timedQuery = async (sql: string, params: unknown[]): Promise<{ ms: number; rows: any[] }> => {
      const started = performance.now();
      const { rows } = await bare.query(sql, params);
      return { ms: performance.now() - started, rows };
    };

    // userName eq: random live accounts, the warm-up ones distinct from the measured ones.
    const { rows: picked } = await bare.query<{ username: string }>(
      `select username from account where organisation_id = $1 and deleted_at is null order by random() limit $2`,
      [organisationId, options.lookups + WARM_UP],
    );
    const userNames = picked.map((row) => row.username);
    const byUserName = await paired(
      userNames,
      async (userName) => {
        const { ms, body } = await scimGet(`/Users?${new URLSearchParams({ filter: `userName eq "${userName}"` })}`);
        if (body.totalResults !== 1 || body.Resources[0].userName !== userName) throw new Error(`userName eq "${userName}" found ${body.totalResults}`);
        return ms;
      },
      async (userName) => {
        const { ms, rows } = await timedQuery(`select * from account where organisation_id = $1 and deleted_at is null and username = $2`, [
          organisationId,
          userName,
        ]);
        if (rows.length !== 1) throw new Error(`bare userName ${userName} found ${rows.length}`);
        return ms;
      },
    );

    // familyName sw: two-letter prefixes of the organisation's last names, as a typeahead in an identity provider sends.
    const { rows: names } = await bare.query<{ prefix: string }>(
      `select distinct left(lower(last_name), 2) as prefix from account where organisation_id = $1 and deleted_at is null`,
      [organisationId],
    );
    const prefixes = Array.from({ length: Math.min(options.lookups, 1000) + WARM_UP }, (_, i) => names[i % names.length]!.prefix);
    let matchedTotal = 0;
    const byFamilyName = await paired(
      prefixes,
      async (prefix) => {
        const { ms, body } = await scimGet(`/Users?${new URLSearchParams({ filter: `name.familyName sw "${prefix}"`, count: '100' })}`);
        if (body.Resources.length !== Math.min(100, body.totalResults)) throw new Error(`sw "${prefix}" gave ${body.Resources.length} of ${body.totalResults}`);
        matchedTotal += body.totalResults;
        return ms;
      },
      async (prefix) => {
        const where = `organisation_id = $1 and deleted_at is null and lower(last_name) collate "C" like $2`;
        const { ms, rows } = await timedQuery(
          `select (select count(*) from account where ${where}) as total, a.* from account a where ${where}
           order by lower(a.last_name) collate "C", a.id limit 100`,
          [organisationId, `${prefix}%`],
        );
        if (rows.length === 0) throw new Error(`bare sw "${prefix}" found nothing`);
        return ms;
      },
    );

    // POST /Users, one after another, against the bare insert of the same account row, alternating which goes first.
    const tag = randomBytes(3).toString('hex');
    const create = async (i: number) => {
      const userName = `${CREATED_PREFIX}.${tag}.${i}`;
      const started = performance.now();
      const response = await client.request('POST', '/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName,
        name: { givenName: 'Bench', familyName: `Created ${i}` },
        emails: [{ value: `${userName}@bench.example`, type: 'work', primary: true }],
        active: true,
      });
      if (response.status !== 201) throw new Error(`POST /Users answered ${response.status}: ${JSON.stringify(response.body)}`);
      return performance.now() - started;
    };
    const insert = async (i: number) => {
      const userName = `${CREATED_PREFIX}.${tag}.bare.${i}`;
      const started = performance.now();
      await bare.query(
        `insert into account (id, organisation_id, username, email, first_name, last_name, status, status_changed_at, created_at, updated_at, version)
         values (gen_random_uuid(), $1, $2, $3, 'Bench', $4, 'INVITED', now(), now(), now(), 1)`,
        [organisationId, userName, `${userName}@bench.example`, `Created ${i}`],
      );
      return performance.now() - started;
    };
    const createMs: number[] = [];
    const insertMs: number[] = [];
    for (let i = 0; i < options.creates; i++) {
      if (i % 2 === 0) {
        createMs.push(await create(i));
        insertMs.push(await insert(i));
      } else {
        insertMs.push(await insert(i));
        createMs.push(await create(i));
      }
    }
    await deleteCreated();
    const sum = (samples: number[]) => samples.reduce((total, ms) => total + ms, 0);

    const userNameP = { roster: percentiles(byUserName.a), bare: percentiles(byUserName.b) };
    const familyNameP = { roster: percentiles(byFamilyName.a), bare: percentiles(byFamilyName.b) };
    const creates = {
      count: options.creates,
      perSecond: round(options.creates / (sum(createMs) / 1000), 1),
      bareInsertsPerSecond: round(options.creates / (sum(insertMs) / 1000), 1),
      ms: percentiles(createMs),
      bareMs: percentiles(insertMs),
    };
    const pass = {
      userNameEqP99: userNameP.roster.p99 < TARGETS.userNameEqP99Ms,
      familyNameSwP99: familyNameP.roster.p99 < TARGETS.familyNameSwP99Ms,
      all: false,
    };
    pass.all = pass.userNameEqP99 && pass.familyNameSwP99;
    const report = {
      benchmark: 'scim',
      database: DATABASE,
      reused: !reseed,
      seedSeconds,
      accounts: Number(counted[0]?.n ?? 0),
      cores: availableParallelism(),
      warmUp: WARM_UP,
      userNameEq: { requests: byUserName.a.length, ...userNameP, ratioP99: round(userNameP.roster.p99 / userNameP.bare.p99, 2) },
      familyNameSw: {
        requests: byFamilyName.a.length,
        prefixes: names.length,
        meanMatches: Math.round(matchedTotal / prefixes.length),
        ...familyNameP,
        ratioP99: round(familyNameP.roster.p99 / familyNameP.bare.p99, 2),
      },
      creates: { ...creates, ratio: round(creates.perSecond / creates.bareInsertsPerSecond, 3) },
      targets: TARGETS,
      pass,
    };
    console.log(JSON.stringify(report, null, 2));
    console.log(
      `bench:scim at ${report.accounts} accounts: userName eq p99 ${userNameP.roster.p99} ms (bare ${userNameP.bare.p99} ms, ${report.userNameEq.ratioP99}x, target < ${TARGETS.userNameEqP99Ms} ms); ` +
        `familyName sw p99 ${familyNameP.roster.p99} ms (bare ${familyNameP.bare.p99} ms, ${report.familyNameSw.ratioP99}x, target < ${TARGETS.familyNameSwP99Ms} ms); ` +
        `POST /Users ${creates.perSecond}/s (bare inserts ${creates.bareInsertsPerSecond}/s): ${pass.all ? 'PASS' : 'FAIL'}`,
    );
  } finally {
    await bare.end();
    await orm.close();
    await roster.stop();
    await removeRedisKeys(redisUrl, redisPrefix);
  }
}

/** A port nobody listens on now, for the web process to take. */
async function freePort(): Promise<number> {
  const server = http.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  return port;
}

/** `ROSTER_ROLE=web npm start` (its Node flags, `src/main.ts`) on a free port, ready once `/healthz` answers. */
async function startWebProcess(env: Record<string, string>): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...(await npmStartFlags()), 'src/main.ts'], {
    env: { ...process.env, ...env, ROSTER_ROLE: 'web', PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit');
  // An error ends the benchmark with process.exit: the web process goes with it.
  process.once('exit', () => child.kill());
  for (let waited = 0; ; waited += 100) {
    if (child.exitCode !== null) throw new Error(`Roster's web process exited:\n${output}`);
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    if (waited > 60_000) throw new Error(`Roster's web process did not answer /healthz:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** One keep-alive connection to `/scim/v2` with the token: what an identity provider's client holds open. */
function scimClient(port: number, token: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      return new Promise((resolve, reject) => {
        const request = http.request(
          {
            host: '127.0.0.1',
            port,
            path: `/scim/v2${path}`,
            method,
            agent,
            headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/scim+json' } : {}) },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
            response.on('error', reject);
          },
        );
        request.on('error', reject);
        request.end(payload);
      });
    },
  };
}

// Exits once done, as bench:signin does: the stopped Roster's queue connections would otherwise keep the process up.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:scim failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
