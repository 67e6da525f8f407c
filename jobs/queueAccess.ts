import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { MailQueue, Scheduler } from '../src/actions/action.ts';
import { queueScheduler } from './lockExpiry.ts';
import { QUEUE_HAND_OFF_MS, settlesWithin } from './handOff.ts';
import { createQueues, type Queues } from './queues.ts';
import { outboxMailQueue } from './sendMail.ts';

/**
 * Queue access for a short-lived process (the CLI): Redis is connected only when an action schedules work, so commands
 * that schedule nothing run without Redis.
 */
export function lazyQueueAccess(redisUrl: string, prefix: string, logger: Logger): { scheduler: Scheduler; mail: MailQueue; close(): Promise<void> } {
  let redis: Redis | undefined;
  let queues: Queues | undefined;
  const open = () => {
    redis ??= new Redis(redisUrl, { maxRetriesPerRequest: null });
    queues ??= createQueues(redis, prefix, logger);
    return queues;
  };
  return {
    scheduler: { lockExpiry: (accountId, at) => queueScheduler(open(), logger).lockExpiry(accountId, at) },
    mail: { send: (outboxId) => outboxMailQueue(open(), logger).send(outboxId), sendAll: (outboxIds) => outboxMailQueue(open(), logger).sendAll(outboxIds) },
    async close() {
      // A queue waits for Redis before it closes: with Redis away the CLI would never exit. What it could not hand
      // over is done by the workers' recovery passes.
      if (queues) await settlesWithin(queues.close(), QUEUE_HAND_OFF_MS);
      redis?.disconnect();
    },
  };
}
