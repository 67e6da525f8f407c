/**
 * `npm run bench:typeahead [-- --users N] [-- --queries N]`: the account picker's suggestions (block_suggestion for
 * `account.pick`) as you type 1, 2, 3 and 6 characters, against the single best bare index scan for the same text.
 *
 * Uses the database `roster_bench` on DATABASE_URL's server, shared with bench/lookup.ts: reused when its
 * organisation "demo" holds at least N accounts (default a million); otherwise topped up with seedDemo (which adds
 * to what is there), and only while nobody else is connected to it. It is never dropped here.
 *
 * Every query is a prefix of a seeded account's first name, last name, full name, username or email (in the case
 * people type), or text that matches nothing. The measured call is `accountOptions`, exactly what the options
 * handler answers with: the caller's grants, runAction (input check, grant check, transaction) and the search.
 * Prints one JSON object and a one-line summary; exits 0 whether or not the targets are met, 1 on errors.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { runAction, type ActionServices } from '../src/actions/action.ts';
import { cliActor, slackActor } from '../src/actions/actor.ts';
import { grantRole } from '../src/actions/access/grantRole.ts';
import { SEARCH_RESULT_LIMIT } from '../src/actions/accounts/searchAccounts.ts';
import { escapeLike } from '../src/db/like.ts';
import { normaliseSearchText } from '../src/db/accountSearch.ts';
import { createOrm, migrate, type Orm } from '../src/db/orm.ts';
import { BENCH_DATABASE, BENCH_ORGANISATION, databaseUrl, existingAccounts, percentiles, round, withClient, type Percentiles } from './support.ts';
import { seedDemo } from '../src/db/seedDemo.ts';
import { createLogger } from '../src/logger.ts';
import { accountOptions, OPTION_TEXT_LIMIT } from '../src/slack/options/accountPick.ts';

/** A platform-wide viewer, and one limited to the demo organisation (the organisation-limited search path). */
const PLATFORM_VIEWER = 'U0BENCHTA1';
const ORGANISATION_VIEWER = 'U0BENCHTA2';
const LENGTHS = [1, 2, 3, 6] as const;
/** Share of queries that match nothing (typos, people not in the directory). */
const NOTHING_SHARE = 0.1;
const WARM_UP = 300;
const TARGETS = { p99Ms: 25 } as const;

type Field = 'firstName' | 'lastName' | 'fullName' | 'username' | 'email' | 'nothing';

interface Query {
  text: string;
  field: Field;
  length: number;
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

function parseOptions(argv: string[]): { users: number; queries: number } {
  const { values } = parseArgs({ args: argv, options: { users: { type: 'string' }, queries: { type: 'string' } }, strict: true });
  const whole = (name: string, raw: string | undefined, fallback: number) => {
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} takes a whole number of at least 1, not "${raw}"`);
    return value;
  };
  return { users: whole('users', values.users, 1_000_000), queries: whole('queries', values.queries, 2_000) };
}

/** A deterministic generator, so runs measure the same mix. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Sample {
  first_name: string;
  last_name: string;
  username: string;
  email: string;
}

/** Prefixes of seeded accounts' names and logins, typed as people type them, plus text that matches nothing. */
function makeQueries(samples: Sample[], perLength: number, next: () => number): Query[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const queries: Query[] = [];
  for (const length of LENGTHS) {
    for (let i = 0; i < perLength; i += 1) {
      if (next() < NOTHING_SHARE) {
        // Logins and names here start with a letter, so a leading digit matches nothing; the rest is random.
        const letters = Array.from({ length: length - 1 }, () => pick('abcdefghijklmnopqrstuvwxyz'.split('')));
        queries.push({ text: `${pick('0123456789'.split(''))}${letters.join('')}`, field: 'nothing', length });
        continue;
      }
      const account = pick(samples);
      const field = pick(['firstName', 'lastName', 'fullName', 'username', 'email'] as const);
      const source = {
        firstName: account.first_name,
        lastName: account.last_name,
        fullName: `${account.first_name} ${account.last_name}`,
        username: account.username,
        email: account.email,
      }[field];
      const prefix = source.slice(0, length);
      // Names as written, capitalised; logins mostly lower case, sometimes as written in a mail client.
      const text = field === 'username' || field === 'email' ? (next() < 0.2 ? prefix.toUpperCase() : prefix) : next() < 0.5 ? prefix.toLowerCase() : prefix;
      queries.push({ text, field, length });
    }
  }
  // Shuffle, so lengths and fields interleave and nothing benefits from the previous query's pages.
  for (let i = queries.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [queries[i], queries[j]] = [queries[j]!, queries[i]!];
  }
  return queries;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));

  const found = await existingAccounts();
  const missing = Math.max(0, options.users - found);
  if (missing > 0) {
    const others = await otherSessions();
    if (others > 0) {
      throw new Error(
        `${BENCH_DATABASE} holds ${found} of ${options.users} demo accounts and ${others} other session(s) use it (bench:lookup?); run again when they are done`,
      );
    }
    process.stderr.write(`bench: ${BENCH_DATABASE} holds ${found} demo accounts; seeding ${missing} more...\n`);
  } else {
    process.stderr.write(`bench: reusing ${BENCH_DATABASE} (${found} demo accounts)\n`);
  }

  let orm: Orm | undefined;
  const bare = new pg.Client({ connectionString: databaseUrl(BENCH_DATABASE) });
  let bareConnected = false;
  try {
    orm = await createOrm(databaseUrl(BENCH_DATABASE), () => {});
    const migrationStarted = performance.now();
    const migrations = await migrate(orm);
    // New expression indexes have no statistics until the table is analysed again.
    if (migrations.length > 0) await orm.em.execute('analyze account');
    const migrationSeconds = migrations.length > 0 ? round((performance.now() - migrationStarted) / 1000, 1) : null;

    let seedSeconds: number | null = null;
    if (missing > 0) {
      const started = performance.now();
      await seedDemo(orm.em.fork(), { users: missing, organisation: BENCH_ORGANISATION });
      seedSeconds = round((performance.now() - started) / 1000, 1);
    }

    const services: ActionServices = { orm, logger: createLogger('silent') };
    // The picker needs a viewer; granting again is a no-op.
    await runAction(services, grantRole, cliActor(), { slackUserId: PLATFORM_VIEWER, role: 'viewer' });
    await runAction(services, grantRole, cliActor(), { slackUserId: ORGANISATION_VIEWER, role: 'viewer', organisation: BENCH_ORGANISATION });

    await bare.connect();
    bareConnected = true;
    const { rows: counted } = await bare.query<{ all: string; deleted: string }>(
      `select count(*) as all, count(*) filter (where status = 'DELETED') as deleted from account`,
    );
    const { rows: samples } = await bare.query<Sample>(
      `select a.first_name, a.last_name, a.username, a.email from account a join organisation o on o.id = a.organisation_id
       where o.slug = $1 and a.deleted_at is null order by random() limit 5000`,
      [BENCH_ORGANISATION],
    );
    if (samples.length === 0) throw new Error(`${BENCH_DATABASE} holds no ${BENCH_ORGANISATION} accounts to take prefixes from`);

    const next = random(20261125);
    const queries = makeQueries(samples, options.queries, next);
    const warmUp = makeQueries(samples, Math.ceil(WARM_UP / LENGTHS.length), random(7));

    const typeahead = async (slackUser: string, query: Query): Promise<{ ms: number; options: number }> => {
      const started = performance.now();
      const offered = await accountOptions(services, await slackActor(services.orm.em, slackUser), query.text);
      const ms = performance.now() - started;
      if (offered.length > SEARCH_RESULT_LIMIT) throw new Error(`"${query.text}" offered ${offered.length} options`);
      for (const option of offered) {
        if (Array.from(option.text.text).length > OPTION_TEXT_LIMIT || (option.value ?? '').length > 150)
          throw new Error(`"${query.text}" offered an option over Slack's limits`);
      }
      if (query.field !== 'nothing' && offered.length === 0) throw new Error(`"${query.text}" (a ${query.field} prefix) offered nothing`);
      return { ms, options: offered.length };
    };
    // The single best index scan for the same text: one prefix range of one index, in its order, LIMIT 20.
    const plain = async (query: Query): Promise<number> => {
      const pattern = `${escapeLike(normaliseSearchText(query.text))}%`;
      const started = performance.now();
      await bare.query(
        `select id, first_name, last_name, email from account where email collate "C" like $1 and deleted_at is null order by email collate "C" limit ${SEARCH_RESULT_LIMIT}`,
        [pattern],
      );
      return performance.now() - started;
    };

    for (const query of warmUp) {
      await typeahead(PLATFORM_VIEWER, query);
      await typeahead(ORGANISATION_VIEWER, query);
      await plain(query);
    }

    const byLength = new Map(
      LENGTHS.map((length) => [length, { platform: [] as number[], organisation: [] as number[], bare: [] as number[], empty: 0, options: 0 }]),
    );
    for (const [i, query] of queries.entries()) {
      const series = byLength.get(query.length as (typeof LENGTHS)[number])!;
      // Rotate which goes first, so noise and cache effects hit all alike.
      const steps = [
        async () => {
          const { ms, options: offered } = await typeahead(PLATFORM_VIEWER, query);
          series.platform.push(ms);
          series.options += offered;
          if (offered === 0) series.empty += 1;
        },
        async () => series.organisation.push((await typeahead(ORGANISATION_VIEWER, query)).ms),
        async () => series.bare.push(await plain(query)),
      ];
      for (let k = 0; k < steps.length; k += 1) await steps[(i + k) % steps.length]!();
    }

    const results = Object.fromEntries(
      LENGTHS.map((length) => {
        const series = byLength.get(length)!;
        const typeaheadP = percentiles(series.platform);
        const organisationP = percentiles(series.organisation);
        const bareP = percentiles(series.bare);
        return [
          `${length}ch`,
          {
            queries: series.platform.length,
            matchedNothing: series.empty,
            meanOptions: round(series.options / series.platform.length, 1),
            typeahead: typeaheadP,
            typeaheadOrganisationGrant: organisationP,
            bare: bareP,
            ratioP99: round(typeaheadP.p99 / bareP.p99, 2),
          },
        ];
      }),
    ) as Record<string, { typeahead: Percentiles; typeaheadOrganisationGrant: Percentiles; bare: Percentiles; ratioP99: number }>;

    const pass = Object.fromEntries(
      Object.entries(results).map(([length, r]) => [length, r.typeahead.p99 < TARGETS.p99Ms && r.typeaheadOrganisationGrant.p99 < TARGETS.p99Ms]),
    ) as Record<string, boolean>;
    const all = Object.values(pass).every(Boolean);

    const report = {
      database: BENCH_DATABASE,
      reused: missing === 0,
      seedSeconds,
      migrationsApplied: migrations,
      migrationSeconds,
      accounts: Number(counted[0]?.all ?? 0),
      deletedAccounts: Number(counted[0]?.deleted ?? 0),
      queriesPerLength: options.queries,
      warmUp: warmUp.length,
      measured: 'accountOptions(): grants, runAction(searchAccountsAction) in a transaction, search, options',
      bareQuery: `select id, first_name, last_name, email from account where email collate "C" like $1 and deleted_at is null order by email collate "C" limit 20`,
      results,
      targets: TARGETS,
      pass: { ...pass, all },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const parts = Object.entries(results).map(
      ([length, r]) =>
        `${length} p99 ${r.typeahead.p99.toFixed(2)} ms (org grant ${r.typeaheadOrganisationGrant.p99.toFixed(2)}, bare ${r.bare.p99.toFixed(2)}, ${r.ratioP99.toFixed(1)}x)`,
    );
    process.stdout.write(`typeahead at ${report.accounts} accounts: ${parts.join('; ')} (target p99 < ${TARGETS.p99Ms} ms): ${all ? 'PASS' : 'FAIL'}\n`);
  } finally {
    if (bareConnected) await bare.end();
    await orm?.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:typeahead failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
