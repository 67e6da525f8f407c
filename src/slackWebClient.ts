import { WebClient, LogLevel } from '@slack/web-api';
import type { Logger } from 'pino';
import { scrubPaths } from './logger.ts';

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

/**
 * Bolt and the Slack SDKs log plain strings into which they interpolate URLs (a request's, with its query); the
 * paths in them are scrubbed before the line is written, so a library's message cannot carry a token.
 */
export function slackLogger(logger: Logger) {
  const child = logger.child({ component: 'slack' });
  // Bolt logs at debug on every request: skip the join and the scrub for levels that are off.
  const writer =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) => {
      if (child.isLevelEnabled(level)) child[level](scrubPaths(msg.join(' ')));
    };
  return {
    debug: writer('debug'),
    info: writer('info'),
    warn: writer('warn'),
    error: writer('error'),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}
