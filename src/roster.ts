import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createQueues, type Queues } from '../jobs/queues.ts';
import { scheduleRecurringJobs } from '../jobs/scheduler.ts';
import { startWorkers, type Workers } from '../jobs/workers.ts';
import { queueScheduler } from '../jobs/lockExpiry.ts';
import { mailSettings } from '../jobs/mailTransport.ts';
import { scheduleOutboxPass } from '../jobs/outboxPass.ts';
import { outboxMailQueue } from '../jobs/sendMail.ts';
import { runAction, type ActionServices } from './actions/action.ts';
import { cachedSlackActors, systemActor } from './actions/actor.ts';
import { grantRole } from './actions/access/grantRole.ts';
import type { Config } from './config.ts';
import { listenForGrantChanges, type GrantChanges } from './db/grantChanges.ts';
import { createOrm, migrate, type Orm } from './db/orm.ts';
import { healthRoutes } from './http/health.ts';
import { createSlackAdapter, type SlackAdapter } from './slack/app.ts';
import { createJobSlackClient } from './slackWebClient.ts';

export interface Roster {
  /** The HTTP port: Slack's endpoint in HTTP mode, the health routes in both modes. */
  port: number;
  orm: Orm;
  redis: Redis;
  queues: Queues;
  /** Stops taking work, lets running jobs finish (unstarted ones stay queued), then closes the pools. */
  stop(): Promise<void>;
}

/** Start-up in order: database (migrated), Redis, bootstrap grants, Slack receiver, workers and schedules. */
export async function startRoster(config: Config, logger: Logger): Promise<Roster> {
  const orm = await createOrm(config.DATABASE_URL, (message) => logger.info({ component: 'orm' }, message));
  const applied = await migrate(orm);
  if (applied.length) logger.info({ migrations: applied }, 'database migrated');

  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  redis.on('error', (error) => logger.warn({ err: error }, 'Redis connection error; retrying'));
  await warnIfRedisLosesJobs(redis, logger);
  const queues = createQueues(redis, config.REDIS_PREFIX, logger);
  const services: ActionServices = { orm, logger, scheduler: queueScheduler(queues), mail: outboxMailQueue(queues) };

  for (const slackUserId of config.ROSTER_BOOTSTRAP_ADMINS) {
    await runAction(services, grantRole, systemActor('bootstrap'), { slackUserId, role: 'owner' });
  }

  let slack: SlackAdapter | undefined;
  let grantChanges: GrantChanges | undefined;
  let port = config.PORT;
  if (config.ROSTER_ROLE !== 'worker') {
    grantChanges = listenForGrantChanges(config.DATABASE_URL, logger);
    slack = createSlackAdapter(
      config,
      { services, actors: cachedSlackActors(orm.em, grantChanges) },
      healthRoutes({
        postgres: () =>
          orm.em
            .getConnection()
            .execute('select 1')
            .then(() => undefined),
        redis: () => redis.ping().then(() => undefined),
      }),
    );
    port = await slack.start();
  }
  let workers: Workers | undefined;
  if (config.ROSTER_ROLE !== 'web') {
    const slackClient = createJobSlackClient(config.SLACK_BOT_TOKEN, config.SLACK_API_URL, logger);
    workers = startWorkers(
      { ...services, queues, slack: slackClient, reportsChannel: config.ROSTER_REPORTS_CHANNEL, mailSettings: mailSettings(config, logger) },
      redis,
      config.REDIS_PREFIX,
    );
    await scheduleRecurringJobs(queues, config.ROSTER_SWEEP_CRON, config.ROSTER_TIMEZONE);
    await scheduleOutboxPass(queues);
  }
  logger.info({ port, mode: config.SLACK_APP_TOKEN ? 'socket' : 'http', role: config.ROSTER_ROLE }, 'Roster started');

  return {
    port,
    orm,
    redis,
    queues,
    async stop() {
      await slack?.stop();
      logger.info('shutdown: Slack receiver stopped');
      // Running jobs get a grace period; a job still running after it returns to the queue when its lock expires
      // (every job is idempotent). Without the bound, a worker whose Redis connection broke can hang the shutdown.
      const finished = await settlesWithin(workers?.close() ?? Promise.resolve(), config.ROSTER_SHUTDOWN_GRACE_SECONDS * 1000);
      if (finished) logger.info('shutdown: workers finished');
      else logger.warn({ graceSeconds: config.ROSTER_SHUTDOWN_GRACE_SECONDS }, 'shutdown: workers did not finish in time; their jobs return to the queue');
      await settlesWithin(queues.close(), 2000);
      redis.disconnect();
      await grantChanges?.close();
      await orm.close();
      logger.info('shutdown: connections closed');
    },
  };
}

async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const done = work.then(
    () => true,
    () => true,
  );
  const settled = await Promise.race([done, timeout]);
  clearTimeout(timer);
  return settled;
}

/** Without AOF a Redis restart loses every queued job; with eviction Redis may drop them under memory pressure. */
async function warnIfRedisLosesJobs(redis: Redis, logger: Logger): Promise<void> {
  try {
    const [, appendonly] = (await redis.config('GET', 'appendonly')) as [string, string];
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    if (appendonly !== 'yes') logger.warn('Redis runs without appendonly: queued jobs are lost if Redis restarts. Production needs appendonly yes.');
    if (policy !== 'noeviction') logger.warn({ policy }, 'Redis may evict keys: production needs maxmemory-policy noeviction.');
  } catch {
    logger.warn('Could not read the Redis configuration (CONFIG GET refused); make sure appendonly is yes and maxmemory-policy is noeviction.');
  }
}
