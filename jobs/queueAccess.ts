import type { Logger } from 'pino';
import type { MailQueue, Scheduler } from '../src/actions/action.ts';
import { queueScheduler } from './lockExpiry.ts';
import { QUEUE_HAND_OFF_MS, settlesWithin } from './handOff.ts';
import type { QueueBackend } from './queueBackend.ts';
import { createQueues, type Queues } from './queues.ts';
import { outboxMailQueue } from './sendMail.ts';

/**
 * Queue access for a short-lived process (the CLI): the queue backend is opened only when an action schedules work, so
 * commands that schedule nothing run without it (without Redis, say).
 */
export function lazyQueueAccess(openBackend: () => Promise<QueueBackend>, logger: Logger): { scheduler: Scheduler; mail: MailQueue; close(): Promise<void> } {
  let opening: Promise<{ backend: QueueBackend; queues: Queues }> | undefined;
  const open = async () => {
    opening ??= openBackend().then((backend) => ({ backend, queues: createQueues(backend, logger) }));
    return (await opening).queues;
  };
  return {
    scheduler: { lockExpiry: async (accountId, at) => queueScheduler(await open(), logger).lockExpiry(accountId, at) },
    mail: {
      send: async (outboxId) => outboxMailQueue(await open(), logger).send(outboxId),
      sendAll: async (outboxIds) => outboxMailQueue(await open(), logger).sendAll(outboxIds),
    },
    async close() {
      const opened = await opening?.catch(() => undefined);
      if (!opened) return;
      const { backend, queues } = opened;
      // A queue waits for Redis before it closes: with Redis away the CLI would never exit. What it could not hand
      // over is done by the workers' recovery passes.
      await settlesWithin(queues.close(), QUEUE_HAND_OFF_MS);
      await settlesWithin(backend.close(), QUEUE_HAND_OFF_MS);
    },
  };
}
