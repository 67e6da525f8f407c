import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';

/**
 * Field names whose values never reach a log line, wherever they sit in the logged object. Matching is exact, so
 * header names are listed as Node receives them (lower case) and as clients often write them.
 */
const SECRET_KEYS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'password',
  'temporaryPassword',
  'secret',
  'authorization',
  'Authorization',
  'cookie',
  'clientSecret',
  'totpSecret',
  'totp',
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

/**
 * A URL or path as it may appear in a log line: without its query string or fragment, and with every segment that
 * could be a credential (a mailed link's token, an API key, an ID) replaced. Short words such as `invitation`,
 * `v2` or `Users` stay, so the line still says which route was asked for.
 */
export function pathForLog(url: string): string {
  const [path = ''] = url.split(/[?#]/, 1);
  return path
    .split('/')
    .map((segment) => (looksLikeSecret(segment) ? '[redacted]' : segment))
    .join('/');
}

/** `text` with every path or URL in it passed through `pathForLog`: for messages written by libraries, which interpolate URLs. */
export function scrubPaths(text: string): string {
  return text.replace(PATH_IN_TEXT, (match) => pathForLog(match));
}

/** A path (`/x...`) or an absolute URL (`https://host/x...`), up to the next white space or closing punctuation. */
const PATH_IN_TEXT = /(?:\b[a-z][a-z0-9+.-]*:\/\/)?\/[^\s"'<>()]*/gi;

// Roster's own tokens are 43 characters of base64url; IDs are UUIDs. Anything long, percent-encoded, carrying `=`,
// or mixing letters and digits beyond a short version tag (`v1`, `v2`) is treated as one.
function looksLikeSecret(segment: string): boolean {
  if (segment.length >= 20 || /[=%]/.test(segment)) return true;
  return segment.length >= 8 && /\d/.test(segment) && /[a-z]/i.test(segment);
}

export type { Logger };
