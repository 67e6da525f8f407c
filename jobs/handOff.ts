import type { Logger } from 'pino';

/**
 * How long an action's follow-up waits for Redis to take a job. Slack wants its answer within 3 s, and ioredis (with
 * `maxRetriesPerRequest: null`, which BullMQ requires) holds a command for as long as Redis is away.
 */
export const QUEUE_HAND_OFF_MS = 750;

/**
 * Waits at most QUEUE_HAND_OFF_MS for Redis to take a job, then gives up with a warning; a recovery pass does the work
 * once Redis is back. ioredis still sends a command given up here when Redis returns, so every job handed off this way
 * must be safe to add twice or late: its job id deduplicates it, and its processor checks Postgres before acting.
 * `about` names the work in the log; it holds ids only, never a secret.
 */
export async function handOff(adding: Promise<unknown>, logger: Logger, about: Record<string, string>): Promise<void> {
  if (await settlesWithin(adding, QUEUE_HAND_OFF_MS)) {
    await adding; // a refusal by Redis is the caller's to report
    return;
  }
  logger.warn({ ...about, waitedMs: QUEUE_HAND_OFF_MS }, 'the job queue did not take a job in time; a recovery pass does it once Redis answers');
  adding.then(
    () => logger.info(about, 'the job queue took a job late'),
    (error: unknown) => logger.warn({ ...about, err: error }, 'a job handed off late was not added; a recovery pass does it'),
  );
}

/** Whether `work` settles (either way) within `ms`; it goes on running if not. */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
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
