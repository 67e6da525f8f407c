import type { Redis } from 'ioredis';
import type pg from 'pg';

/**
 * Small state every Roster process shares besides the queues, in Redis or in PostgreSQL. In PostgreSQL it lives in the
 * schema `roster_shared`, apart from the entities' tables (so MikroORM's migrations neither see nor drop it): rate-limit
 * buckets and the Slack budget in unlogged tables (losing them in a crash only resets the limits, as a Redis without
 * persistence does), claims and Home viewers in ordinary ones.
 */
export async function createSharedState(client: pg.PoolClient): Promise<void> {
  await client.query('begin');
  try {
    // One starter at a time: concurrent `create ... if not exists` can still collide on the catalog.
    await client.query(`select pg_advisory_xact_lock(hashtext('roster_shared'))`);
    await client.query(`
      create schema if not exists roster_shared;
      create unlogged table if not exists roster_shared.rate_bucket (key text primary key, tat_ms bigint not null);
      create unlogged table if not exists roster_shared.token_budget (key text primary key, tokens double precision not null, at_ms bigint not null, granted boolean not null);
      create table if not exists roster_shared.claim (key text primary key, expires_at timestamptz not null);
      create table if not exists roster_shared.home_viewer (slack_user_id text primary key, opened_at timestamptz not null);
    `);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

/** A claim on a key for a while: the first to ask gets it; the others get it only once it has expired. */
export interface Claims {
  claim(key: string, ttlMs: number): Promise<boolean>;
}

/** Who opened their Home tab lately. */
export interface HomeViewers {
  opened(slackUserId: string): Promise<void>;
  /** Those who opened it at or after `since` (epoch ms); older entries are forgotten. */
  since(since: number): Promise<string[]>;
  forget(slackUserId: string): Promise<void>;
}

export function redisClaims(redis: Redis, prefix: string): Claims {
  return {
    claim: async (key, ttlMs) => (await redis.set(`${prefix}:${key}`, '1', 'PX', ttlMs, 'NX')) === 'OK',
  };
}

export function postgresClaims(pool: pg.Pool): Claims {
  return {
    async claim(key, ttlMs) {
      const { rowCount } = await pool.query(
        `insert into roster_shared.claim as c (key, expires_at) values ($1, clock_timestamp() + $2 * interval '1 millisecond')
         on conflict (key) do update set expires_at = excluded.expires_at where c.expires_at <= clock_timestamp()`,
        [key, ttlMs],
      );
      // Expired claims nobody asks for again are swept now and then, as Redis expires its keys.
      if (Math.random() < 0.01) await pool.query('delete from roster_shared.claim where expires_at <= clock_timestamp()');
      return rowCount === 1;
    },
  };
}

const viewersKey = (prefix: string) => `${prefix}:home-viewers`;

export function redisHomeViewers(redis: Redis, prefix: string): HomeViewers {
  const key = viewersKey(prefix);
  return {
    async opened(slackUserId) {
      await redis.zadd(key, Date.now(), slackUserId);
    },
    async since(since) {
      await redis.zremrangebyscore(key, '-inf', since);
      return redis.zrangebyscore(key, since, '+inf');
    },
    async forget(slackUserId) {
      await redis.zrem(key, slackUserId);
    },
  };
}

export function postgresHomeViewers(pool: pg.Pool): HomeViewers {
  return {
    async opened(slackUserId) {
      await pool.query(
        `insert into roster_shared.home_viewer (slack_user_id, opened_at) values ($1, $2)
         on conflict (slack_user_id) do update set opened_at = excluded.opened_at`,
        [slackUserId, new Date()],
      );
    },
    async since(since) {
      const at = new Date(since);
      await pool.query('delete from roster_shared.home_viewer where opened_at < $1', [at]);
      const { rows } = await pool.query<{ slack_user_id: string }>(
        'select slack_user_id from roster_shared.home_viewer where opened_at >= $1 order by opened_at',
        [at],
      );
      return rows.map((row) => row.slack_user_id);
    },
    async forget(slackUserId) {
      await pool.query('delete from roster_shared.home_viewer where slack_user_id = $1', [slackUserId]);
    },
  };
}
