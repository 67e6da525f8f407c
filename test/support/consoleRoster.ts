// Roster as `npm start` runs it with no Slack credentials: the local console stands in for Slack on a fixed port,
// against this test file's own database and queues.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { startRoster, type Roster } from '../../src/roster.ts';
import { createTestDatabase } from './database.ts';
import { removeRedisKeys } from './redisKeys.ts';
import { given, queueEnv, type Given } from './testRoster.ts';

export interface ConsoleRoster {
  roster: Roster;
  config: Config;
  /** http://localhost:<port>/, the console's page. */
  url: string;
  given: Given;
  logs(): string;
  stop(): Promise<void>;
}

/** A port nobody listens on now: the console must know its own address before the app starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startConsoleRoster(env: Record<string, string> = {}): Promise<ConsoleRoster> {
  const database = await createTestDatabase(inject('templateDatabase'));
  const port = await freePort();
  const prefix = `roster-test-${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    DATABASE_URL: database.url,
    ...queueEnv(inject('queueBackends')[0]!),
    REDIS_PREFIX: prefix,
    PORT: String(port),
    LOG_LEVEL: 'info',
    ROSTER_SHUTDOWN_GRACE_SECONDS: '5',
    ...env,
  });
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const roster = await startRoster(config, createLogger(config.LOG_LEVEL, sink));
  return {
    roster,
    config,
    url: `http://localhost:${port}/`,
    given: given(roster),
    logs: () => lines.join(''),
    async stop() {
      await roster.stop();
      await removeRedisKeys(config.REDIS_URL, prefix);
      await database.drop();
    },
  };
}
