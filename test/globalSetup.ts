import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { withDefaultUser } from '../src/config.ts';
import { createOrm, migrate } from '../src/db/orm.ts';
import { commandLineOf, type EmbeddedPostgres, startEmbeddedPostgres, stopEmbeddedPostgres } from '../src/local/embeddedPostgres.ts';
import { onServer, serverUrl } from './support/database.ts';
import type { QueueKind } from './support/testRoster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
    /** Redis first when one answers; PostgreSQL always. */
    queueBackends: QueueKind[];
    redisUrl: string | undefined;
  }
}

const SYSTEM_POSTGRES = 'postgres://127.0.0.1:5432/roster';
const SYSTEM_POSTGRES_SERVER = 'postgres://127.0.0.1:5432/postgres';
const SYSTEM_REDIS = 'redis://127.0.0.1:6379';

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: withDefaultUser(url), connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

const EMBEDDED_PREFIX = 'roster-test-';
/** In each embedded server's directory: the process id of the run that made it. */
const RUN_FILE = 'run.pid';

/** Stops the embedded servers of interrupted runs (a Ctrl-C ends vitest without its teardown) and removes their data. */
async function removeLeftovers(): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(tmpdir())) {
    if (!name.startsWith(EMBEDDED_PREFIX)) continue;
    const directory = join(tmpdir(), name);
    const run = Number(await readFile(join(directory, RUN_FILE), 'utf8').catch(() => ''));
    if (!run || (await commandLineOf(run))?.includes('vitest')) continue;
    await stopEmbeddedPostgres(directory);
    await rm(directory, { recursive: true, force: true });
    removed.push(directory);
  }
  return removed;
}

/**
 * Picks what the suite runs on, and says so: DATABASE_URL's server, else a PostgreSQL on 127.0.0.1:5432, else an
 * embedded PostgreSQL of its own (a bare machine); the queue tests run on Redis where REDIS_URL (or 127.0.0.1:6379)
 * answers and always on BullMQ's PostgreSQL backend. A REDIS_URL that is set but does not answer fails the run (CI
 * sets none and starts Redis; nothing is skipped silently). The choice goes to every test process through the
 * environment. Then it migrates one template database per run; each test file copies it.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedPostgres | undefined;
  let embeddedDirectory: string | undefined;
  let leftovers: string[] = [];
  let database: string;
  // ROSTER_TEST_DATABASE=embedded and ROSTER_TEST_QUEUES=postgres run the suite as on a bare machine, wherever it is.
  const bare = { database: process.env.ROSTER_TEST_DATABASE === 'embedded', queues: process.env.ROSTER_TEST_QUEUES === 'postgres' };
  if (bare.database) delete process.env.DATABASE_URL;
  if (bare.queues) delete process.env.REDIS_URL;
  if (process.env.DATABASE_URL) database = `DATABASE_URL's server`;
  else if (!bare.database && (await postgresAnswers(SYSTEM_POSTGRES_SERVER))) {
    process.env.DATABASE_URL = SYSTEM_POSTGRES;
    database = 'the PostgreSQL on 127.0.0.1:5432';
  } else {
    leftovers = await removeLeftovers();
    embeddedDirectory = await mkdtemp(join(tmpdir(), EMBEDDED_PREFIX));
    await writeFile(join(embeddedDirectory, RUN_FILE), `${process.pid}\n`);
    embedded = await startEmbeddedPostgres(embeddedDirectory, { takeOver: true });
    process.env.DATABASE_URL = `${embedded.serverUrl}roster`;
    database = `an embedded PostgreSQL ${embedded.version} (${bare.database ? 'ROSTER_TEST_DATABASE=embedded' : 'nothing answered on 127.0.0.1:5432'})`;
  }

  const redisUrl = process.env.REDIS_URL || SYSTEM_REDIS;
  const redis = !bare.queues && (await redisAnswers(redisUrl));
  if (process.env.REDIS_URL && !redis) throw new Error(`REDIS_URL is set (${redisUrl}) but Redis does not answer there`);
  if (redis) process.env.REDIS_URL = redisUrl;
  const queueBackends: QueueKind[] = redis ? ['redis', 'postgres'] : ['postgres'];
  console.log(
    `roster tests: database on ${database}; queue tests on ${redis ? 'Redis and BullMQ’s PostgreSQL backend' : `BullMQ’s PostgreSQL backend only (${bare.queues ? 'ROSTER_TEST_QUEUES=postgres' : 'no Redis answers'}; the Redis-only tests are skipped)`}`,
  );
  for (const directory of leftovers) console.log(`roster tests: stopped the embedded PostgreSQL an interrupted run left in ${directory}`);

  const template = `roster_test_${process.pid}_template`;
  await onServer(async (client) => {
    await client.query(`drop database if exists "${template}"`);
    await client.query(`create database "${template}"`);
  });
  const orm = await createOrm(serverUrl(template), () => {});
  await migrate(orm);
  await orm.close();
  project.provide('templateDatabase', template);
  project.provide('queueBackends', queueBackends);
  project.provide('redisUrl', redis ? redisUrl : undefined);

  return async () => {
    await onServer(async (client) => {
      const { rows } = await client.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`roster_test_${process.pid}_%`]);
      for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`);
    });
    await embedded?.stop();
    if (embeddedDirectory) await rm(embeddedDirectory, { recursive: true, force: true });
  };
}
