import type { Job } from 'bullmq';
import type { WebClient } from '@slack/web-api';
import { processInactivitySweep, type SweepDeps } from './inactivitySweep.ts';
import { processSlackNotification, SLACK_NOTIFY_LIMIT } from './slackNotify.ts';
import { processLockExpiry, processLockExpiryPass } from './lockExpiry.ts';
import type { MailSettings } from './mailTransport.ts';
import { processOutboxPass } from './outboxPass.ts';
import { processSendMail } from './sendMail.ts';
import {
  INACTIVITY_SWEEP_JOB,
  LOCK_EXPIRY_JOB,
  LOCK_EXPIRY_PASS_JOB,
  MAIL_QUEUE,
  MAINTENANCE_QUEUE,
  OUTBOX_PASS_JOB,
  SEND_MAIL_JOB,
  SLACK_NOTIFY_QUEUE,
  type InactivitySweepData,
  type LockExpiryData,
  type MailJobData,
  type MaintenanceData,
  type SendMailData,
  type SlackNotification,
  BULK_QUEUE,
  EXPORT_QUEUE,
  HELPDESK_QUEUE,
  type HelpdeskAlertData,
  type BulkRunData,
  IMPORT_QUEUE,
  IMPORT_CHECK_JOB,
  IMPORT_TEMPLATE_JOB,
  type ImportJobData,
  APPROVALS_PASS_JOB,
  APPROVALS_QUEUE,
  type ApprovalNoticeData,
  HOME_QUEUE,
} from './queues.ts';
import { type ImportDeps, processImportCheck, processImportTemplate } from './imports.ts';
import type { TemplateRequest } from '../src/actions/action.ts';
import { processHomeRefresh } from './homeViews.ts';
import type { HomeOverview } from '../src/actions/home/homeOverview.ts';
import type { HomeView } from '@slack/types';
import { type ApprovalMessages, processApprovalNotice, processApprovalsPass } from './approvalNotices.ts';
import { BULK_RUNNERS_PER_PROCESS, processBulkRun } from './bulkJobs.ts';
import { processExport } from './exports.ts';
import { type AlertMessages, processHelpdeskAlert } from './helpdeskAlerts.ts';
import type { ExportRequest } from '../src/actions/action.ts';
import type { SlackBudget } from './slackBudget.ts';
import type { QueueBackend } from './queueBackend.ts';
import type { Claims, HomeViewers } from './sharedState.ts';

/** How soon a killed bulk runner's job is noticed and run again (BullMQ's default is 30 s). */
export const BULK_LOCK_MS = 5000;

export interface WorkerDeps extends SweepDeps, Pick<ImportDeps, 'importLimits' | 'importMessages'> {
  slack: WebClient;
  mailSettings: MailSettings;
  claims: Claims;
  homeViewers: HomeViewers;
  /** The shared budget of chat.update calls that progress messages draw from. */
  budget: SlackBudget;
  helpdeskChannel: string | undefined;
  alertMessages: AlertMessages;
  approvalsChannel: string | undefined;
  approvalMessages: ApprovalMessages;
  homeView(overview: HomeOverview, now: Date): HomeView;
}

export interface Workers {
  close(): Promise<void>;
}

/** The dependencies for one job, with a logger that puts the queue and job id on every line the job writes. */
function forJob(deps: WorkerDeps, queue: string, job: Job): WorkerDeps {
  return { ...deps, logger: deps.logger.child({ queue, jobId: job.id }) };
}

export function startWorkers(deps: WorkerDeps, backend: QueueBackend): Workers {
  const maintenance = backend.worker<MaintenanceData>(
    MAINTENANCE_QUEUE,
    async (job) => {
      const jobDeps = forJob(deps, MAINTENANCE_QUEUE, job);
      if (job.name === INACTIVITY_SWEEP_JOB) return processInactivitySweep(job as Job<InactivitySweepData>, jobDeps);
      if (job.name === LOCK_EXPIRY_JOB) return processLockExpiry(job as Job<LockExpiryData>, jobDeps);
      if (job.name === LOCK_EXPIRY_PASS_JOB) return processLockExpiryPass(job, jobDeps);
      if (job.name === APPROVALS_PASS_JOB) return processApprovalsPass(jobDeps);
      throw new Error(`unknown maintenance job "${job.name}"`);
    },
    { concurrency: 1 },
  );
  // The limiter is what makes BullMQ honour queue.rateLimit() at all (it checks the limit only when one is set).
  const slackNotify = backend.worker<SlackNotification>(SLACK_NOTIFY_QUEUE, (job) => processSlackNotification(job, deps.slack, deps.queues.slackNotify), {
    concurrency: 4,
    limiter: SLACK_NOTIFY_LIMIT,
  });
  const mail = backend.worker<MailJobData>(
    MAIL_QUEUE,
    async (job) => {
      const jobDeps = forJob(deps, MAIL_QUEUE, job);
      if (job.name === SEND_MAIL_JOB) return processSendMail(job as Job<SendMailData>, jobDeps);
      if (job.name === OUTBOX_PASS_JOB) return processOutboxPass(jobDeps);
      throw new Error(`unknown mail job "${job.name}"`);
    },
    { concurrency: 4 },
  );
  // A runner renews its lock while it works; one killed is noticed within BULK_LOCK_MS and its job run again.
  const bulk = backend.worker<BulkRunData>(BULK_QUEUE, (job) => processBulkRun(job, forJob(deps, BULK_QUEUE, job)), {
    concurrency: BULK_RUNNERS_PER_PROCESS,
    lockDuration: BULK_LOCK_MS,
    stalledInterval: BULK_LOCK_MS,
  });
  const exports = backend.worker<ExportRequest>(EXPORT_QUEUE, (job) => processExport(job, forJob(deps, EXPORT_QUEUE, job)), { concurrency: 1 });
  // A dry run renews its lock while it reads; one killed is noticed within BULK_LOCK_MS and reads the file again.
  const imports = backend.worker<ImportJobData>(
    IMPORT_QUEUE,
    async (job) => {
      const jobDeps = forJob(deps, IMPORT_QUEUE, job);
      if (job.name === IMPORT_CHECK_JOB) return processImportCheck(job as Job<{ jobId: string }>, jobDeps);
      if (job.name === IMPORT_TEMPLATE_JOB) return processImportTemplate(job as Job<TemplateRequest>, jobDeps);
      throw new Error(`unknown import job "${job.name}"`);
    },
    { concurrency: 1, lockDuration: BULK_LOCK_MS, stalledInterval: BULK_LOCK_MS },
  );
  const helpdesk = backend.worker<HelpdeskAlertData>(HELPDESK_QUEUE, (job) => processHelpdeskAlert(job, forJob(deps, HELPDESK_QUEUE, job)), { concurrency: 1 });
  const approvals = backend.worker<ApprovalNoticeData>(APPROVALS_QUEUE, (job) => processApprovalNotice(job, forJob(deps, APPROVALS_QUEUE, job)), {
    concurrency: 1,
  });
  const home = backend.worker(HOME_QUEUE, () => processHomeRefresh(deps), { concurrency: 1 });
  const all = [maintenance, slackNotify, mail, bulk, exports, imports, helpdesk, approvals, home];
  for (const worker of all) {
    worker.on('failed', (job, error) => deps.logger.warn({ queue: worker.name, jobId: job?.id, err: error }, 'job failed'));
    worker.on('error', (error) => deps.logger.error({ queue: worker.name, err: error }, 'worker error'));
  }
  return {
    // close() waits for running jobs to finish; jobs that were not started stay in the queue.
    async close() {
      await Promise.all(all.map((worker) => worker.close()));
    },
  };
}
