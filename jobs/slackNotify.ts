import { RateLimitError, type Job, type Worker } from 'bullmq';
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { SlackNotification } from './queues.ts';

/** Posts one message. On a 429 the whole queue pauses for Slack's Retry-After and the job is retried then. */
export async function processSlackNotification(job: Job<SlackNotification>, slack: WebClient, worker: Worker): Promise<void> {
  try {
    await slack.chat.postMessage({ channel: job.data.channel, text: job.data.text, ...(job.data.blocks ? { blocks: job.data.blocks as any } : {}) });
  } catch (error) {
    if ((error as { code?: string }).code === ErrorCode.RateLimitedError) {
      const retryAfterSeconds = (error as { retryAfter?: number }).retryAfter ?? 1;
      await worker.rateLimit(retryAfterSeconds * 1000);
      throw new RateLimitError();
    }
    throw error;
  }
}
