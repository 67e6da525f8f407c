import { ConfigError, loadConfig } from './config.ts';
import { describeRuntime, type LocalRuntime, startLocalRuntime } from './local/runtime.ts';
import { createLogger } from './logger.ts';
import { startRoster } from './roster.ts';

let config: ReturnType<typeof loadConfig>;
let runtime: LocalRuntime;
try {
  config = loadConfig();
  // With DATABASE_URL unset the embedded PostgreSQL stands in (and with REDIS_URL unset, the queues live in PostgreSQL).
  runtime = await startLocalRuntime(config, process.env, { app: true });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const logger = createLogger(config.LOG_LEVEL);
let roster: Awaited<ReturnType<typeof startRoster>>;
try {
  roster = await startRoster(runtime.config, logger);
} catch (error) {
  await runtime.stop();
  throw error;
}
// Once, for a person: in local mode or at a terminal. A deployed Roster's output stays JSON log lines only.
if (runtime.standIns.database || runtime.standIns.queue || runtime.config.slackConsole || process.stderr.isTTY)
  console.error(describeRuntime(runtime, roster.queueBackend, roster.port).join('\n'));

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing running jobs');
    roster
      .stop()
      .then(() => runtime.stop())
      .then(
        () => process.exit(0),
        (error) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  });
}
