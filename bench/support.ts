// What both benchmarks share: the bench database on DATABASE_URL's server and latency percentiles.
import pg from 'pg';
import { withDefaultUser } from '../src/config.ts';

/** Both benchmarks seed (or reuse) this database, with the demo organisation. */
export const BENCH_DATABASE = 'roster_bench';
export const BENCH_ORGANISATION = 'demo';

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** The same server as DATABASE_URL (with its default user), another database. */
export function databaseUrl(database: string): string {
  const url = new URL(withDefaultUser(process.env.DATABASE_URL ?? 'postgres://127.0.0.1:5432/roster'));
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withClient<T>(database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl(database) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Accounts the bench database holds in the demo organisation; 0 when it or its tables do not exist yet. */
export async function existingAccounts(): Promise<number> {
  const exists = await withClient(
    'postgres',
    async (client) => (await client.query('select 1 from pg_database where datname = $1', [BENCH_DATABASE])).rowCount === 1,
  );
  if (!exists) return 0;
  return withClient(BENCH_DATABASE, async (client) => {
    const { rows } = await client.query<{ n: string | null }>(
      `select case when to_regclass('account') is null then 0
         else (select count(*) from account a join organisation o on o.id = a.organisation_id where o.slug = $1) end as n`,
      [BENCH_ORGANISATION],
    );
    return Number(rows[0]?.n ?? 0);
  });
}

export function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: round(sorted[sorted.length - 1]!) };
}

export function round(ms: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(ms * f) / f;
}
