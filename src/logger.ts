import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';

/** Field names whose values never reach a log line, wherever they sit in the logged object. */
const SECRET_KEYS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'password',
  'temporaryPassword',
  'secret',
  'authorization',
  'cookie',
  'clientSecret',
  'totpSecret',
];

export const redactPaths = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]);

const requestFields = new AsyncLocalStorage<Record<string, unknown>>();

/**
 * Runs `work` so that every line logged within it, by any logger made here and its children, carries `fields` (a
 * request's id and caller). Cheaper than a child logger per request, which pino builds and redacts up front even
 * when the request logs nothing.
 */
export function withLogFields<T>(fields: Record<string, unknown>, work: () => T): T {
  return requestFields.run(fields, work);
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'roster' },
      redact: { paths: [...redactPaths, 'headers["x-slack-signature"]', 'req.headers.authorization'], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => requestFields.getStore() ?? {},
    },
    destination,
  );
}

export type { Logger };
