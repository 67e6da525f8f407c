import type { Logger } from 'pino';
import { OutboxMail } from '../src/db/entities/index.ts';
import type { Orm } from '../src/db/orm.ts';
import { OUTBOX_PASS_JOB, OUTBOX_PASS_SCHEDULER, SEND_MAIL_JOB, type Queues } from './queues.ts';
import { upsertSchedule } from './scheduler.ts';

/** Mail still unsent this long after it was queued is given up, with a warning, rather than retried for ever. */
export const OUTBOX_GIVE_UP_AFTER_MS = 24 * 3600 * 1000;
const PASS_BATCH = 500;

export interface OutboxPassDeps {
  orm: Orm;
  logger: Logger;
  queues: Queues;
}

/**
 * Every `everyMs` (ROSTER_OUTBOX_PASS_SECONDS) the workers look for outbox mail whose job was lost: Redis restarted, or
 * was away when the action asked for the send. Upserting is idempotent, so every worker process may call it at start;
 * one pass also runs at once.
 */
export async function scheduleOutboxPass(queues: Queues, everyMs: number): Promise<void> {
  await upsertSchedule(queues.mail, OUTBOX_PASS_SCHEDULER, { every: everyMs }, OUTBOX_PASS_JOB);
  await queues.mail.add(OUTBOX_PASS_JOB, {});
}

/**
 * Makes sure every unsent outbox row has a live job: queues the ones Redis lost, retries the ones whose retries ran
 * out (an SMTP server down for a while). Sending is idempotent, so queueing a row twice sends it once.
 */
export async function processOutboxPass(deps: OutboxPassDeps): Promise<{ requeued: number; givenUp: number }> {
  const em = deps.orm.em.fork();
  const stale = await em.find(
    OutboxMail,
    { sentAt: null, cancelledAt: null, createdAt: { $lt: new Date(Date.now() - OUTBOX_GIVE_UP_AFTER_MS) } },
    { limit: PASS_BATCH },
  );
  for (const mail of stale) {
    const lastError = `given up: not sent within ${OUTBOX_GIVE_UP_AFTER_MS / 3_600_000} hours; last error: ${mail.lastError ?? 'none'}`.slice(0, 1000);
    await em.nativeUpdate(OutboxMail, { id: mail.id, sentAt: null }, { cancelledAt: new Date(), lastError });
    deps.logger.warn(
      { outboxId: mail.id, template: mail.template, accountId: mail.accountId, attempts: mail.attempts, lastError: mail.lastError },
      'mail given up',
    );
  }

  const queue = deps.queues.mail;
  const unsent = await em.find(OutboxMail, { sentAt: null, cancelledAt: null }, { fields: ['id'], orderBy: { createdAt: 'asc' }, limit: PASS_BATCH });
  let requeued = 0;
  for (const { id } of unsent) {
    const state = await queue.getJobState(id);
    if (state === 'failed') {
      await (await queue.getJob(id))?.retry('failed');
    } else if (state === 'unknown' || state === 'completed') {
      if (state === 'completed') await (await queue.getJob(id))?.remove();
      await queue.add(SEND_MAIL_JOB, { outboxId: id }, { jobId: id });
    } else {
      continue; // waiting, delayed or running: it will be sent
    }
    requeued++;
  }
  if (requeued || stale.length) deps.logger.info({ requeued, givenUp: stale.length }, 'outbox pass');
  return { requeued, givenUp: stale.length };
}
