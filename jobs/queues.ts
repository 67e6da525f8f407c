import { Queue, type ConnectionOptions } from 'bullmq';
import type { Logger } from 'pino';

/** Scheduled housekeeping: the nightly inactivity sweep, the end of timed locks (later: purges). */
export const MAINTENANCE_QUEUE = 'maintenance';
/** Messages to Slack sent from jobs, so a rate limit waits in the queue instead of inside another job. */
export const SLACK_NOTIFY_QUEUE = 'slack-notify';

export const INACTIVITY_SWEEP_JOB = 'inactivity-sweep';
export const LOCK_EXPIRY_JOB = 'lock-expiry';
export const INACTIVITY_SWEEP_SCHEDULER = 'nightly-inactivity-sweep';

export interface InactivitySweepData {
  dryRun?: boolean;
}

export interface LockExpiryData {
  accountId: string;
}

export type MaintenanceData = InactivitySweepData | LockExpiryData;

export interface SlackNotification {
  channel: string;
  text: string;
  blocks?: Record<string, unknown>[];
}

export interface Queues {
  maintenance: Queue<MaintenanceData>;
  slackNotify: Queue<SlackNotification>;
  close(): Promise<void>;
}

export function createQueues(connection: ConnectionOptions, prefix: string, logger: Logger): Queues {
  const defaultJobOptions = { removeOnComplete: { age: 7 * 24 * 3600, count: 1000 }, removeOnFail: { age: 30 * 24 * 3600 } };
  const maintenance = new Queue<MaintenanceData>(MAINTENANCE_QUEUE, { connection, prefix, defaultJobOptions });
  const slackNotify = new Queue<SlackNotification>(SLACK_NOTIFY_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: { ...defaultJobOptions, attempts: 8, backoff: { type: 'exponential', delay: 2000 } },
  });
  for (const queue of [maintenance, slackNotify]) {
    queue.on('error', (error) => logger.warn({ queue: queue.name, err: error }, 'queue connection error; retrying'));
  }
  return {
    maintenance,
    slackNotify,
    async close() {
      await Promise.all([maintenance.close(), slackNotify.close()]);
    },
  };
}
