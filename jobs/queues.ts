import type { KnownBlock } from '@slack/types';
import type { ExportRequest, TemplateRequest } from '../src/actions/action.ts';
import type { Job, Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { QueueBackend } from './queueBackend.ts';

/** Scheduled housekeeping: the nightly inactivity sweep, the end of timed locks and its pass (later: purges). */
export const MAINTENANCE_QUEUE = 'maintenance';
/** Messages to Slack sent from jobs, so a rate limit waits in the queue instead of inside another job. */
export const SLACK_NOTIFY_QUEUE = 'slack-notify';
/** Outbox mail (invitations, reset links): one job per outbox row, with the row's id as job id, and the outbox pass. */
export const MAIL_QUEUE = 'mail';
/** Bulk changes (`/users bulk`): a few runner jobs per bulk job, each taking chunks until none is left. */
export const BULK_QUEUE = 'bulk';
/** Exports (`/users export`): one job each, which streams the accounts into a file and uploads it to Slack. */
export const EXPORT_QUEUE = 'export';
export const EXPORT_JOB = 'export';
/** Imports (`/users import`): one dry-run job per file (download, check every row, stage them), and the template. */
export const IMPORT_QUEUE = 'import';
export const IMPORT_CHECK_JOB = 'import-check';
export const IMPORT_TEMPLATE_JOB = 'import-template';
/** Lockout alerts in the helpdesk channel: posted when an account locks out, edited when someone unlocks it. */
export const HELPDESK_QUEUE = 'helpdesk';
export const LOCKED_OUT_JOB = 'locked-out';
export const UNLOCKED_JOB = 'unlocked';

/** A lockout or an unlock, with its time as Redis keeps it (ISO text). */
export type HelpdeskAlertData =
  | { accountId: string; organisationId: string; attempts: number; ip: string; at: string }
  | { accountId: string; by: string; at: string };

/** Approval requests: posted in the approvals channel when asked, edited when decided or expired. */
export const APPROVALS_QUEUE = 'approvals';
export const APPROVAL_REQUESTED_JOB = 'approval-requested';
export const APPROVAL_DECIDED_JOB = 'approval-decided';

/** Only the request's id: what it says is read from Postgres when the message is made. */
export interface ApprovalNoticeData {
  requestId: string;
}

/** Home tabs rebuilt after changes: one job per refresh window, whoever asked within it. */
export const HOME_QUEUE = 'home';
export const HOME_REFRESH_JOB = 'home-refresh';

export const INACTIVITY_SWEEP_JOB = 'inactivity-sweep';
export const LOCK_EXPIRY_JOB = 'lock-expiry';
export const LOCK_EXPIRY_PASS_JOB = 'lock-expiry-pass';
export const LOCK_EXPIRY_PASS_SCHEDULER = 'lock-expiry-pass';
export const APPROVALS_PASS_JOB = 'approvals-pass';
export const APPROVALS_PASS_SCHEDULER = 'approvals-pass';
export const INACTIVITY_SWEEP_SCHEDULER = 'nightly-inactivity-sweep';
export const SEND_MAIL_JOB = 'send-mail';
export const OUTBOX_PASS_JOB = 'outbox-pass';
export const OUTBOX_PASS_SCHEDULER = 'outbox-pass';
export const BULK_RUN_JOB = 'bulk-run';

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
  blocks?: KnownBlock[];
}

/** Only the outbox row's id: the mail's content, and its token, are made by the sender. */
export interface SendMailData {
  outboxId: string;
}

export type MailJobData = SendMailData | Record<string, never>;

/** Only the bulk job's id: what to change, and whose grant it runs under, is in Postgres. */
export interface BulkRunData {
  jobId: string;
}

/** An import's dry run (the import's bulk job id, the rest is in Postgres), or the template's upload. */
export type ImportJobData = { jobId: string } | TemplateRequest;

export interface Queues {
  maintenance: Queue<MaintenanceData>;
  slackNotify: Queue<SlackNotification>;
  mail: Queue<MailJobData>;
  bulk: Queue<BulkRunData>;
  exports: Queue<ExportRequest>;
  imports: Queue<ImportJobData>;
  helpdesk: Queue<HelpdeskAlertData>;
  approvals: Queue<ApprovalNoticeData>;
  home: Queue<Record<string, never>>;
  close(): Promise<void>;
}

/** Whether this attempt of the job is its last: a failure now is not tried again. */
export function isLastAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

export function createQueues(backend: QueueBackend, logger: Logger): Queues {
  const defaultJobOptions = { removeOnComplete: { age: 7 * 24 * 3600, count: 1000 }, removeOnFail: { age: 30 * 24 * 3600 } };
  const maintenance = backend.queue<MaintenanceData>(MAINTENANCE_QUEUE, { defaultJobOptions });
  const slackNotify = backend.queue<SlackNotification>(SLACK_NOTIFY_QUEUE, {
    defaultJobOptions: { ...defaultJobOptions, attempts: 8, backoff: { type: 'exponential', delay: 2000 } },
  });
  const mail = backend.queue<MailJobData>(MAIL_QUEUE, {
    defaultJobOptions: { ...defaultJobOptions, attempts: 5, backoff: { type: 'exponential', delay: 3000 } },
  });
  // A runner killed mid-chunk is retried by BullMQ; its chunk's transaction rolled back, so nothing is done twice. One
  // that fails is tried again 1, 2 and 4 s later, which rides out a database restart; after that its job stops.
  const bulk = backend.queue<BulkRunData>(BULK_QUEUE, {
    defaultJobOptions: { ...defaultJobOptions, attempts: 4, backoff: { type: 'exponential', delay: 1000 } },
  });
  // An export is a read: one that fails half-way is reported, not tried again (a retry would upload a second file).
  const exports = backend.queue<ExportRequest>(EXPORT_QUEUE, { defaultJobOptions: { ...defaultJobOptions, attempts: 1 } });
  // A dry run killed or failed half-way reads its file again, from an empty stage; the last attempt's failure is told.
  const imports = backend.queue<ImportJobData>(IMPORT_QUEUE, {
    defaultJobOptions: { ...defaultJobOptions, attempts: 3, backoff: { type: 'fixed', delay: 1000 } },
  });
  const helpdesk = backend.queue<HelpdeskAlertData>(HELPDESK_QUEUE, {
    defaultJobOptions: { ...defaultJobOptions, attempts: 8, backoff: { type: 'exponential', delay: 2000 } },
  });
  const approvals = backend.queue<ApprovalNoticeData>(APPROVALS_QUEUE, {
    defaultJobOptions: { ...defaultJobOptions, attempts: 8, backoff: { type: 'exponential', delay: 2000 } },
  });
  // A refresh is worth nothing once the next one is due: no retries, and nothing kept.
  const home = backend.queue<Record<string, never>>(HOME_QUEUE, { defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: 1 } });
  const all = [maintenance, slackNotify, mail, bulk, exports, imports, helpdesk, approvals, home];
  for (const queue of all) {
    queue.on('error', (error) => logger.warn({ queue: queue.name, err: error }, 'queue connection error; retrying'));
  }
  return {
    maintenance,
    slackNotify,
    mail,
    bulk,
    exports,
    imports,
    helpdesk,
    approvals,
    home,
    async close() {
      await Promise.all(all.map((queue) => queue.close()));
    },
  };
}
