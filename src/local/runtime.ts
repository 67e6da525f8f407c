import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, type Config } from '../config.ts';
import { createOrm, migrate } from '../db/orm.ts';
import { seedDemo } from '../db/seedDemo.ts';
import { commandLineOf, type EmbeddedPostgres, startEmbeddedPostgres, stopEmbeddedPostgres } from './embeddedPostgres.ts';
import { type LocalStandIns, localDirectory, localStandIns } from './standIns.ts';

/** The demo organisation a fresh local database is seeded with. */
export const DEMO_ORGANISATION = 'demo';
const DEMO_ACCOUNTS = 200;

export interface LocalRuntime {
  /** The config with DATABASE_URL filled in (the embedded server's when it stands in). */
  config: Config & { DATABASE_URL: string };
  standIns: LocalStandIns;
  embedded?: EmbeddedPostgres;
  /** An account of the demo organisation, when this start seeded it. */
  demoEmail?: string;
  /** Stops what this process started (the embedded server, once Roster has stopped using it). */
  stop(): Promise<void>;
}

const lockFile = (directory: string) => join(directory, 'roster.pid');

/** The process id of a Roster running in local mode from `directory`, if one runs. */
export async function runningRoster(directory: string): Promise<number | undefined> {
  const pid = Number((await readFile(lockFile(directory), 'utf8').catch(() => '')).trim());
  if (!pid || pid === process.pid) return undefined;
  // After a crash or a reboot the pid may be another program's by now.
  return (await commandLineOf(pid))?.includes('src/main.ts') ? pid : undefined;
}

/**
 * Starts the stand-ins the environment asks for (localStandIns): with no DATABASE_URL, the embedded PostgreSQL under
 * the local directory, seeded with a demo organisation on its first start. `app` is `npm start`: it marks the directory
 * as in use (one Roster at a time; `local reset` refuses meanwhile) and stops the server when it stops. The CLI uses
 * the server of a running Roster as it is, or starts one for its command and stops it after.
 */
export async function startLocalRuntime(config: Config, env: NodeJS.ProcessEnv, { app }: { app: boolean }): Promise<LocalRuntime> {
  const standIns = localStandIns(env);
  if (!standIns.database) return { config: config as LocalRuntime['config'], standIns, stop: async () => undefined };

  const other = await runningRoster(standIns.directory);
  if (app && other)
    throw new ConfigError(`Roster already runs in local mode from ${standIns.directory} (process ${other}): stop it first, or set DATABASE_URL.`);
  const embedded = await startEmbeddedPostgres(standIns.directory, { takeOver: !other });
  if (app) await writeFile(lockFile(standIns.directory), `${process.pid}\n`);
  const databaseUrl = `${embedded.serverUrl}roster`;
  let demoEmail: string | undefined;
  if (embedded.created) {
    const orm = await createOrm(databaseUrl, () => undefined);
    try {
      await migrate(orm);
      await seedDemo(orm.em.fork(), { users: DEMO_ACCOUNTS, organisation: DEMO_ORGANISATION });
      const [first] = await orm.em.execute<{ email: string }[]>(
        `select a.email from account a join organisation o on o.id = a.organisation_id where o.slug = ? and a.status = 'ACTIVE' order by a.username limit 1`,
        [DEMO_ORGANISATION],
      );
      demoEmail = first?.email;
    } finally {
      await orm.close();
    }
  }
  return {
    config: { ...config, DATABASE_URL: databaseUrl },
    standIns,
    embedded,
    demoEmail,
    async stop() {
      await embedded.stop();
      if (app) await rm(lockFile(standIns.directory), { force: true });
    },
  };
}

/** What runs where, for the one block start-up prints: no password, no token. */
export function describeRuntime(runtime: LocalRuntime, queue: { kind: 'redis' | 'postgres'; where: string }, port: number): string[] {
  const { embedded, standIns, config } = runtime;
  const database = embedded
    ? `embedded PostgreSQL ${embedded.version} on 127.0.0.1:${embedded.port} (database roster), data in ${embedded.dataDirectory}`
    : `PostgreSQL at ${withoutPassword(config.DATABASE_URL)} (DATABASE_URL)`;
  const queues =
    queue.kind === 'redis'
      ? `Redis at ${queue.where} (REDIS_URL)`
      : `PostgreSQL, BullMQ's backend in the same database (schema bullmq; set REDIS_URL for Redis)`;
  const lines = [
    `Roster ${standIns.database || standIns.queue || config.slackConsole ? 'in local mode ' : ''}on http://localhost:${port}/ (role ${config.ROSTER_ROLE})`,
    `  database: ${database}`,
    `  queues:   ${queues}`,
    `  Slack:    ${config.slackConsole ? `none: the local console stands in for it at http://localhost:${port}/ (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET for Slack)` : config.SLACK_APP_TOKEN ? 'Socket Mode' : `HTTP, Web API at ${config.SLACK_API_URL}`}`,
  ];
  if (runtime.demoEmail) lines.push(`  demo:     organisation "${DEMO_ORGANISATION}" seeded with ${DEMO_ACCOUNTS} accounts; try /user ${runtime.demoEmail}`);
  if (embedded) lines.push(`  reset:    npm run roster -- local reset (stop Roster first) wipes ${standIns.directory}`);
  return lines;
}

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.toString();
}

/** `npm run roster -- local reset`: refuses while a Roster runs from the directory, else stops its server and wipes it. */
export async function resetLocalDirectory(env: NodeJS.ProcessEnv): Promise<string> {
  const directory = localDirectory(env);
  const pid = await runningRoster(directory);
  if (pid) throw new LocalResetRefused(`Roster runs in local mode from ${directory} (process ${pid}): stop it first (Ctrl-C or kill ${pid}), then reset.`);
  await stopEmbeddedPostgres(directory);
  await rm(directory, { recursive: true, force: true });
  return `Wiped ${directory}: the next start makes a new database with the demo organisation.`;
}

export class LocalResetRefused extends Error {}
