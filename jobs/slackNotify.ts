import { RateLimitError, type Job, type Queue } from 'bullmq';
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { SlackNotification } from './queues.ts';

/** chat.postMessage allows about one message a second per channel; every worker process shares this budget in Redis. */
export const SLACK_NOTIFY_LIMIT = { max: 1, duration: 1000 };

/**
 * Posts one message. On a 429 the whole queue, in every worker process, pauses for Slack's Retry-After and the job
 * is retried then, so no job holds a lock while it waits.
 */
export async function processSlackNotification(job: Job<SlackNotification>, slack: WebClient, queue: Queue<SlackNotification>): Promise<void> {
  try {
    await slack.chat.postMessage({ channel: job.data.channel, text: job.data.text, ...(job.data.blocks ? { blocks: job.data.blocks } : {}) });
  } catch (error) {
    if ((error as { code?: string }).code === ErrorCode.RateLimitedError) {
      const retryAfterSeconds = (error as { retryAfter?: number }).retryAfter ?? 1;
      await queue.rateLimit(retryAfterSeconds * 1000);
      throw new RateLimitError();
    }
    throw error;
  }
}
