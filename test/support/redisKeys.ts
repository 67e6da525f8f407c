import { Redis } from 'ioredis';

/** What a test's or benchmark's Roster left in Redis under its prefix (on PostgreSQL queues, its database goes whole). */
export async function removeRedisKeys(url: string | undefined, prefix: string): Promise<void> {
  if (!url) return;
  const redis = new Redis(url);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 })) if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
