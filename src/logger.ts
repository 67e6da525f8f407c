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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'roster' },
      redact: { paths: [...redactPaths, 'headers["x-slack-signature"]', 'req.headers.authorization'], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export type { Logger };
