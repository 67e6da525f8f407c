import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A token bucket per key (GCRA: one timestamp per key), shared by every Roster process through Redis. A bucket holds
 * `burst` tokens and refills one every `intervalMs`; the script answers 0 when a token was taken, else the
 * milliseconds until the next one. Redis's own clock is used, so processes on skewed clocks agree.
 */
const TAKE_TOKEN = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local allowAt = tat - (burst - 1) * interval
if now < allowAt then return allowAt - now end
local nextTat = tat + interval
redis.call('SET', KEYS[1], string.format('%d', nextTat), 'PX', math.ceil(nextTat - now))
return 0`;

/** How long a rate-limit check may wait for Redis before the request goes ahead without it. */
const REDIS_WAIT_MS = 250;
/** At most one warning per this interval while Redis is away, not one per request. */
const WARN_EVERY_MS = 60_000;

export type RateLimitKind = 'ip' | 'login' | 'scim-token';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Takes one attempt from the bucket of `key` (an IP address, a folded login, a SCIM token's name). */
  take(kind: RateLimitKind, key: string): Promise<RateDecision>;
  close(): void;
}

export interface RateLimits {
  /** Attempts per minute, refilled evenly; also the burst allowed at once. */
  perIpPerMinute: number;
  perLoginPerMinute: number;
  /** SCIM requests per minute for one token. */
  perScimTokenPerMinute: number;
}

/**
 * Rate limits of the HTTP API in Redis (sign-in and SCIM). While Redis is away or slow, a check lets the request through (fail open, with a
 * warning): the sign-in API keeps answering, and the per-account lockout still bounds password guessing.
 */
export function redisRateLimiter(redisUrl: string, prefix: string, limits: RateLimits, logger: Logger): RateLimiter {
  // Its own connection, without the offline queue BullMQ's connection needs: a command fails at once while Redis is away.
  const redis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: REDIS_WAIT_MS, lazyConnect: false });
  redis.on('error', () => undefined); // reported below, once a minute, when a check fails
  let warnedAt = 0;
  const perMinute = { ip: limits.perIpPerMinute, login: limits.perLoginPerMinute, 'scim-token': limits.perScimTokenPerMinute };
  return {
    async take(kind, key) {
      const burst = perMinute[kind];
      const interval = Math.ceil(60_000 / burst);
      // Keys hold a digest, so Redis holds no login or address in clear.
      const bucket = `${prefix}:sign-in-limit:${kind}:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
      try {
        const waitMs = Number(await redis.eval(TAKE_TOKEN, 1, bucket, interval, burst));
        return waitMs > 0 ? { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) } : { allowed: true };
      } catch (error) {
        if (Date.now() - warnedAt > WARN_EVERY_MS) {
          warnedAt = Date.now();
          logger.warn(
            { err: error },
            kind === 'scim-token'
              ? 'SCIM rate limits are not checked: Redis does not answer (SCIM requests go ahead)'
              : 'sign-in rate limits are not checked: Redis does not answer (sign-ins go ahead; the lockout still counts)',
          );
        }
        return { allowed: true };
      }
    },
    close() {
      redis.disconnect();
    },
  };
}
