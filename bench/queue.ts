/**
 * `npm run bench:queue`: the two queue backends side by side in one run. For each, jobs per second of a no-op job
 * (BullMQ's own overhead: add, take, complete) and of a 1,000-account bulk chunk (a bulk lock run by a whole Roster,
 * whose runners take chunks until none is left, so the queue's share and the SQL's are both in it). Redis is the
 * baseline; the ratio is PostgreSQL's rate over Redis's.
 *
 * Uses the database `roster_bench_queue` on DATABASE_URL's server (created and migrated when missing; each run adds
 * its own organisations) and Redis at REDIS_URL (default 127.0.0.1:6379) under a prefix of its own, removed after.
 * Options: --jobs N (no-op jobs, default 5,000), --accounts N (accounts in the bulk job, default 20,000).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { runAction } from '../src/actions/action.ts';
import { cliActor, slackActor } from '../src/actions/actor.ts';
import { grantRole } from '../src/actions/access/grantRole.ts';
import { startBulkJob } from '../src/actions/accounts/bulk/startBulkJob.ts';
import { configSchema } from '../src/config.ts';
import { createOrm, migrate } from '../src/db/orm.ts';
import { createLogger } from '../src/logger.ts';
import { startRoster } from '../src/roster.ts';
import { postgresQueueBackend, type QueueBackend, redisQueueBackend } from '../jobs/queueBackend.ts';
import { startFakeSlack } from '../test/support/fakeSlack.ts';
import { databaseUrl, round } from './support.ts';

const DATABASE = 'roster_bench_queue';
const ADMIN = 'U0BENCHQ01';
const CHUNK = 1000;
const { values } = parseArgs({ options: { jobs: { type: 'string', default: '5000' }, accounts: { type: 'string', default: '20000' } } });
const jobs = Number(values.jobs);
const accounts = Number(values.accounts);
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const prefix = `roster-bench-queue-${randomBytes(4).toString('hex')}`;
const url = databaseUrl(DATABASE);
const logger = createLogger('silent');

type Kind = 'redis' | 'postgres';
const open = (kind: Kind): Promise<QueueBackend> =>
  kind === 'redis' ? Promise.resolve(redisQueueBackend(redisUrl, prefix, logger)) : postgresQueueBackend(url, logger);

/** `jobs` no-op jobs added in batches, then taken by one worker (concurrency 50): jobs per second from first to last. */
async function noOpRate(kind: Kind): Promise<number> {
  const backend = await open(kind);
  const queue = backend.queue<{ n: number }>(`bench-noop-${prefix}`, { defaultJobOptions: { removeOnComplete: true, removeOnFail: true } });
  for (let from = 0; from < jobs; from += 1000) {
    await queue.addBulk(Array.from({ length: Math.min(1000, jobs - from) }, (_, i) => ({ name: 'noop', data: { n: from + i } })));
  }
  let done = 0;
  const started = performance.now();
  const finished = new Promise<void>((resolve) => {
    const worker = backend.worker<{ n: number }>(queue.name, async () => undefined, { concurrency: 50 });
    worker.on('completed', () => {
      if (++done === jobs) resolve(worker.close().then(() => undefined));
    });
  });
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  await backend.close();
  return jobs / seconds;
}

/** A bulk lock of `accounts` accounts run by a whole Roster on `kind`: 1,000-account chunks per second. */
async function bulkChunkRate(kind: Kind): Promise<{ chunksPerSecond: number; accountsPerSecond: number }> {
  const slack = await startFakeSlack({ botToken: 'xoxb-bench-queue' });
  const config = configSchema.parse({
    DATABASE_URL: url,
    REDIS_URL: kind === 'redis' ? redisUrl : '',
    REDIS_PREFIX: prefix,
    SLACK_SIGNING_SECRET: 'bench-queue-signing-secret',
    SLACK_BOT_TOKEN: 'xoxb-bench-queue',
    SLACK_API_URL: slack.url,
    PORT: '0',
    LOG_LEVEL: 'silent',
    ROSTER_SLACK_UPDATES_PER_MINUTE: '1000',
  });
  const roster = await startRoster(config, logger);
  try {
    const slug = `bench-q-${kind}-${randomBytes(3).toString('hex')}`;
    const em = roster.orm.em.fork();
    await em.execute(`insert into organisation (id, slug, name, created_at, updated_at) values (gen_random_uuid(), ?, ?, now(), now())`, [slug, slug]);
    await em.execute(
      `insert into account (id, organisation_id, username, email, first_name, last_name, status, status_changed_at, role, auth_source,
         mfa_enrolled, developer_mode, failed_sign_ins, last_sign_in_at, created_at, updated_at, version)
       select gen_random_uuid(), o.id, ? || n, ? || n || '@bench.example', 'Bench', 'Person ' || n, 'ACTIVE', now(), 'user', 'local', false, false, 0,
         now(), now(), now(), 1
       from organisation o, generate_series(1, ?) n where o.slug = ?`,
      [`${slug}.`, `${slug}.`, accounts, slug],
    );
    await runAction(roster.services, grantRole, cliActor(), { slackUserId: ADMIN, role: 'admin' });
    const actor = await slackActor(roster.orm.em.fork(), ADMIN);
    const started = performance.now();
    const { jobId } = await runAction(roster.services, startBulkJob, actor, { change: 'lock', filter: `status:active org:${slug}`, channel: 'C0BENCHQ' });
    for (;;) {
      const [row] = await roster.orm.em.fork().execute<{ state: string }[]>('select state from bulk_job where id = ?', [jobId]);
      if (row?.state === 'done') break;
      if (row?.state === 'failed') throw new Error(`the bench bulk job failed on ${kind}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    return { chunksPerSecond: accounts / CHUNK / seconds, accountsPerSecond: accounts / seconds };
  } finally {
    await roster.stop();
    await slack.close();
  }
}

async function main() {
  const orm = await createOrm(url, () => undefined);
  await migrate(orm);
  await orm.close();
  const result: Record<Kind, { noOpJobsPerSecond: number; bulkChunksPerSecond: number; bulkAccountsPerSecond: number }> = {} as never;
  try {
    for (const kind of ['redis', 'postgres'] as const) {
      const noOp = await noOpRate(kind);
      const bulk = await bulkChunkRate(kind);
      result[kind] = {
        noOpJobsPerSecond: round(noOp, 0),
        bulkChunksPerSecond: round(bulk.chunksPerSecond, 2),
        bulkAccountsPerSecond: round(bulk.accountsPerSecond, 0),
      };
    }
  } finally {
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
  const ratio = {
    noOp: round(result.postgres.noOpJobsPerSecond / result.redis.noOpJobsPerSecond, 2),
    bulkChunk: round(result.postgres.bulkChunksPerSecond / result.redis.bulkChunksPerSecond, 2),
  };
  process.stdout.write(`${JSON.stringify({ jobs, accounts, chunkSize: CHUNK, baseline: 'redis', ...result, ratio }, null, 2)}\n`);
  process.stdout.write(
    `queue backends: no-op ${result.postgres.noOpJobsPerSecond} jobs/s on PostgreSQL vs ${result.redis.noOpJobsPerSecond} on Redis (${ratio.noOp}x); ` +
      `1,000-account bulk chunks ${result.postgres.bulkChunksPerSecond}/s (${result.postgres.bulkAccountsPerSecond} accounts/s) vs ` +
      `${result.redis.bulkChunksPerSecond}/s (${result.redis.bulkAccountsPerSecond} accounts/s) (${ratio.bulkChunk}x)\n`,
  );
}

await main();
process.exit(0);
