import { WebClient, LogLevel } from '@slack/web-api';
import type { Logger } from 'pino';

/**
 * A Web API client for work outside a Slack request (jobs). It does not sleep on 429 itself: the job hands the wait
 * to BullMQ so that no job lock is held while waiting. Every call goes to SLACK_API_URL.
 */
export function createJobSlackClient(token: string | undefined, slackApiUrl: string, logger: Logger): WebClient {
  return new WebClient(token, {
    slackApiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
    logger: slackLogger(logger),
  });
}

export function slackLogger(logger: Logger) {
  const child = logger.child({ component: 'slack' });
  return {
    debug: (...msg: unknown[]) => child.debug(msg.join(' ')),
    info: (...msg: unknown[]) => child.info(msg.join(' ')),
    warn: (...msg: unknown[]) => child.warn(msg.join(' ')),
    error: (...msg: unknown[]) => child.error(msg.join(' ')),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}
