import type { Redis } from 'ioredis';
import type pg from 'pg';

/**
 * A token bucket shared by every worker process (in Redis or PostgreSQL): Slack allows about 50 `chat.update` calls a
 * minute per workspace for the whole app, so all progress edits draw from one budget. The store's own clock refills
 * it, so processes whose clocks disagree still share it fairly.
 */
const TAKE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + (now - at) * rate)
local granted = 0
if tokens >= 1 then
  tokens = tokens - 1
  granted = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 600000)
return granted`;

/** Calls the budget may spend at once after a quiet spell. */
export const SLACK_UPDATE_BURST = 5;

export interface SlackBudget {
  /** Takes one call from the budget if there is one now; false means skip this edit (a later one shows the same). */
  tryTake(): Promise<boolean>;
  /** Waits until there is one (the final summary must go out), checking every `pollMs`, for at most `maxMs`. */
  take(maxMs: number): Promise<boolean>;
}

/** `perMinute` calls a minute on average, with a burst of `burst`, in Redis. */
export function redisSlackBudget(redis: Redis, key: string, perMinute: number, burst: number): SlackBudget {
  const ratePerMs = perMinute / 60_000;
  return budgetOf(async () => (await redis.eval(TAKE, 1, key, String(ratePerMs), String(burst))) === 1, ratePerMs);
}

/** The same bucket as one upsert on an unlogged table: a new bucket starts full, with one token taken. */
const TAKE_SQL = `
with now as (select (extract(epoch from clock_timestamp()) * 1000)::bigint as ms)
insert into roster_shared.token_budget as b (key, tokens, at_ms, granted)
select $1, $3::float8 - 1, ms, true from now
on conflict (key) do update set
  tokens = least($3, b.tokens + (excluded.at_ms - b.at_ms) * $2::float8)
    - case when least($3, b.tokens + (excluded.at_ms - b.at_ms) * $2::float8) >= 1 then 1 else 0 end,
  granted = least($3, b.tokens + (excluded.at_ms - b.at_ms) * $2::float8) >= 1,
  at_ms = excluded.at_ms
returning granted`;

export function postgresSlackBudget(pool: pg.Pool, key: string, perMinute: number, burst: number): SlackBudget {
  const ratePerMs = perMinute / 60_000;
  return budgetOf(async () => (await pool.query<{ granted: boolean }>(TAKE_SQL, [key, ratePerMs, burst])).rows[0]!.granted, ratePerMs);
}

function budgetOf(tryTake: () => Promise<boolean>, ratePerMs: number): SlackBudget {
  return {
    tryTake,
    async take(maxMs) {
      const deadline = Date.now() + maxMs;
      for (;;) {
        if (await tryTake()) return true;
        if (Date.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, Math.ceil(1 / ratePerMs / 4)));
      }
    },
  };
}
