import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger } from 'pino';

/**
 * A token bucket per key (GCRA: one timestamp per key), shared by every Roster process through Redis or PostgreSQL. A
 * bucket holds `burst` tokens and refills one every `intervalMs`; the script answers 0 when a token was taken, else the
 * milliseconds until the next one. The store's own clock is used, so processes on skewed clocks agree.
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

/** How long a rate-limit check may wait for its store before the request goes ahead without it. */
const REDIS_WAIT_MS = 250;
/** At most one warning per this interval while the store is away, not one per request. */
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

/** The same GCRA step as one statement: the upsert takes a token when one is due, else the row is left and its wait read. */
const TAKE_TOKEN_SQL = `
with now as (select (extract(epoch from clock_timestamp()) * 1000)::bigint as ms),
taken as (
  insert into roster_shared.rate_bucket as b (key, tat_ms)
  select $1, ms + $2 from now
  on conflict (key) do update set tat_ms = greatest(b.tat_ms, (select ms from now)) + $2
    where greatest(b.tat_ms, (select ms from now)) - ($3 - 1) * $2 <= (select ms from now)
  returning 0::bigint as wait
)
select coalesce(
  (select wait from taken),
  (select greatest(b.tat_ms, now.ms) - ($3 - 1) * $2 - now.ms from roster_shared.rate_bucket b, now where b.key = $1),
  $2
) as wait`;

/**
 * Rate limits of the HTTP API in Redis (sign-in and SCIM). While Redis is away or slow, a check lets the request through (fail open, with a
 * warning): the sign-in API keeps answering, and the per-account lockout still bounds password guessing.
 */
export function redisRateLimiter(redisUrl: string, prefix: string, limits: RateLimits, logger: Logger): RateLimiter {
  // Its own connection, without the offline queue BullMQ's connection needs: a command fails at once while Redis is away.
  const redis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: REDIS_WAIT_MS, lazyConnect: false });
  redis.on('error', () => undefined); // reported below, once a minute, when a check fails
  // A defined command is sent by its digest (EVALSHA), not as the script's text on every request.
  const buckets = redis as Redis & { takeToken(key: string, intervalMs: number, burst: number): Promise<number> };
  buckets.defineCommand('takeToken', { numberOfKeys: 1, lua: TAKE_TOKEN });
  return tokenBuckets(
    limits,
    logger,
    'Redis',
    async (key, interval, burst) => Number(await buckets.takeToken(`${prefix}:sign-in-limit:${key}`, interval, burst)),
    () => redis.disconnect(),
  );
}

/** The same limits in PostgreSQL (the queue's database when there is no Redis); fail open likewise, after the same wait. */
export function postgresRateLimiter(pool: pg.Pool, limits: RateLimits, logger: Logger): RateLimiter {
  let takes = 0;
  return tokenBuckets(
    limits,
    logger,
    'PostgreSQL',
    async (key, interval, burst) => {
      // Buckets whose time has passed are full again: swept now and then, as Redis expires them.
      if (++takes % 1000 === 0)
        void pool.query(`delete from roster_shared.rate_bucket where tat_ms < (extract(epoch from clock_timestamp()) * 1000)::bigint`).catch(() => undefined);
      const query = pool.query<{ wait: string }>(TAKE_TOKEN_SQL, [`sign-in-limit:${key}`, interval, burst]);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${REDIS_WAIT_MS} ms`)), REDIS_WAIT_MS);
      });
      try {
        return Number((await Promise.race([query, late])).rows[0]!.wait);
      } finally {
        clearTimeout(timer);
        query.catch(() => undefined);
      }
    },
    () => undefined,
  );
}

function tokenBuckets(
  limits: RateLimits,
  logger: Logger,
  store: string,
  take: (key: string, intervalMs: number, burst: number) => Promise<number>,
  close: () => void,
): RateLimiter {
  let warnedAt = 0;
  const perMinute = { ip: limits.perIpPerMinute, login: limits.perLoginPerMinute, 'scim-token': limits.perScimTokenPerMinute };
  return {
    async take(kind, key) {
      const burst = perMinute[kind];
      const interval = Math.ceil(60_000 / burst);
      // Keys hold a digest, so the store holds no login or address in clear.
      const bucket = `${kind}:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
      try {
        const waitMs = await take(bucket, interval, burst);
        return waitMs > 0 ? { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) } : { allowed: true };
      } catch (error) {
        if (Date.now() - warnedAt > WARN_EVERY_MS) {
          warnedAt = Date.now();
          logger.warn(
            { err: error },
            kind === 'scim-token'
              ? `SCIM rate limits are not checked: ${store} does not answer (SCIM requests go ahead)`
              : `sign-in rate limits are not checked: ${store} does not answer (sign-ins go ahead; the lockout still counts)`,
          );
        }
        return { allowed: true };
      }
    },
    close,
  };
}
