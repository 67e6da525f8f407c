// What the benchmarks share: the bench database on DATABASE_URL's server, latency percentiles, signed Slack requests.
import { createHmac, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { withDefaultUser } from '../src/config.ts';
import { createOrm, migrate } from '../src/db/orm.ts';
import { seedDemo } from '../src/db/seedDemo.ts';

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

/** Other sessions on the bench database (another benchmark seeding or measuring). */
async function otherSessions(): Promise<number> {
  return withClient('postgres', async (client) => {
    const { rows } = await client.query<{ n: string }>('select count(*) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [
      BENCH_DATABASE,
    ]);
    return Number(rows[0]?.n ?? 0);
  });
}

/**
 * Makes sure the bench database holds `users` demo accounts, migrated: reused when it does, topped up with seedDemo
 * otherwise (only while nobody else uses it); never dropped.
 */
export async function ensureDemoAccounts(users: number, say: (message: string) => void): Promise<{ reused: boolean; seedSeconds: number | null }> {
  const found = await existingAccounts();
  const missing = Math.max(0, users - found);
  if (missing > 0) {
    const others = await otherSessions();
    if (others > 0)
      throw new Error(`${BENCH_DATABASE} holds ${found} of ${users} demo accounts and ${others} other session(s) use it; run again when they are done`);
    say(`${BENCH_DATABASE} holds ${found} demo accounts; seeding ${missing} more...`);
  } else {
    say(`reusing ${BENCH_DATABASE} (${found} demo accounts)`);
  }
  const orm = await createOrm(databaseUrl(BENCH_DATABASE), () => {});
  try {
    // New expression indexes have no statistics until the table is analysed again.
    if ((await migrate(orm)).length > 0) await orm.em.execute('analyze account');
    if (missing === 0) return { reused: true, seedSeconds: null };
    const started = performance.now();
    await seedDemo(orm.em.fork(), { users: missing, organisation: BENCH_ORGANISATION });
    return { reused: false, seedSeconds: round((performance.now() - started) / 1000, 1) };
  } finally {
    await orm.close();
  }
}

/** A `/user` slash command as Slack sends it, signed with the app's signing secret, ready for fetch. */
export function signedCommand(signingSecret: string, command: { userId: string; text: string; responseUrl: string }): RequestInit {
  const body = new URLSearchParams({
    token: 'bench-verification-token',
    team_id: 'T0BENCH',
    team_domain: 'bench',
    channel_id: 'C0BENCH',
    channel_name: 'bench',
    user_id: command.userId,
    user_name: command.userId.toLowerCase(),
    command: '/user',
    text: command.text,
    api_app_id: 'A0ROSTER',
    is_enterprise_install: 'false',
    response_url: command.responseUrl,
    trigger_id: `${Date.now()}.${randomBytes(8).toString('hex')}`,
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    method: 'POST',
    // Bolt's receiver parses a form body only when the content type is exactly this (no charset).
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
    body,
  };
}

/** The Node flags `npm start` gives the app (package.json's start script), so a process started here runs as in production. */
export async function npmStartFlags(): Promise<string[]> {
  const scripts = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')).scripts as { start: string };
  return scripts.start.split(' ').filter((word) => word.startsWith('--'));
}
