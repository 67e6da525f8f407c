import type { Logger } from 'pino';
import { createQueues, type Queues } from '../jobs/queues.ts';
import { scheduleRecurringJobs } from '../jobs/scheduler.ts';
import { startWorkers, type Workers } from '../jobs/workers.ts';
import { queueScheduler, scheduleLockExpiryPass } from '../jobs/lockExpiry.ts';
import { settlesWithin } from '../jobs/handOff.ts';
import { mailSettings } from '../jobs/mailTransport.ts';
import { scheduleOutboxPass } from '../jobs/outboxPass.ts';
import { outboxMailQueue } from '../jobs/sendMail.ts';
import { bulkJobQueue } from '../jobs/bulkJobs.ts';
import { exportQueue } from '../jobs/exports.ts';
import { importQueue } from '../jobs/imports.ts';
import { helpdeskAlerts } from '../jobs/helpdeskAlerts.ts';
import { approvalNotices, scheduleApprovalsPass } from '../jobs/approvalNotices.ts';
import { homeViews } from '../jobs/homeViews.ts';
import { queueJobHistory } from '../jobs/queueJobHistory.ts';
import { SLACK_UPDATE_BURST } from '../jobs/slackBudget.ts';
import { queueBackendFor, type QueueBackend } from '../jobs/queueBackend.ts';
import { runAction, type ActionServices } from './actions/action.ts';
import { slackActorsFromDatabase, systemActor } from './actions/actor.ts';
import { grantRole } from './actions/access/grantRole.ts';
import { ConfigError, type Config } from './config.ts';
import { createOrm, migrate, type Orm } from './db/orm.ts';
import { healthRoutes } from './http/health.ts';
import type { RateLimiter } from './http/rateLimits.ts';
import { signInRoutes } from './http/signIn.ts';
import { scimRoutes } from './http/scim.ts';
import { apiActorsFromDatabase } from './actions/access/apiTokens.ts';
import { passwordPageRoutes } from './http/passwordPages.ts';
import type { SlackAdapter } from './slack/app.ts';
import { lockoutAlert, resolvedLockoutAlert } from './slack/blocks/helpdeskAlert.ts';
import { approvalRequestMessage, requesterNotice } from './slack/blocks/approvalRequest.ts';
import { homeView } from './slack/blocks/home.ts';
import { importPreviewMessage } from './slack/blocks/importBlocks.ts';
import { createJobSlackClient } from './slackWebClient.ts';
import { grantConsoleIdentities } from './console/identities.ts';
import { createSlackConsole, type SlackConsole } from './console/slackConsole.ts';

export interface Roster {
  /** The HTTP port: Slack's endpoint in HTTP mode, the health routes in both modes. */
  port: number;
  orm: Orm;
  /** What actions reach in this process (the queues behind follow-up work included). */
  services: ActionServices;
  /** Where the queues and the shared state live: Redis, or PostgreSQL. */
  queueBackend: QueueBackend;
  queues: Queues;
  /** Stops taking work, lets running jobs finish (unstarted ones stay queued), then closes the pools. */
  stop(): Promise<void>;
}

/**
 * Start-up in order: database (migrated), queue backend (Redis when REDIS_URL is set, else PostgreSQL; or the one
 * given), bootstrap grants, Slack receiver, workers and schedules.
 */
export async function startRoster(config: Config, logger: Logger, backend?: QueueBackend): Promise<Roster> {
  if (!config.DATABASE_URL) throw new ConfigError('Invalid environment: DATABASE_URL is not set (npm start starts the embedded PostgreSQL for it)');
  const orm = await createOrm(config.DATABASE_URL, (message) => logger.info({ component: 'orm' }, message));
  const applied = await migrate(orm);
  if (applied.length) logger.info({ migrations: applied }, 'database migrated');

  const queueBackend = backend ?? (await queueBackendFor(config, config.DATABASE_URL, logger, { checkPersistence: true }));
  const queues = createQueues(queueBackend, logger);
  const services: ActionServices = {
    orm,
    logger,
    scheduler: queueScheduler(queues, logger),
    mail: outboxMailQueue(queues, logger),
    bulkJobs: bulkJobQueue(queues, logger),
    exports: exportQueue(queues, logger),
    imports: importQueue(queues, logger),
    alerts: helpdeskAlerts(queues, logger),
    approvals: approvalNotices(queues, logger),
    home: homeViews(queues, queueBackend.homeViewers, config.ROSTER_HOME_REFRESH_SECONDS * 1000, logger),
    queueJobs: queueJobHistory(queues, logger),
  };

  for (const slackUserId of config.ROSTER_BOOTSTRAP_ADMINS) {
    await runAction(services, grantRole, systemActor('bootstrap'), { slackUserId, role: 'owner' });
  }
  const slackConsole = config.slackConsole ? await startSlackConsole(config, services, logger) : undefined;

  let slack: SlackAdapter | undefined;
  let port = config.PORT;
  let limiter: RateLimiter | undefined;
  if (config.ROSTER_ROLE !== 'worker') {
    limiter = queueBackend.rateLimiter(
      {
        perIpPerMinute: config.ROSTER_SIGN_IN_PER_IP_PER_MINUTE,
        perLoginPerMinute: config.ROSTER_SIGN_IN_PER_LOGIN_PER_MINUTE,
        perScimTokenPerMinute: config.ROSTER_SCIM_PER_TOKEN_PER_MINUTE,
      },
      logger,
    );
    // Bolt is loaded by a process that serves Slack, not by a worker: about 30 MB a worker would hold for nothing.
    const { createSlackAdapter } = await import('./slack/app.ts');
    slack = createSlackAdapter(
      config,
      {
        services,
        actors: slackActorsFromDatabase(orm.em),
        sweep: { cron: config.ROSTER_SWEEP_CRON, timezone: config.ROSTER_TIMEZONE },
        importLimits: { maxRows: config.ROSTER_IMPORT_MAX_ROWS, maxFileMb: config.ROSTER_IMPORT_MAX_FILE_MB },
      },
      // Bolt compiles a route's pattern on every request until one matches (9 KB of garbage a SCIM request with four
      // routes before it): the API routes, asked most, go first.
      [
        ...scimRoutes({ services, apiActors: apiActorsFromDatabase(orm.em), limiter, publicUrl: config.ROSTER_PUBLIC_URL }),
        ...signInRoutes({ services, apiActors: apiActorsFromDatabase(orm.em), limiter }),
        ...healthRoutes({
          postgres: () =>
            orm.em
              .getConnection()
              .execute('select 1')
              .then(() => undefined),
          [queueBackend.kind === 'redis' ? 'redis' : 'queues']: () => queueBackend.ping(),
        }),
        ...passwordPageRoutes({ services, publicUrl: config.ROSTER_PUBLIC_URL }),
        ...(slackConsole?.routes ?? []),
      ],
    );
    port = await slack.start();
  }
  let workers: Workers | undefined;
  if (config.ROSTER_ROLE !== 'web') {
    const slackClient = createJobSlackClient(config.SLACK_BOT_TOKEN, config.SLACK_API_URL, logger);
    workers = startWorkers(
      {
        ...services,
        queues,
        slack: slackClient,
        reportsChannel: config.ROSTER_REPORTS_CHANNEL,
        mailSettings: mailSettings(config, logger, slackConsole?.mailTransport),
        claims: queueBackend.claims,
        homeViewers: queueBackend.homeViewers,
        helpdeskChannel: config.ROSTER_HELPDESK_CHANNEL,
        alertMessages: { lockedOut: lockoutAlert, unlocked: resolvedLockoutAlert },
        importLimits: { maxRows: config.ROSTER_IMPORT_MAX_ROWS, maxFileBytes: config.ROSTER_IMPORT_MAX_FILE_MB * 1024 * 1024 },
        importMessages: { preview: importPreviewMessage },
        approvalsChannel: config.ROSTER_APPROVALS_CHANNEL,
        approvalMessages: { request: approvalRequestMessage, toRequester: requesterNotice },
        homeView,
        budget: queueBackend.slackBudget('chat.update', config.ROSTER_SLACK_UPDATES_PER_MINUTE, SLACK_UPDATE_BURST),
      },
      queueBackend,
    );
    await setSchedules(
      Promise.all([
        scheduleRecurringJobs(queues, config.ROSTER_SWEEP_CRON, config.ROSTER_TIMEZONE),
        scheduleOutboxPass(queues, config.ROSTER_OUTBOX_PASS_SECONDS * 1000),
        scheduleLockExpiryPass(queues, config.ROSTER_LOCK_EXPIRY_PASS_SECONDS * 1000),
        scheduleApprovalsPass(queues, config.ROSTER_APPROVALS_PASS_SECONDS * 1000),
      ]),
      logger,
    );
  }
  logger.info(
    { port, mode: config.SLACK_APP_TOKEN ? 'socket' : slackConsole ? 'local console' : 'http', role: config.ROSTER_ROLE, queues: queueBackend.kind },
    'Roster started',
  );
  if (slackConsole) logger.info({ url: slackConsole.url }, `No Slack credentials: the local console stands in for Slack at ${slackConsole.url}`);

  return {
    port,
    orm,
    services,
    queueBackend,
    queues,
    async stop() {
      slackConsole?.close();
      await slack?.stop();
      logger.info('shutdown: Slack receiver stopped');
      // Running jobs get a grace period; a job still running after it returns to the queue when its lock expires
      // (every job is idempotent). Without the bound, a worker whose Redis connection broke can hang the shutdown.
      const finished = await settlesWithin(workers?.close() ?? Promise.resolve(), config.ROSTER_SHUTDOWN_GRACE_SECONDS * 1000);
      if (finished) logger.info('shutdown: workers finished');
      else logger.warn({ graceSeconds: config.ROSTER_SHUTDOWN_GRACE_SECONDS }, 'shutdown: workers did not finish in time; their jobs return to the queue');
      await settlesWithin(queues.close(), 2000);
      limiter?.close();
      await settlesWithin(queueBackend.close(), 2000);
      await orm.close();
      logger.info('shutdown: connections closed');
    },
  };
}

/** The console's people get their grants (the owner grants the others, audited), then the console is built. */
async function startSlackConsole(config: Config, services: ActionServices, logger: Logger): Promise<SlackConsole> {
  await grantConsoleIdentities(services);
  const channels = [
    { id: config.ROSTER_APPROVALS_CHANNEL, name: 'approvals' },
    { id: config.ROSTER_HELPDESK_CHANNEL, name: 'helpdesk' },
    { id: config.ROSTER_REPORTS_CHANNEL, name: 'reports' },
  ].filter((channel): channel is { id: string; name: string } => channel.id !== undefined);
  return createSlackConsole({ port: config.PORT, signingSecret: config.SLACK_SIGNING_SECRET!, botToken: config.SLACK_BOT_TOKEN!, channels, logger });
}

/** How long start-up waits for Redis to take the schedules before it goes on without them (they are set once Redis answers). */
const SCHEDULES_WAIT_MS = 2000;

/** A failure to set the schedules stops start-up; a Redis that does not answer yet does not. */
async function setSchedules(scheduling: Promise<unknown>, logger: Logger): Promise<void> {
  if (await settlesWithin(scheduling, SCHEDULES_WAIT_MS)) {
    await scheduling;
    return;
  }
  logger.warn({ waitedMs: SCHEDULES_WAIT_MS }, 'Redis does not answer: Roster starts, and sets its job schedules once Redis answers');
  scheduling.then(
    () => logger.info('job schedules set'),
    (error: unknown) => logger.error({ err: error }, 'setting the job schedules failed'),
  );
}
