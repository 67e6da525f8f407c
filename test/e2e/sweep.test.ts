// The nightly inactivity sweep, run as production runs it: a job on the BullMQ maintenance queue, processed by the
// app's own worker against real PostgreSQL and Redis, reporting to Slack through the slack-notify queue.
// Each describe block starts its own Roster (own database, own Redis prefix, own fake Slack), because the sweep
// touches every organisation in its database.
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepResult } from '../../src/actions/accounts/sweepInactiveAccounts.ts';
import {
  INACTIVITY_SWEEP_JOB,
  INACTIVITY_SWEEP_SCHEDULER,
  LOCK_EXPIRY_PASS_SCHEDULER,
  APPROVALS_PASS_SCHEDULER,
  type InactivitySweepData,
} from '../../jobs/queues.ts';
import type { RecordedCall } from '../support/fakeSlack.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

/** Each once on the maintenance queue, however many processes set them: the nightly sweep and the lock-expiry pass. */
const MAINTENANCE_SCHEDULERS = [INACTIVITY_SWEEP_SCHEDULER, LOCK_EXPIRY_PASS_SCHEDULER, APPROVALS_PASS_SCHEDULER].sort();

const REPORTS_CHANNEL = 'C0REPORTS';
/** Only on 29 February, so that the real schedule never fires in the middle of a test run. */
const SWEEP_CRON = '17 4 29 2 *';
const SWEEP_TIMEZONE = 'Europe/London';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function startSweepRoster(): Promise<TestRoster> {
  return startTestRoster({ ROSTER_REPORTS_CHANNEL: REPORTS_CHANNEL, ROSTER_SWEEP_CRON: SWEEP_CRON, ROSTER_TIMEZONE: SWEEP_TIMEZONE });
}

type GivenAccount = Awaited<ReturnType<TestRoster['given']['account']>>;

/**
 * An organisation that suspends after 30 days without a sign-in, with accounts on both sides of that line, accounts
 * the sweep must never touch whatever their last sign-in, and one in the default organisation (90 days).
 */
async function givenInactivityScenario(t: TestRoster) {
  await t.given.organisation('sweep-org', { inactivityDays: 30 });
  const inSweepOrg = (firstName: string, fields: Parameters<TestRoster['given']['account']>[0]) =>
    t.given.account({ organisationSlug: 'sweep-org', firstName, lastName: 'Sweep', ...fields });
  const veryLongAgo = ago(400 * DAY);
  const swept = {
    justOver: await inSweepOrg('JustOver', { lastSignInAt: ago(30 * DAY + HOUR) }),
    neverSignedInOld: await inSweepOrg('NeverOld', { lastSignInAt: null, createdAt: ago(31 * DAY) }),
  };
  const kept = {
    justUnder: await inSweepOrg('JustUnder', { lastSignInAt: ago(30 * DAY - HOUR) }),
    neverSignedInRecent: await inSweepOrg('NeverRecent', { lastSignInAt: null, createdAt: ago(29 * DAY) }),
    // Suspended for inactivity, then unlocked two days ago: a whole period to sign in again.
    unlockedRecently: await inSweepOrg('Unlocked', { lastSignInAt: ago(60 * DAY), statusChangedAt: ago(2 * DAY) }),
    lockedOut: await inSweepOrg('Locked', { status: 'LOCKED_OUT', lastSignInAt: veryLongAgo }),
    deactivated: await inSweepOrg('Deactivated', { status: 'DEACTIVATED', lastSignInAt: veryLongAgo }),
    invited: await inSweepOrg('Invited', { status: 'INVITED', lastSignInAt: veryLongAgo }),
    suspended: await inSweepOrg('Suspended', { status: 'SUSPENDED', lastSignInAt: veryLongAgo }),
    defaultOrgAt60Days: await t.given.account({ firstName: 'Default', lastName: 'Sixty', lastSignInAt: ago(60 * DAY) }),
  };
  return { swept, kept };
}

interface AccountRow {
  id: string;
  status: string;
  status_reason: string | null;
  /** Timestamps as PostgreSQL prints them: compared exactly, not parsed. */
  status_changed_at: string;
  updated_at: string;
  version: number;
}

/** Every account as the database holds it, by id. */
async function accountRows(t: TestRoster): Promise<Map<string, AccountRow>> {
  const rows = await t.roster.orm.em
    .getConnection()
    .execute<AccountRow[]>('select id, status, status_reason, status_changed_at, updated_at, version from account order by id');
  return new Map(rows.map((row) => [row.id, row]));
}

function rowOf(rows: Map<string, AccountRow>, account: GivenAccount): AccountRow {
  const row = rows.get(account.id);
  if (!row) throw new Error(`no account row for ${account.firstName} ${account.lastName}`);
  return row;
}

/** Waits until the job has completed and returns its return value; a failed job fails the test with its reason. */
async function finished<T>(queue: Queue, jobId: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await queue.getJob(jobId);
    const state = job ? await job.getState() : 'missing';
    if (state === 'completed') return job!.returnvalue as T;
    if (state === 'failed') throw new Error(`job ${queue.name}/${jobId} failed: ${job!.failedReason}`);
    if (Date.now() > deadline) throw new Error(`job ${queue.name}/${jobId} is still ${state} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Queues an inactivity sweep as the schedule does and waits for the worker to finish it. */
async function runSweepJob(t: TestRoster, data: InactivitySweepData = {}): Promise<{ jobId: string; result: SweepResult }> {
  const job = await t.roster.queues.maintenance.add(INACTIVITY_SWEEP_JOB, data);
  const result = await finished<SweepResult>(t.roster.queues.maintenance, job.id!);
  return { jobId: job.id!, result };
}

/** Waits for the sweep job's report to be delivered, then returns every report Slack accepted in the reports channel. */
async function deliveredReports(t: TestRoster, sweepJobId: string): Promise<RecordedCall[]> {
  await finished(t.roster.queues.slackNotify, `sweep-report-${sweepJobId}`);
  return reportsInChannel(t);
}

function reportsInChannel(t: TestRoster): RecordedCall[] {
  return t.slack.calls('chat.postMessage').filter((call) => call.args.channel === REPORTS_CHANNEL && !call.failed);
}

describe('the inactivity sweep job', () => {
  let t: TestRoster;
  let scenario: Awaited<ReturnType<typeof givenInactivityScenario>>;
  let before: Map<string, AccountRow>;
  let firstRun: { jobId: string; result: SweepResult };

  beforeAll(async () => {
    t = await startSweepRoster();
    scenario = await givenInactivityScenario(t);
    before = await accountRows(t);
    firstRun = await runSweepJob(t);
  });

  afterAll(() => t?.stop());

  it("suspends ACTIVE accounts past their organisation's inactivity period, saying why", async () => {
    const after = await accountRows(t);
    for (const account of Object.values(scenario.swept)) {
      const row = rowOf(after, account);
      expect(row.status, `${account.firstName} ${account.lastName}`).toBe('SUSPENDED');
      expect(row.status_reason).toMatch(/30 days/);
      expect(row.version).toBe(rowOf(before, account).version + 1);
      expect(new Date(row.status_changed_at).getTime()).toBeGreaterThan(new Date(rowOf(before, account).status_changed_at).getTime());
    }
    expect(firstRun.result).toMatchObject({ dryRun: false, suspended: 2, byOrganisation: [{ slug: 'sweep-org', inactivityDays: 30, count: 2 }] });
  });

  it("leaves alone accounts within their period, accounts in any other status, and other organisations' accounts", async () => {
    const after = await accountRows(t);
    for (const account of Object.values(scenario.kept)) {
      expect(rowOf(after, account), `${account.firstName} ${account.lastName}`).toEqual(rowOf(before, account));
    }
    expect(rowOf(after, scenario.kept.justUnder).status).toBe('ACTIVE');
    expect(rowOf(after, scenario.kept.neverSignedInRecent).status).toBe('ACTIVE');
    expect(rowOf(after, scenario.kept.unlockedRecently).status).toBe('ACTIVE');
    expect(rowOf(after, scenario.kept.defaultOrgAt60Days).status).toBe('ACTIVE');
    expect(rowOf(after, scenario.kept.suspended).status_reason).toBeNull();
  });

  it('writes exactly one audit event per suspended account, naming the job, and none for the others', async () => {
    const audit = await t.given.audit();
    const sweepEvents = audit.filter((event) => event.action === 'inactivity-suspend');
    expect(sweepEvents.map((event) => event.targetId).sort()).toEqual(
      Object.values(scenario.swept)
        .map((account) => account.id)
        .sort(),
    );
    for (const event of sweepEvents) {
      expect(event).toMatchObject({
        outcome: 'done',
        actorType: 'system',
        actorId: 'inactivity-sweep',
        targetType: 'account',
        changes: { status: { before: 'ACTIVE', after: 'SUSPENDED' } },
        reason: 'no sign-in for 30 days',
        jobId: firstRun.jobId,
      });
    }
    const justOverEvent = audit.find((event) => event.targetId === scenario.swept.justOver.id)!;
    expect(justOverEvent.targetLabel).toContain(scenario.swept.justOver.email);
    const keptIds = new Set(Object.values(scenario.kept).map((account) => account.id));
    expect(audit.filter((event) => keptIds.has(event.targetId ?? ''))).toEqual([]);
  });

  it('reports once to the reports channel how many accounts it suspended, in which organisation', async () => {
    const reports = await deliveredReports(t, firstRun.jobId);
    expect(reports).toHaveLength(1);
    const text = String(reports[0]!.args.text);
    expect(text).toMatch(/suspended 2 accounts/);
    expect(text).toContain('sweep-org');
    expect(text).not.toContain('default');
  });

  it('changes nothing and audits nothing when it runs again', async () => {
    const rowsBefore = await accountRows(t);
    const auditBefore = await t.given.audit();

    const secondRun = await runSweepJob(t);

    expect(secondRun.result).toMatchObject({ dryRun: false, suspended: 0, byOrganisation: [] });
    expect(await accountRows(t)).toEqual(rowsBefore);
    expect(await t.given.audit()).toEqual(auditBefore);
    const reports = await deliveredReports(t, secondRun.jobId);
    expect(reports.at(-1)!.args.text).toMatch(/no account needed suspending/);
  });
});

describe('a dry run of the inactivity sweep', () => {
  let t: TestRoster;

  beforeAll(async () => {
    t = await startSweepRoster();
  });

  afterAll(() => t?.stop());

  it('reports who it would suspend, but changes and audits nothing', async () => {
    await givenInactivityScenario(t);
    const rowsBefore = await accountRows(t);
    const auditBefore = await t.given.audit();

    const run = await runSweepJob(t, { dryRun: true });

    expect(run.result).toMatchObject({ dryRun: true, suspended: 2, byOrganisation: [{ slug: 'sweep-org', count: 2 }] });
    const reports = await deliveredReports(t, run.jobId);
    expect(reports).toHaveLength(1);
    const text = String(reports[0]!.args.text);
    expect(text).toMatch(/dry run/);
    expect(text).toMatch(/would suspend 2 accounts/);
    expect(text).toContain('sweep-org');
    expect(await accountRows(t)).toEqual(rowsBefore);
    expect(await t.given.audit()).toEqual(auditBefore);
  });
});

describe('the nightly schedule', () => {
  let t: TestRoster;

  beforeAll(async () => {
    t = await startSweepRoster();
  });

  afterAll(() => t?.stop());

  it('is registered at start with the configured cron pattern and time zone', async () => {
    const schedulers = await t.roster.queues.maintenance.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual(MAINTENANCE_SCHEDULERS);
    const sweep = schedulers.find((s) => s.key === INACTIVITY_SWEEP_SCHEDULER);
    expect(sweep).toMatchObject({ key: INACTIVITY_SWEEP_SCHEDULER, name: INACTIVITY_SWEEP_JOB, pattern: SWEEP_CRON, tz: SWEEP_TIMEZONE });
    expect(sweep!.next).toBeGreaterThan(Date.now());
  });

  it('queues a sweep that, once due, suspends, audits under its job id and reports like any other run', async () => {
    await t.given.organisation('nightly-org', { inactivityDays: 30 });
    const stale = await t.given.account({ organisationSlug: 'nightly-org', lastSignInAt: ago(45 * DAY) });
    const scheduler = await t.roster.queues.maintenance.getJobScheduler(INACTIVITY_SWEEP_SCHEDULER);
    const jobId = `repeat:${INACTIVITY_SWEEP_SCHEDULER}:${scheduler!.next}`;
    const scheduled = await t.roster.queues.maintenance.getJob(jobId);
    expect(scheduled, 'the scheduler keeps its next run as a delayed job').toBeDefined();
    expect(await scheduled!.getState()).toBe('delayed');

    await scheduled!.promote(); // as if 04:17 on 29 February had come
    const result = await finished<SweepResult>(t.roster.queues.maintenance, jobId);

    expect(result.suspended).toBe(1);
    expect((await accountRows(t)).get(stale.id)?.status).toBe('SUSPENDED');
    expect(await t.given.audit({ action: 'inactivity-suspend' })).toMatchObject([{ targetId: stale.id, jobId }]);
    const reports = await deliveredReports(t, jobId);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.args.text).toMatch(/suspended 1 account\b[\s\S]*nightly-org/);
  });
});

/** Posts one report into a Slack that answers the first chat.postMessage with 429 Retry-After: 1, and checks it waits. */
async function expectReportToWaitOutRateLimit(t: TestRoster, organisationSlug: string) {
  await t.given.organisation(organisationSlug, { inactivityDays: 30 });
  await t.given.account({ organisationSlug, lastSignInAt: ago(31 * DAY) });
  t.slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });

  const run = await runSweepJob(t);
  const reports = await deliveredReports(t, run.jobId);

  const refused = t.slack.calls('chat.postMessage').filter((call) => call.failed);
  expect(refused).toHaveLength(1);
  expect(refused[0]!.error).toBe('ratelimited');
  expect(reports).toHaveLength(1);
  expect(reports[0]!.args.text).toMatch(new RegExp(`suspended 1 account\\b[^]*${organisationSlug}`));
  const waitedMs = reports[0]!.at - refused[0]!.at;
  expect(waitedMs, 'the retry honours Retry-After: 1 (ms between the 429 and the retry)').toBeGreaterThanOrEqual(950);

  await sleep(500);
  expect(reportsInChannel(t)).toHaveLength(1);
}

describe('a rate-limited report', () => {
  let t: TestRoster;

  beforeAll(async () => {
    t = await startSweepRoster();
  });

  afterAll(() => t?.stop());

  it("waits for Slack's Retry-After and then arrives exactly once", async () => {
    await expectReportToWaitOutRateLimit(t, 'busy-org');
    const failedAttempts = t.logs.filter((line) => line.msg === 'job failed');
    expect(failedAttempts, 'a rate limit is a wait, not a failed attempt').toEqual([]);
  });
});

describe('two processes on the same Redis (README: run more copies of the worker to scale)', () => {
  let t: TestRoster;
  let secondWorker: TestRoster;

  beforeAll(async () => {
    t = await startSweepRoster();
    // A ROSTER_ROLE=worker process sharing the first one's database, Redis prefix and (fake) Slack.
    secondWorker = await startTestRoster({
      ROSTER_ROLE: 'worker',
      DATABASE_URL: t.config.DATABASE_URL,
      REDIS_PREFIX: t.config.REDIS_PREFIX,
      SLACK_API_URL: t.slack.url,
      ROSTER_REPORTS_CHANNEL: REPORTS_CHANNEL,
      ROSTER_SWEEP_CRON: SWEEP_CRON,
      ROSTER_TIMEZONE: SWEEP_TIMEZONE,
    });
  });

  afterAll(async () => {
    await secondWorker?.stop();
    await t?.stop();
  });

  it('keep one nightly schedule between them', async () => {
    const schedulers = await t.roster.queues.maintenance.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual(MAINTENANCE_SCHEDULERS);
    expect(schedulers.find((s) => s.key === INACTIVITY_SWEEP_SCHEDULER)).toMatchObject({ pattern: SWEEP_CRON });
  });

  it('both wait out a 429 from Slack: the retried report arrives after Retry-After, exactly once', async () => {
    await expectReportToWaitOutRateLimit(t, 'scaled-org');
  });
});

describe('a sweep larger than one batch', () => {
  let t: TestRoster;
  beforeAll(async () => {
    t = await startSweepRoster();
  });
  afterAll(() => t?.stop());

  it('suspends every stale account over several transactions, each with its audit event', async () => {
    const { sweepAllInactiveAccounts } = await import('../../src/actions/accounts/sweepInactiveAccounts.ts');
    const { systemActor } = await import('../../src/actions/actor.ts');
    await t.given.organisation('batch-org', { inactivityDays: 10 });
    const stale = [];
    for (let i = 0; i < 7; i++) stale.push(await t.given.account({ organisationSlug: 'batch-org', firstName: `Stale${i}`, lastSignInAt: ago(11 * DAY) }));
    const fresh = await t.given.account({ organisationSlug: 'batch-org', firstName: 'Fresh', lastSignInAt: ago(DAY) });

    const services = { orm: t.roster.orm, logger: t.logger };
    const result = await sweepAllInactiveAccounts(services, systemActor('test'), { dryRun: false, batchSize: 3 });
    expect(result).toMatchObject({ suspended: 7, byOrganisation: [{ slug: 'batch-org', count: 7 }] });
    for (const account of stale) expect(await t.given.audit({ targetId: account.id })).toMatchObject([{ action: 'inactivity-suspend' }]);
    expect(await t.given.audit({ targetId: fresh.id })).toEqual([]);
  });

  it('reports what a job suspended even when it is run again after a crash', async () => {
    const { sweepAllInactiveAccounts } = await import('../../src/actions/accounts/sweepInactiveAccounts.ts');
    const { systemActor } = await import('../../src/actions/actor.ts');
    await t.given.organisation('crash-org', { inactivityDays: 10 });
    for (let i = 0; i < 2; i++) await t.given.account({ organisationSlug: 'crash-org', firstName: `Crash${i}`, lastSignInAt: ago(11 * DAY) });
    // The first run committed its batch and died before reporting; BullMQ then runs the same job again.
    const jobId = 'sweep-that-crashed';
    await sweepAllInactiveAccounts({ orm: t.roster.orm, logger: t.logger }, systemActor('inactivity-sweep'), { dryRun: false, jobId });
    await t.roster.queues.maintenance.add(INACTIVITY_SWEEP_JOB, {}, { jobId });
    const result = await finished<SweepResult>(t.roster.queues.maintenance, jobId);
    expect(result).toMatchObject({ suspended: 2, byOrganisation: [{ slug: 'crash-org', count: 2 }] });
    const [report] = await deliveredReports(t, jobId);
    expect(report!.args.text).toContain('suspended 2 accounts');
    expect(report!.args.text).toContain('crash-org');
  });
});
