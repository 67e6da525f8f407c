// npm run bench:bulk [-- --users N --bulk N --rows N --only import,bulk,sweep,export --worker-flags "..."]: the work done on many accounts at
// once, each beside a bare baseline in the same run on the same rows, in a database of its own (roster_bench_bulk, made
// afresh: the changes alter it). Imports, bulk changes and exports run as in production: this process is a web
// process (startRoster, ROSTER_ROLE=web) that queues the job, and a worker process (`ROSTER_ROLE=worker`, started
// afresh for each part) runs it, talking to a local fake Slack; the worker's RSS is read from /proc.
// - import: a generated CSV of --rows new accounts shared in Slack, its dry run (download, parse, check, stage) and its
//   Apply, against a bare COPY ... FROM STDIN of the same file into a table shaped like account;
// - bulk: `/users bulk deactivate` of --bulk accounts (status machine, one audit event each) against one bare
//   UPDATE ... RETURNING feeding an INSERT of the audit rows;
// - sweep: the nightly inactivity sweep over all --users accounts against one bare UPDATE of the same accounts;
// - export: `/users export` of all --users accounts as CSV, uploaded to Slack, against a bare COPY ... TO STDOUT.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { runAction } from '../src/actions/action.ts';
import { slackActor, systemActor } from '../src/actions/actor.ts';
import { exportAccounts } from '../src/actions/accounts/exportAccounts.ts';
import { startBulkJob } from '../src/actions/accounts/bulk/startBulkJob.ts';
import { applyImport } from '../src/actions/accounts/import/applyImport.ts';
import { startImport } from '../src/actions/accounts/import/startImport.ts';
import { sweepAllInactiveAccounts } from '../src/actions/accounts/sweepInactiveAccounts.ts';
import { configSchema } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { startRoster } from '../src/roster.ts';
import { startFakeSlack } from '../test/support/fakeSlack.ts';
import { removeRedisKeys } from '../test/support/redisKeys.ts';
import { databaseUrl, round, withClient, npmStartFlags } from './support.ts';

const DATABASE = 'roster_bench_bulk';
const BOT_TOKEN = 'xoxb-bench-bulk';
const SIGNING_SECRET = 'bench-bulk-signing-secret';
const BULK_ORGANISATION = 'bulk';
const REST_ORGANISATION = 'rest';
const IMPORT_ORGANISATION = 'imported';
const ADMIN = 'U0BENCHBULK';
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const value = Number(args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const users = option('--users', 1_000_000);
const bulkUsers = Math.min(users, option('--bulk', 100_000));
const importRows = option('--rows', 1_000_000);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : undefined;
const runs = (part: string) => only === undefined || only.includes(part);
/** More Node flags for the worker process, after those `npm start` gives it, e.g. --worker-flags "--max-old-space-size=256". */
const workerFlags = [
  ...(await npmStartFlags()),
  ...(args.includes('--worker-flags') ? args[args.indexOf('--worker-flags') + 1]! : '').split(' ').filter(Boolean),
];
const say = (message: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

await withClient('postgres', async (client) => {
  await client.query(`drop database if exists ${DATABASE} with (force)`);
  await client.query(`create database ${DATABASE}`);
});
const slack = await startFakeSlack({ botToken: BOT_TOKEN });
const env = {
  DATABASE_URL: databaseUrl(DATABASE),
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  REDIS_PREFIX: `roster-bench-bulk-${process.pid}`,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_API_URL: slack.url,
  LOG_LEVEL: 'warn',
};
const roster = await startRoster(configSchema.parse({ ...env, ROSTER_ROLE: 'web', PORT: '0' }), createLogger('silent'));
const services = roster.services;
const bare = new pg.Client({ connectionString: databaseUrl(DATABASE) });
await bare.connect();

/** A worker process as `ROSTER_ROLE=worker npm start` runs it (its Node flags too), on the bench's database, Redis prefix and fake Slack. */
async function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...workerFlags, 'src/main.ts'], {
    env: { ...process.env, ...env, ROSTER_ROLE: 'worker', PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  child.once('exit', (code, signal) => {
    if (!stopping.has(child)) say(`worker exited (${code ?? signal}):\n${output.slice(-4000)}`);
  });
  // The worker is ready once its workers listen; its first log line at warn level would be a problem.
  for (let waited = 0; !(await workersListening()); waited += 100) {
    if (waited > 60_000) throw new Error(`the worker did not start:\n${output}`);
    await sleep(100);
  }
  return child;
}

async function workersListening(): Promise<boolean> {
  return (await roster.queues.bulk.getWorkersCount()) > 0;
}

const stopping = new WeakSet<ChildProcess>();

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  stopping.add(child);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  for (let waited = 0; (await workersListening()) && waited < 10_000; waited += 100) await sleep(100);
}

/** A process's RSS now and its peak since it started (VmHWM), in MB. */
async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

/** Samples a process's RSS every 50 ms until stopped: the highest seen, in MB. */
function rssSampler(pid: number): { stop(): Promise<number> } {
  let highest = 0;
  const timer = setInterval(() => {
    memoryOf(pid).then(
      (m) => (highest = Math.max(highest, m.rss)),
      () => {},
    );
  }, 50);
  return {
    async stop() {
      clearInterval(timer);
      return Math.max(highest, (await memoryOf(pid)).rss);
    },
  };
}

/** Waits for a condition read from the database, every 50 ms. */
async function until(what: string, check: () => Promise<boolean>, timeoutSeconds = 3600): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const jobState = async (jobId: string) =>
  (await bare.query<{ state: string; finished: boolean }>(`select state, finished_at is not null as finished from bulk_job where id = $1`, [jobId])).rows[0];

/**
 * Times work from a checkpoint: each part, Roster's and the bare one, starts with no dirty pages left by the part
 * before it (after a million-row Apply, the COPY of the same rows took anything from 27 to 50 s).
 */
async function timed(work: () => Promise<unknown>): Promise<number> {
  await bare.query('checkpoint');
  const t0 = performance.now();
  await work();
  return (performance.now() - t0) / 1000;
}

/** A CSV of new accounts as an admin would bring it: Roster's template columns, names with accents. */
async function* generatedCsv(rows: number): AsyncGenerator<string> {
  yield 'email,first name,last name,username,role\n';
  let lines: string[] = [];
  for (let n = 1; n <= rows; n++) {
    lines.push(`import.${n}@example.test,Zoë,Person ${n},import.${n},${n % 10 === 0 ? 'manager' : 'user'}`);
    if (lines.length === 10_000 || n === rows) {
      yield `${lines.join('\n')}\n`;
      lines = [];
    }
  }
}

const organisationId = async (slug: string) => (await bare.query<{ id: string }>(`select id from organisation where slug = $1`, [slug])).rows[0]!.id;
const result: Record<string, unknown> = { users, bulkUsers, importRows, workerFlags, startedAt: new Date().toISOString() };
const summary: string[] = [];
let worker: ChildProcess | undefined;

try {
  await bare.query(
    `insert into organisation (id, slug, name, lockout_threshold, inactivity_days, deletion_policy, mfa_required, created_at, updated_at)
     select gen_random_uuid(), slug, slug, 10, 90, 'soft', false, now(), now() from unnest($1::text[]) slug`,
    [[BULK_ORGANISATION, REST_ORGANISATION, IMPORT_ORGANISATION]],
  );
  await bare.query(
    `insert into slack_grant (id, slack_user_id, role, organisation_id, granted_by, created_at) values (gen_random_uuid(), $1, 'owner', null, 'bench', now())`,
    [ADMIN],
  );
  const admin = await slackActor(roster.orm.em, ADMIN);

  if (runs('import')) {
    const file = join(tmpdir(), `roster-bench-bulk-${process.pid}.csv`);
    try {
      say(`writing ${importRows} rows to import`);
      await pipeline(Readable.from(generatedCsv(importRows)), createWriteStream(file));
      const bytes = await readFile(file);
      const shared = slack.shareFile({ name: 'accounts.csv', bytes, user: ADMIN });
      worker = await startWorker();
      const idle = await memoryOf(worker.pid!);
      say('import: dry run');
      const dryRunRss = rssSampler(worker.pid!);
      let jobId = '';
      const dryRunSeconds = await timed(async () => {
        jobId = (
          await runAction(services, startImport, admin, { fileId: shared.id, fileName: 'accounts.csv', organisation: IMPORT_ORGANISATION, channel: 'C0BENCH' })
        ).jobId;
        await until('the dry run', async () => (await jobState(jobId))?.state !== 'checking');
      });
      if ((await jobState(jobId))?.state !== 'previewed') throw new Error(`the dry run ended ${(await jobState(jobId))?.state}`);
      const dryRunRssMbPeak = await dryRunRss.stop();
      say('import: apply');
      const applyRss = rssSampler(worker.pid!);
      const applySeconds = await timed(async () => {
        await runAction(services, applyImport, admin, { jobId });
        await until('the apply', async () => (await jobState(jobId))!.finished);
      });
      const applyRssMbPeak = await applyRss.stop();
      const memory = await memoryOf(worker.pid!);
      await stopWorker(worker);
      const [{ created, audited }] = (
        await bare.query(
          `select (select count(*) from account where organisation_id = $1) as created,
             (select count(*) from audit_event where job_id = $2 and action = 'import') as audited`,
          [await organisationId(IMPORT_ORGANISATION), jobId],
        )
      ).rows;
      // A chunk that fails ends a job early, which would read as fast work.
      if (Number(created) !== importRows || Number(audited) !== importRows)
        throw new Error(`the import created ${created} accounts with ${audited} audit events of ${importRows} rows`);

      await bare.query(`create table bench_copy (like account including all)`);
      await bare.query(
        `alter table bench_copy alter column id set default gen_random_uuid(), alter column organisation_id set default '${await organisationId(IMPORT_ORGANISATION)}',
           alter column status set default 'STAGED', alter column status_changed_at set default now(), alter column auth_source set default 'local',
           alter column created_at set default now(), alter column updated_at set default now(), alter column version set default 1`,
      );
      say('import: bare COPY');
      const bareSeconds = await timed(() =>
        pipeline(
          Readable.from([bytes]),
          bare.query(copyFrom(`copy bench_copy (email, first_name, last_name, username, role) from stdin with (format csv, header true)`)),
        ),
      );
      await bare.query(`drop table bench_copy`);
      const seconds = dryRunSeconds + applySeconds;
      const rowsPerSecond = Math.round(importRows / seconds);
      const bareRowsPerSecond = Math.round(importRows / bareSeconds);
      const ratio = round(rowsPerSecond / bareRowsPerSecond, 2);
      result.import = {
        rows: importRows,
        fileMb: round((await stat(file)).size / 1024 / 1024, 1),
        created: Number(created),
        audited: Number(audited),
        dryRunSeconds: round(dryRunSeconds, 1),
        applySeconds: round(applySeconds, 1),
        seconds: round(seconds, 1),
        rowsPerSecond,
        bareCopySeconds: round(bareSeconds, 1),
        bareRowsPerSecond,
        ratio,
        workerRssMbIdle: idle.rss,
        workerRssMbPeak: memory.peak,
        dryRunRssMbPeak,
        applyRssMbPeak,
        target: "at least 0.5x of COPY's rows/s; the worker's peak RSS under 300 MB",
        met: ratio >= 0.5 && memory.peak < 300,
      };
      summary.push(
        `import ${importRows} rows ${rowsPerSecond}/s (dry run ${round(dryRunSeconds, 1)} s + apply ${round(applySeconds, 1)} s) vs COPY ${bareRowsPerSecond}/s = ${ratio}x, worker RSS ${idle.rss} -> peak ${memory.peak} MB`,
      );
      await bare.query(`delete from audit_event; delete from bulk_job`);
      await bare.query(`delete from account where organisation_id = $1`, [await organisationId(IMPORT_ORGANISATION)]);
    } finally {
      await rm(file, { force: true });
    }
  }

  if (runs('bulk') || runs('sweep') || runs('export')) {
    say(`seeding ${users} accounts (${bulkUsers} in ${BULK_ORGANISATION})`);
    await bare.query(
      `insert into account (id, organisation_id, username, email, first_name, last_name, status, status_changed_at, role, auth_source,
         mfa_enrolled, developer_mode, failed_sign_ins, last_sign_in_at, created_at, updated_at, version)
       select gen_random_uuid(), case when n <= $2 then b.id else r.id end, 'bench.' || n, 'bench.' || n || '@example.test', 'Bench', 'Person ' || n,
         'ACTIVE', now() - interval '400 days', 'user', 'local', false, false, 0, now() - interval '200 days', now() - interval '400 days', now(), 1
       from organisation b, organisation r, generate_series(1, $1::int) n where b.slug = $3 and r.slug = $4`,
      [users, bulkUsers, BULK_ORGANISATION, REST_ORGANISATION],
    );
    await bare.query('vacuum analyze account');
  }
  const reset = async (organisation?: string) => {
    const where = organisation ? `where organisation_id = '${await organisationId(organisation)}'` : '';
    await bare.query(
      // ACTIVE since they were added, as seeded, so the sweep finds every one of them stale again.
      `update account set status = 'ACTIVE', status_reason = null, status_changed_at = created_at, version = version + 1 ${where}; delete from audit_event; delete from bulk_job`,
    );
    await bare.query('vacuum analyze account');
  };

  if (runs('bulk')) {
    worker = await startWorker();
    say(`bulk deactivate of ${bulkUsers}`);
    let jobId = '';
    const bulkSeconds = await timed(async () => {
      jobId = (await runAction(services, startBulkJob, admin, { change: 'deactivate', filter: `org:${BULK_ORGANISATION}`, channel: 'C0BENCH' })).jobId;
      await until('the bulk job', async () => (await jobState(jobId))!.finished);
    });
    await stopWorker(worker);
    const [{ n: audited }] = (await bare.query(`select count(*) as n from audit_event where job_id = $1 and action = 'deactivate'`, [jobId])).rows;
    if (Number(audited) !== bulkUsers) throw new Error(`the bulk deactivate audited ${audited} of ${bulkUsers} accounts`);
    await reset(BULK_ORGANISATION);
    say('bulk deactivate: bare');
    const bulkOrganisationId = await organisationId(BULK_ORGANISATION);
    const bareSeconds = await timed(() =>
      bare.query(
        `with changed as (update account a set status = 'DEACTIVATED', status_changed_at = now(), status_reason = 'deactivated by an admin',
           updated_at = now(), version = a.version + 1 where a.organisation_id = $2 and a.status = 'ACTIVE'
           returning a.id, a.first_name, a.last_name, a.email, a.organisation_id)
         insert into audit_event (at, actor_type, actor_id, action, outcome, target_type, target_id, target_label, organisation_id, changes)
         select now(), 'slack', $1, 'deactivate', 'done', 'account', id::text, first_name || ' ' || last_name || ' <' || email || '>', organisation_id,
           '{"status":{"before":"ACTIVE","after":"DEACTIVATED"}}'::jsonb from changed`,
        [ADMIN, bulkOrganisationId],
      ),
    );
    await reset(BULK_ORGANISATION);
    const ratio = round(bulkSeconds / bareSeconds, 2);
    result.bulkDeactivate = {
      accounts: bulkUsers,
      seconds: round(bulkSeconds, 2),
      audited: Number(audited),
      bareSeconds: round(bareSeconds, 2),
      ratio,
      target: 'under 5 s for 100,000',
      met: bulkSeconds < (5 * bulkUsers) / 100_000,
    };
    summary.push(`deactivate ${bulkUsers} ${round(bulkSeconds, 2)} s vs bare ${round(bareSeconds, 2)} s = ${ratio}x`);
  }

  if (runs('sweep')) {
    say(`inactivity sweep over ${users}`);
    let suspended = 0;
    const sweepSeconds = await timed(async () => {
      suspended = (await sweepAllInactiveAccounts(services, systemActor('inactivity-sweep'), { dryRun: false })).suspended;
    });
    if (suspended !== users) throw new Error(`the sweep suspended ${suspended} of ${users} stale accounts`);
    await reset();
    say('inactivity sweep: bare');
    const bareSeconds = await timed(() =>
      bare.query(`update account a set status = 'SUSPENDED', status_changed_at = now(), status_reason = 'inactive', updated_at = now(), version = a.version + 1
        from organisation o where o.id = a.organisation_id and a.status = 'ACTIVE'
          and coalesce(a.last_sign_in_at, a.created_at) < now() - make_interval(days => o.inactivity_days)
          and a.status_changed_at < now() - make_interval(days => o.inactivity_days)`),
    );
    const ratio = round(sweepSeconds / bareSeconds, 2);
    result.sweep = {
      accounts: users,
      suspended,
      seconds: round(sweepSeconds, 2),
      bareSeconds: round(bareSeconds, 2),
      ratio,
      target: 'at most 1.5x the bare UPDATE',
      met: ratio <= 1.5,
    };
    summary.push(`sweep ${users} ${round(sweepSeconds, 2)} s vs bare ${round(bareSeconds, 2)} s = ${ratio}x`);
  }

  if (runs('export')) {
    // Every status but DEACTIVATED is exported by default: after the sweep's baseline every account is SUSPENDED.
    worker = await startWorker();
    const before = await memoryOf(worker.pid!);
    const sampler = rssSampler(worker.pid!);
    say(`export of ${users}`);
    const uploads = slack.uploads().length;
    const exportSeconds = await timed(async () => {
      await runAction(services, exportAccounts, admin, { filter: '', format: 'csv', channel: 'C0BENCH' });
      await until('the export', async () => slack.uploads().length > uploads);
    });
    const peak = await sampler.stop();
    await stopWorker(worker);
    const file = slack.uploads().at(-1)!;
    const rows = file.bytes.toString('utf8').split('\n').length - 2;
    slack.reset();
    say('export: bare COPY');
    const bareSeconds = await timed(() =>
      pipeline(
        bare.query(
          copyTo(`copy (select a.email, a.first_name, a.last_name, a.username, a.role, a.status, o.slug,
              (select json_agg(g.name order by g.name) from membership m join account_group g on g.id = m.group_id where m.account_id = a.id),
              a.last_sign_in_at, a.created_at, a.updated_at
            from account a join organisation o on o.id = a.organisation_id where a.status <> 'DEACTIVATED') to stdout with csv`),
        ),
        new Writable({ write: (_chunk, _encoding, done) => done() }),
      ),
    );
    const rowsPerSecond = Math.round(rows / exportSeconds);
    const bareRowsPerSecond = Math.round(users / bareSeconds);
    result.export = {
      rows,
      seconds: round(exportSeconds, 1),
      rowsPerSecond,
      bareCopySeconds: round(bareSeconds, 1),
      bareRowsPerSecond,
      ratio: round(rowsPerSecond / bareRowsPerSecond, 2),
      workerRssMbBefore: before.rss,
      workerRssMbPeak: peak,
      target: 'at least 100,000 rows/s, memory flat',
      met: rowsPerSecond >= 100_000,
    };
    summary.push(`export ${rows} ${rowsPerSecond}/s vs COPY ${bareRowsPerSecond}/s, worker RSS ${before.rss} -> peak ${peak} MB`);
  }
} finally {
  if (worker) await stopWorker(worker);
  // The queues' keys go with the run: nothing of it is left in Redis.
  await bare.end();
  await roster.stop();
  await removeRedisKeys(env.REDIS_URL, env.REDIS_PREFIX);
  await slack.close();
}
console.log(JSON.stringify(result, null, 2));
console.log(`bulk: ${summary.join('; ')}`);
