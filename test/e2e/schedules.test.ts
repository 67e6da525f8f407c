// Every process sets the recurring jobs as it starts. Two that start together race to add each schedule's next run,
// which BullMQ's PostgreSQL backend refuses the second time (in about one round in fifty here): the loser must start
// all the same, with one schedule.
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { scheduleApprovalsPass } from '../../jobs/approvalNotices.ts';
import { scheduleLockExpiryPass } from '../../jobs/lockExpiry.ts';
import { scheduleOutboxPass } from '../../jobs/outboxPass.ts';
import { postgresQueueBackend } from '../../jobs/queueBackend.ts';
import { createQueues, type Queues } from '../../jobs/queues.ts';
import { scheduleRecurringJobs } from '../../jobs/scheduler.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const logger = createLogger('silent');
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
});
afterAll(() => database?.drop());

/** What one starting process sets. */
const setSchedules = (queues: Queues, round: number) =>
  Promise.all([
    scheduleRecurringJobs(queues, `${round} 3 * * *`, 'Europe/London'),
    scheduleLockExpiryPass(queues, 60_000 + round),
    scheduleApprovalsPass(queues, 60_000 + round),
    scheduleOutboxPass(queues, 30_000 + round),
  ]);

/** Two processes' queues on this database, as two starting processes have them; closed after `work`. */
async function twoProcesses(work: (one: Queues, two: Queues) => Promise<void>): Promise<void> {
  const backends = await Promise.all([1, 2].map(() => postgresQueueBackend(database.url, logger)));
  const [one, two] = backends.map((backend) => createQueues(backend, logger)) as [Queues, Queues];
  try {
    await work(one, two);
  } finally {
    await Promise.all([one.close(), two.close()]);
    await Promise.all(backends.map((backend) => backend.close()));
  }
}

it('lets two processes on PostgreSQL queues set the schedules at the same moment, sixty times: both start, each schedule once', async () => {
  for (let round = 0; round < 60; round++) {
    await twoProcesses(async (one, two) => {
      await one.maintenance.removeJobScheduler('nightly-inactivity-sweep');
      const started = await Promise.allSettled([setSchedules(one, round), setSchedules(two, round)]);
      expect(started.map((result) => (result.status === 'rejected' ? String(result.reason) : 'started'))).toEqual(['started', 'started']);
    });
  }
  await twoProcesses(async (one) => {
    expect((await one.maintenance.getJobSchedulers()).map((s) => s.key).sort()).toEqual(['approvals-pass', 'lock-expiry-pass', 'nightly-inactivity-sweep']);
    expect(await one.maintenance.getJobScheduler('nightly-inactivity-sweep')).toMatchObject({ pattern: '59 3 * * *', tz: 'Europe/London' });
    expect((await one.mail.getJobSchedulers()).map((s) => s.key)).toEqual(['outbox-pass']);
  });
});
