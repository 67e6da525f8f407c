import { createPostgresBackend, Queue, runMigrations, withBackend, Worker, type Processor, type QueueOptions, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Logger } from 'pino';
import { postgresRateLimiter, redisRateLimiter, type RateLimiter, type RateLimits } from '../src/http/rateLimits.ts';
import { createSharedState, postgresClaims, postgresHomeViewers, redisClaims, redisHomeViewers, type Claims, type HomeViewers } from './sharedState.ts';
import { postgresSlackBudget, redisSlackBudget, type SlackBudget } from './slackBudget.ts';

/** The schema BullMQ's PostgreSQL backend lives in: the one it uses for a pool it did not create. */
export const POSTGRES_QUEUE_SCHEMA = 'bullmq';

type QueueSettings = Omit<QueueOptions, 'connection' | 'prefix'>;
type WorkerSettings = Omit<WorkerOptions, 'connection' | 'prefix'>;

/**
 * Where the job queues and the state every process shares (rate limits, the Slack budget, claims, Home viewers) live:
 * Redis, or PostgreSQL (BullMQ's PostgreSQL backend in Roster's database, under its own schema, and a few small tables).
 * Every queue, worker and scheduler is made through one of these, so the rest of Roster does not know which it is.
 */
export interface QueueBackend {
  kind: 'redis' | 'postgres';
  /** Where it is, without a password, for the start-up line. */
  where: string;
  queue<D>(name: string, settings: QueueSettings): Queue<D>;
  worker<D>(name: string, processor: Processor<D>, settings: WorkerSettings): Worker<D>;
  rateLimiter(limits: RateLimits, logger: Logger): RateLimiter;
  slackBudget(name: string, perMinute: number, burst: number): SlackBudget;
  claims: Claims;
  homeViewers: HomeViewers;
  /** Resolves when the store answers (the readiness check). */
  ping(): Promise<void>;
  /** After the queues and workers are closed. */
  close(): Promise<void>;
}

/** `checkPersistence`: warn when Redis would lose jobs (the app does; a short CLI command does not). */
export function redisQueueBackend(redisUrl: string, prefix: string, logger: Logger, { checkPersistence = false } = {}): QueueBackend {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', (error) => logger.warn({ err: error }, 'Redis connection error; retrying'));
  // Not awaited: a Redis that is away at start must not hold up the Slack receiver; the check runs once it answers.
  if (checkPersistence) void warnIfRedisLosesJobs(redis, logger);
  const url = new URL(redisUrl);
  url.password = '';
  url.username = '';
  return {
    kind: 'redis',
    where: url.toString(),
    queue: (name, settings) => new Queue(name, { ...settings, connection: redis, prefix }),
    worker: (name, processor, settings) => new Worker(name, processor, { ...settings, connection: redis, prefix }),
    rateLimiter: (limits, limiterLogger) => redisRateLimiter(redisUrl, prefix, limits, limiterLogger),
    slackBudget: (name, perMinute, burst) => redisSlackBudget(redis, `${prefix}:slack-budget:${name}`, perMinute, burst),
    claims: redisClaims(redis, prefix),
    homeViewers: redisHomeViewers(redis, prefix),
    ping: () => redis.ping().then(() => undefined),
    async close() {
      redis.disconnect();
    },
  };
}

/**
 * BullMQ on PostgreSQL: one pool for every queue and worker (each worker holds one of its connections for LISTEN), with
 * `search_path` pinned to BullMQ's schema, since BullMQ's SQL names its tables unqualified. BullMQ's schema and
 * Roster's shared-state tables are created or brought up to date before anything uses them.
 */
export async function postgresQueueBackend(databaseUrl: string, logger: Logger): Promise<QueueBackend> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 20, options: `-c search_path=${POSTGRES_QUEUE_SCHEMA}`, keepAlive: true });
  pool.on('error', (error) => logger.warn({ err: error }, 'PostgreSQL queue connection error; retrying'));
  // Each of BullMQ's queues and workers listens for the pool's errors: some twenty on one pool, not a leak.
  pool.setMaxListeners(100);
  const client = await pool.connect();
  try {
    await runMigrations(client, POSTGRES_QUEUE_SCHEMA);
    await createSharedState(client);
  } finally {
    client.release();
  }
  const backend = withBackend(createPostgresBackend);
  const url = new URL(databaseUrl);
  url.password = '';
  return {
    kind: 'postgres',
    where: `${url.toString()} (schema ${POSTGRES_QUEUE_SCHEMA})`,
    // The classes are BullMQ's own, bound to the PostgreSQL backend: the same API as the Redis ones.
    queue: <D>(name: string, settings: QueueSettings) => new backend.Queue<D>(name, { ...settings, connection: pool }) as unknown as Queue<D>,
    worker: <D>(name: string, processor: Processor<D>, settings: WorkerSettings) =>
      new backend.Worker<D>(name, processor as never, { ...settings, connection: pool }) as unknown as Worker<D>,
    rateLimiter: (limits, limiterLogger) => postgresRateLimiter(pool, limits, limiterLogger),
    slackBudget: (name, perMinute, burst) => postgresSlackBudget(pool, name, perMinute, burst),
    claims: postgresClaims(pool),
    homeViewers: postgresHomeViewers(pool),
    ping: () => pool.query('select 1').then(() => undefined),
    close: () => pool.end(),
  };
}

/** Redis when REDIS_URL is set, else BullMQ's PostgreSQL backend in Roster's own database. */
export function queueBackendFor(
  config: { REDIS_URL?: string; REDIS_PREFIX: string },
  databaseUrl: string,
  logger: Logger,
  options: { checkPersistence?: boolean } = {},
): Promise<QueueBackend> {
  return config.REDIS_URL
    ? Promise.resolve(redisQueueBackend(config.REDIS_URL, config.REDIS_PREFIX, logger, options))
    : postgresQueueBackend(databaseUrl, logger);
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
