// npm run bench:bulk [-- --users N]: the work done on many accounts at once, each beside a bare baseline in the same
// run on the same rows, in a database of its own (roster_bench_bulk, made afresh: the bulk changes alter it).
// - bulk deactivate: every chunk of a /users bulk job (status machine, one audit event per account, item outcomes)
//   against one bare set-based UPDATE + INSERT of the audit rows;
// - inactivity sweep: sweepAllInactiveAccounts against one bare UPDATE of the same stale accounts;
// - export: the export job's pages written as formula-safe CSV against a bare COPY ... TO STDOUT of the same columns;
// - import: a generated CSV of --import-rows new accounts (default 1,000,000) through the import's dry run and its
//   Apply chunks, against a bare COPY ... FROM STDIN of the same file into a table shaped like account.
// --only <bulk|sweep|export|import> runs one of them.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { checkImportFile } from '../jobs/imports.ts';
import { writeAccountExport } from '../jobs/accountExport.ts';
import { exportedAccounts } from '../jobs/exports.ts';
import { runAction } from '../src/actions/action.ts';
import { slackActor, systemActor } from '../src/actions/actor.ts';
import { applyBulkChunk } from '../src/actions/accounts/bulk/applyBulkChunk.ts';
import { startBulkJob } from '../src/actions/accounts/bulk/startBulkJob.ts';
import { applyImport } from '../src/actions/accounts/import/applyImport.ts';
import { applyImportChunk } from '../src/actions/accounts/import/applyImportChunk.ts';
import { startImport } from '../src/actions/accounts/import/startImport.ts';
import { sweepAllInactiveAccounts } from '../src/actions/accounts/sweepInactiveAccounts.ts';
import { createOrm, migrate } from '../src/db/orm.ts';
import { createLogger } from '../src/logger.ts';
import { databaseUrl, round, withClient } from './support.ts';

const DATABASE = 'roster_bench_bulk';
const ORGANISATION = 'bulk';
const IMPORT_ORGANISATION = 'imported';
const ADMIN = 'U0BENCHBULK';
const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const users = Number(option('--users') || 100_000) || 100_000;
const importRows = Number(option('--import-rows') || 1_000_000) || 1_000_000;
const only = option('--only');
const runs = (section: string) => only === undefined || only === section;

const say = (message: string) => process.stderr.write(`${message}\n`);

await withClient('postgres', async (client) => {
  await client.query(`drop database if exists ${DATABASE}`);
  await client.query(`create database ${DATABASE}`);
});
const orm = await createOrm(databaseUrl(DATABASE), () => {});
await migrate(orm);
const bare = new pg.Client({ connectionString: databaseUrl(DATABASE) });
await bare.connect();
const services = { orm, logger: createLogger('silent') };
const rss = () => Math.round(process.memoryUsage().rss / 1024 / 1024);

/** Runs `work`, sampling this process's RSS every 50 ms: its seconds, the RSS before and the highest seen, in MB. */
async function measured<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; rssMbBefore: number; rssMbPeak: number }> {
  const rssMbBefore = rss();
  let rssMbPeak = rssMbBefore;
  const sampler = setInterval(() => (rssMbPeak = Math.max(rssMbPeak, rss())), 50);
  const t0 = performance.now();
  try {
    const value = await work();
    return { value, seconds: (performance.now() - t0) / 1000, rssMbBefore, rssMbPeak: Math.max(rssMbPeak, rss()) };
  } finally {
    clearInterval(sampler);
  }
}

const seconds = async (work: () => Promise<unknown>) => (await measured(work)).seconds;

/** A CSV of new accounts as an admin would bring it: Roster's columns, a name with an accent. */
async function* generatedCsv(rows: number): AsyncGenerator<string> {
  yield 'email,first name,last name,username,role\n';
  let lines: string[] = [];
  for (let n = 1; n <= rows; n++) {
    lines.push(`import.${n}@example.test,Zoë,Person ${n},import.${n},user`);
    if (lines.length === 10_000 || n === rows) {
      yield `${lines.join('\n')}\n`;
      lines = [];
    }
  }
}

const result: Record<string, unknown> = { users, importRows };
const summary: string[] = [];

try {
  await bare.query(
    `insert into organisation (id, slug, name, lockout_threshold, inactivity_days, deletion_policy, mfa_required, created_at, updated_at)
    values (gen_random_uuid(), $1, 'Bulk bench', 10, 90, 'soft', false, now(), now()), (gen_random_uuid(), $2, 'Import bench', 10, 90, 'soft', false, now(), now())`,
    [ORGANISATION, IMPORT_ORGANISATION],
  );
  await bare.query(
    `insert into slack_grant (id, slack_user_id, role, organisation_id, granted_by, created_at)
    values (gen_random_uuid(), $1, 'owner', null, 'bench', now())`,
    [ADMIN],
  );
  const admin = await slackActor(orm.em, ADMIN);

  // Import first, in a process that has done nothing else yet, so its RSS is the import's; its rows go afterwards.
  if (runs('import')) {
    const dir = await mkdtemp(join(tmpdir(), 'roster-bench-import-'));
    try {
      const file = join(dir, 'accounts.csv');
      say(`writing ${importRows} rows to import`);
      await pipeline(Readable.from(generatedCsv(importRows)), createWriteStream(file));
      const fileMb = round((await stat(file)).size / 1024 / 1024, 1);
      // The queues are not needed: the dry run and the chunks run here, one after another, as one worker runs them.
      const inline = { ...services, imports: { check: async () => {}, template: async () => {} }, bulkJobs: { start: async () => {} } };
      const started = await runAction(inline, startImport, admin, { fileId: 'F0BENCH', fileName: 'accounts.csv', organisation: IMPORT_ORGANISATION });
      say('importing: dry run');
      const check = await measured(() => checkImportFile(inline, admin, started.jobId, createReadStream(file), { maxRows: importRows }, async () => {}));
      say('importing: apply');
      const apply = await measured(async () => {
        await runAction(inline, applyImport, admin, { jobId: started.jobId });
        for (;;) if ((await runAction(inline, applyImportChunk, admin, { jobId: started.jobId })).finished) return;
      });
      const [{ created, audited }] = (
        await bare.query(
          `select (select count(*) from account a join organisation o on o.id = a.organisation_id where o.slug = $1) as created,
             (select count(*) from audit_event where job_id = $2 and action = 'import') as audited`,
          [IMPORT_ORGANISATION, started.jobId],
        )
      ).rows;

      await bare.query(`create table bench_copy (like account including all)`);
      const [{ id: organisationId }] = (await bare.query(`select id from organisation where slug = $1`, [IMPORT_ORGANISATION])).rows;
      await bare.query(
        `alter table bench_copy alter column id set default gen_random_uuid(), alter column organisation_id set default '${organisationId}',
           alter column status set default 'STAGED', alter column status_changed_at set default now(),
           alter column created_at set default now(), alter column updated_at set default now(), alter column version set default 1`,
      );
      const bareSeconds = await seconds(() =>
        pipeline(
          createReadStream(file),
          bare.query(copyFrom(`copy bench_copy (email, first_name, last_name, username, role) from stdin with (format csv, header true)`)),
        ),
      );
      const total = check.seconds + apply.seconds;
      const rowsPerSecond = Math.round(importRows / total);
      const bareRowsPerSecond = Math.round(importRows / bareSeconds);
      result.import = {
        rows: importRows,
        fileMb,
        created: Number(created),
        audited: Number(audited),
        dryRunSeconds: round(check.seconds, 1),
        applySeconds: round(apply.seconds, 1),
        rowsPerSecond,
        bareCopySeconds: round(bareSeconds, 1),
        bareRowsPerSecond,
        ratio: round(rowsPerSecond / bareRowsPerSecond, 3),
        rssMbBefore: check.rssMbBefore,
        rssMbPeak: Math.max(check.rssMbPeak, apply.rssMbPeak),
        target: "at least half of COPY's rows/s, peak RSS under 300 MB",
      };
      summary.push(
        `import ${importRows} rows: ${rowsPerSecond} rows/s (dry run ${round(check.seconds, 1)} s + apply ${round(apply.seconds, 1)} s; bare COPY ${bareRowsPerSecond} rows/s, ${round(rowsPerSecond / bareRowsPerSecond, 2)}x), RSS ${check.rssMbBefore} -> ${Math.max(check.rssMbPeak, apply.rssMbPeak)} MB`,
      );
      await bare.query(`drop table bench_copy`);
      await bare.query(`delete from audit_event`);
      await bare.query(`delete from bulk_job`);
      await bare.query(`delete from account where organisation_id = $1`, [organisationId]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  if (runs('bulk') || runs('sweep') || runs('export')) {
    say(`seeding ${users} accounts`);
    await bare.query(
      `insert into account (id, organisation_id, username, email, first_name, last_name, status, status_changed_at, role, auth_source,
         mfa_enrolled, developer_mode, failed_sign_ins, last_sign_in_at, created_at, updated_at, version)
       select gen_random_uuid(), o.id, 'bench.' || n, 'bench.' || n || '@example.test', 'Bench', 'Person ' || n, 'ACTIVE', now(), 'user', 'local',
         false, false, 0, now() - interval '200 days', now() - interval '400 days', now(), 1
       from organisation o, generate_series(1, $1::int) n where o.slug = $2`,
      [users, ORGANISATION],
    );
    await bare.query('analyze account');
  }
  const reset = () => bare.query(`update account set status = 'ACTIVE', status_reason = null, version = version + 1; delete from audit_event`);

  if (runs('bulk')) {
    // Bulk deactivate: the job's chunks, one after another, as one runner takes them.
    const started = await runAction(services, startBulkJob, admin, { change: 'deactivate', filter: `org:${ORGANISATION}` });
    const bulkSeconds = await seconds(async () => {
      for (;;) if ((await runAction(services, applyBulkChunk, admin, { jobId: started.jobId })).finished) return;
    });
    const [{ n: audited }] = (await bare.query(`select count(*) as n from audit_event where job_id = $1 and action = 'deactivate'`, [started.jobId])).rows;
    await reset();
    const bareBulkSeconds = await seconds(() =>
      bare.query(
        `with changed as (update account a set status = 'DEACTIVATED', status_changed_at = now(), status_reason = 'deactivated by an admin',
           updated_at = now(), version = a.version + 1 where a.status = 'ACTIVE' returning a.id, a.first_name, a.last_name, a.email, a.organisation_id)
         insert into audit_event (at, actor_type, actor_id, action, outcome, target_type, target_id, target_label, organisation_id, changes)
         select now(), 'slack', $1, 'deactivate', 'done', 'account', id::text, first_name || ' ' || last_name || ' <' || email || '>', organisation_id,
           '{"status":{"before":"ACTIVE","after":"DEACTIVATED"}}'::jsonb from changed`,
        [ADMIN],
      ),
    );
    await reset();
    result.bulkDeactivate = {
      seconds: round(bulkSeconds, 2),
      audited: Number(audited),
      bareSeconds: round(bareBulkSeconds, 2),
      ratio: round(bulkSeconds / bareBulkSeconds, 2),
      target: 'under 5 s for 100,000',
    };
    summary.push(`deactivate ${users} accounts ${round(bulkSeconds, 2)} s (bare ${round(bareBulkSeconds, 2)} s, ${round(bulkSeconds / bareBulkSeconds, 2)}x)`);
  }

  if (runs('sweep')) {
    // Inactivity sweep over the same (stale) accounts.
    let suspended = 0;
    const sweepSeconds = await seconds(async () => {
      suspended = (await sweepAllInactiveAccounts(services, systemActor('bench'), { dryRun: false })).suspended;
    });
    await reset();
    const bareSweepSeconds = await seconds(() =>
      bare.query(`update account a set status = 'SUSPENDED', status_changed_at = now(), version = a.version + 1
        from organisation o where o.id = a.organisation_id and a.status = 'ACTIVE'
          and coalesce(a.last_sign_in_at, a.created_at) < now() - make_interval(days => o.inactivity_days)`),
    );
    await reset();
    result.sweep = {
      seconds: round(sweepSeconds, 2),
      suspended,
      bareSeconds: round(bareSweepSeconds, 2),
      ratio: round(sweepSeconds / bareSweepSeconds, 2),
      target: 'at most 1.5x the bare UPDATE',
    };
    summary.push(`sweep ${round(sweepSeconds, 2)} s (bare ${round(bareSweepSeconds, 2)} s, ${round(sweepSeconds / bareSweepSeconds, 2)}x)`);
  }

  if (runs('export')) {
    // Export: the job's pages into a formula-safe CSV, and a bare COPY of the same columns.
    const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });
    const exported = await measured(() => writeAccountExport(exportedAccounts(services, admin, `org:${ORGANISATION}`), 'csv', sink()));
    const bareExportSeconds = await seconds(() =>
      pipeline(
        bare.query(
          copyTo(
            `copy (select email, first_name, last_name, username, role, status, last_sign_in_at, created_at, updated_at from account order by id) to stdout with csv`,
          ),
        ),
        sink(),
      ),
    );
    const rowsPerSecond = Math.round(exported.value / exported.seconds);
    result.export = {
      rows: exported.value,
      rowsPerSecond,
      bareRowsPerSecond: Math.round(users / bareExportSeconds),
      ratio: round(bareExportSeconds / exported.seconds, 2),
      rssMbBefore: exported.rssMbBefore,
      rssMbPeak: exported.rssMbPeak,
      target: 'at least 100,000 rows/s, memory flat',
    };
    summary.push(
      `export ${rowsPerSecond} rows/s (bare COPY ${Math.round(users / bareExportSeconds)} rows/s), RSS ${exported.rssMbBefore} -> ${exported.rssMbPeak} MB`,
    );
  }
} finally {
  await bare.end();
  await orm.close();
}
console.log(JSON.stringify(result, null, 2));
console.log(`bulk: ${summary.join('; ')}`);
