// Bulk jobs and imports run by real worker processes: a worker killed with SIGKILL half-way through a 100,000-account
// job or an import's Apply, and two sharing one job, on each queue backend. The app in this test file is a web process
// only, so every chunk is done by the spawned workers.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../../src/actions/action.ts';
import { slackActor, systemActor } from '../../src/actions/actor.ts';
import { cancelBulkJob } from '../../src/actions/accounts/bulk/cancelBulkJob.ts';
import { finishBulkJob } from '../../src/actions/accounts/bulk/finishBulkJob.ts';
import { startBulkJob } from '../../src/actions/accounts/bulk/startBulkJob.ts';
import { applyImport } from '../../src/actions/accounts/import/applyImport.ts';
import { startImport } from '../../src/actions/accounts/import/startImport.ts';
import { BOT_TOKEN, queueBackends, queueEnv, SIGNING_SECRET, startTestRoster, type TestRoster } from '../support/testRoster.ts';

const ADMIN = 'U0BULKWRK1';
let t: TestRoster;
const workers: ChildProcess[] = [];

/** A worker process as `ROSTER_ROLE=worker npm start` runs it, on this test's database, queue backend and fake Slack. */
function startWorker(): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['src/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: t.config.DATABASE_URL,
      REDIS_URL: t.config.REDIS_URL ?? '',
      REDIS_PREFIX: t.config.REDIS_PREFIX,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: t.config.SLACK_API_URL,
      ROSTER_ROLE: 'worker',
      LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  workers.push(child);
  return { child, output: () => output };
}

async function seedActive(organisationSlug: string, count: number, tag: string): Promise<void> {
  await t.roster.orm.em.fork().execute(
    `insert into account (id, organisation_id, username, email, first_name, last_name, status, status_changed_at, role, auth_source,
       mfa_enrolled, developer_mode, failed_sign_ins, last_sign_in_at, created_at, updated_at, version)
     select gen_random_uuid(), o.id, ? || n, ? || n || '@example.test', 'Worker', 'Person ' || n, 'ACTIVE', now(), 'user', 'local', false, false, 0,
       now(), now(), now(), 1
     from organisation o, generate_series(1, ?) n where o.slug = ?`,
    [`${tag}.`, `${tag}.`, count, organisationSlug],
  );
}

async function counts(jobId: string): Promise<{ done: number; pending: number; audited: number; distinct: number; suspended: number }> {
  const [row] = await t.roster.orm.em.fork().execute<Record<string, string>[]>(
    `select (select count(*) from bulk_job_item where job_id = ? and state = 'done') as done,
            (select count(*) from bulk_job_item where job_id = ? and state = 'pending') as pending,
            (select count(*) from audit_event where job_id = ? and action = 'lock') as audited,
            (select count(distinct target_id) from audit_event where job_id = ? and action = 'lock') as distinct,
            (select count(*) from account a join bulk_job_item i on i.account_id = a.id where i.job_id = ? and a.status = 'SUSPENDED') as suspended`,
    [jobId, jobId, jobId, jobId, jobId],
  );
  return Object.fromEntries(Object.entries(row!).map(([key, value]) => [key, Number(value)])) as never;
}

async function start(organisationSlug: string): Promise<string> {
  await t.given.grant(`${ADMIN}${organisationSlug.length}`, 'admin', organisationSlug);
  const actor = await slackActor(t.roster.orm.em, `${ADMIN}${organisationSlug.length}`);
  const services = { orm: t.roster.orm, logger: t.logger, bulkJobs: t.roster.services.bulkJobs };
  return (await runAction(services, startBulkJob, actor, { change: 'lock', filter: 'status:active', channel: `C0${organisationSlug}` })).jobId;
}

// The same on both queue backends: Redis, and BullMQ's PostgreSQL backend (a killed worker's job is found stalled in either).
describe.each(queueBackends())('on %s queues', (queue) => {
  beforeAll(async () => {
    t = await startTestRoster({ ...queueEnv(queue), ROSTER_ROLE: 'web' });
  });
  afterAll(async () => {
    for (const child of workers) child.kill('SIGKILL');
    await t?.stop();
  });

  describe('bulk jobs in worker processes', () => {
    it('close a cancelled job exactly once when its runners all finish it at the same moment', async () => {
      await t.given.organisation('bulk-finish');
      await seedActive('bulk-finish', 20_000, 'finishing');
      for (const child of workers.splice(0)) child.kill('SIGKILL');
      const jobId = await start('bulk-finish');
      const admin = await slackActor(t.roster.orm.em, `${ADMIN}${'bulk-finish'.length}`);
      await runAction(t.roster.services, cancelBulkJob, admin, { jobId });
      const finishers = await Promise.all(Array.from({ length: 8 }, () => runAction(t.roster.services, finishBulkJob, systemActor('bulk'), { jobId })));
      const summaries = finishers.filter((summary) => summary !== null);
      expect(summaries).toHaveLength(1);
      expect(summaries[0]).toMatchObject({ state: 'cancelled' });
    });

    it('finish a 100,000-account job after its worker is killed half-way: every account changed and audited exactly once', async () => {
      await t.given.organisation('bulk-kill');
      await seedActive('bulk-kill', 100_000, 'killed');
      const first = startWorker();
      const jobId = await start('bulk-kill');
      await expect.poll(async () => (await counts(jobId)).done, { timeout: 60_000, interval: 100 }).toBeGreaterThan(10_000);
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));
      const atKill = await counts(jobId);
      expect(atKill.pending).toBeGreaterThan(0);

      startWorker();
      await t.slack.waitFor('chat.update', (c) => c.args.channel === 'C0bulk-kill' && String(c.args.text).startsWith('Finished'), 120_000);
      expect(await counts(jobId)).toEqual({ done: 100_000, pending: 0, audited: 100_000, distinct: 100_000, suspended: 100_000 });
    }, 240_000);

    it('finish an import whose worker is killed in the middle of its Apply: every row applied once, with one audit event', async () => {
      const rows = 20_000;
      const organisation = await t.given.organisation('import-kill');
      const admin = `${ADMIN}IMP`;
      await t.given.grant(admin, 'admin', 'import-kill');
      const lines = Array.from({ length: rows }, (_, i) => `killed.import.${i + 1}@example.test,Zoë,Person ${i + 1}`);
      const file = t.slack.shareFile({ name: 'many.csv', bytes: `email,first name,last name\n${lines.join('\n')}\n`, user: admin });
      for (const child of workers.splice(0)) child.kill('SIGKILL');
      const first = startWorker();
      const actor = await slackActor(t.roster.orm.em, admin);
      const { jobId } = await runAction(t.roster.services, startImport, actor, { fileId: file.id, fileName: 'many.csv', channel: 'C0import-kill' });
      const imported = async () => {
        const [row] = await t.roster.orm.em.fork().execute<Record<string, string>[]>(
          `select (select state from bulk_job where id = ?) as state,
             (select created from bulk_job where id = ?) as created,
             (select count(*) from bulk_job_item where job_id = ? and state = 'pending') as pending,
             (select count(*) from account where organisation_id = ?) as accounts,
             (select count(*) from audit_event where job_id = ? and action = 'import') as audited,
             (select count(distinct target_id) from audit_event where job_id = ? and action = 'import') as distinct`,
          [jobId, jobId, jobId, organisation.id, jobId, jobId],
        );
        const { state, ...counts } = row!;
        return { state, ...Object.fromEntries(Object.entries(counts).map(([key, value]) => [key, Number(value)])) } as Record<string, number> & {
          state: string;
        };
      };
      await expect.poll(async () => (await imported()).state, { timeout: 60_000, interval: 100 }).toBe('previewed');
      await runAction(t.roster.services, applyImport, actor, { jobId });
      await expect.poll(async () => (await imported()).created, { timeout: 60_000, interval: 50 }).toBeGreaterThan(1_000);
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));
      expect((await imported()).pending).toBeGreaterThan(0);

      startWorker();
      await t.slack.waitFor('chat.update', (c) => c.args.channel === 'C0import-kill' && String(c.args.text).startsWith('Imported '), 120_000);
      expect(await imported()).toEqual({ state: 'done', created: rows, pending: 0, accounts: rows, audited: rows, distinct: rows });
    }, 240_000);

    it('share one job between two worker processes, each doing part of it', async () => {
      await t.given.organisation('bulk-two');
      await seedActive('bulk-two', 30_000, 'shared');
      for (const child of workers.splice(0)) child.kill('SIGKILL');
      const [one, two] = [startWorker(), startWorker()];
      await expect.poll(() => one.output() + two.output(), { timeout: 30_000 }).toMatch(/Roster started[\s\S]*Roster started/);
      const jobId = await start('bulk-two');
      await t.slack.waitFor('chat.update', (c) => c.args.channel === 'C0bulk-two' && String(c.args.text).startsWith('Finished'), 120_000);
      expect(await counts(jobId)).toMatchObject({ done: 30_000, audited: 30_000, distinct: 30_000 });
      const chunksBy = (output: string) => output.split('\n').filter((line) => line.includes('bulk chunk applied') && line.includes(jobId)).length;
      expect(chunksBy(one.output())).toBeGreaterThan(0);
      expect(chunksBy(two.output())).toBeGreaterThan(0);
    }, 240_000);
  });
});
