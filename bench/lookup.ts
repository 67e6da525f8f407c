/**
 * `npm run bench:lookup [-- --users N] [-- --fresh]`: the `/user <email>` card path against the bare indexed query.
 *
 * Uses its own database `roster_bench` on DATABASE_URL's server, seeded once with N demo accounts (default a million)
 * and reused by later runs unless `--fresh` is passed or it holds fewer accounts than wanted. Prints one JSON object
 * and a one-line summary; exits 0 whether or not the targets are met, 1 on errors.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { runAction, type ActionServices } from '../src/actions/action.ts';
import { cliActor, slackActor } from '../src/actions/actor.ts';
import { grantRole } from '../src/actions/access/grantRole.ts';
import { lookupAccount } from '../src/actions/accounts/lookupAccount.ts';
import { createOrm, migrate, type Orm } from '../src/db/orm.ts';
import { BENCH_DATABASE, BENCH_ORGANISATION, databaseUrl, existingAccounts, percentiles, round, withClient } from './support.ts';
import { seedDemo } from '../src/db/seedDemo.ts';
import { createLogger } from '../src/logger.ts';
import { lookupReply } from '../src/slack/blocks/lookupReply.ts';

const SLACK_USER = 'U0BENCH01';
const LOOKUPS = 10_000;
const WARM_UP = 500;
const TARGETS = { cardP99Ms: 5, ratioP99: 8 } as const;

function parseOptions(argv: string[]): { users: number; fresh: boolean } {
  const { values } = parseArgs({ args: argv, options: { users: { type: 'string' }, fresh: { type: 'boolean', default: false } }, strict: true });
  const users = values.users === undefined ? 1_000_000 : Number(values.users);
  if (!Number.isSafeInteger(users) || users < 1) throw new Error(`--users takes a whole number of at least 1, not "${values.users}"`);
  return { users, fresh: values.fresh };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));

  const found = await existingAccounts();
  const reseed = options.fresh || found < options.users;
  if (reseed) {
    await withClient('postgres', (client) => client.query(`drop database if exists "${BENCH_DATABASE}" with (force)`));
    process.stderr.write(`bench: seeding ${options.users} accounts into ${BENCH_DATABASE}...\n`);
  } else {
    process.stderr.write(`bench: reusing ${BENCH_DATABASE} (${found} accounts; --fresh to reseed)\n`);
  }

  let orm: Orm | undefined;
  const bare = new pg.Client({ connectionString: databaseUrl(BENCH_DATABASE) });
  let bareConnected = false;
  try {
    orm = await createOrm(databaseUrl(BENCH_DATABASE), () => {});
    await migrate(orm);

    let seedSeconds: number | null = null;
    if (reseed) {
      const started = performance.now();
      await seedDemo(orm.em.fork(), { users: options.users, organisation: BENCH_ORGANISATION });
      seedSeconds = round((performance.now() - started) / 1000, 1);
    }

    const services: ActionServices = { orm, logger: createLogger('silent') };
    // `/user` needs a viewer; granting again is a no-op.
    await runAction(services, grantRole, cliActor(), { slackUserId: SLACK_USER, role: 'viewer' });
    const actor = await slackActor(orm.em, SLACK_USER);

    await bare.connect();
    bareConnected = true;
    const { rows: accounts } = await bare.query<{ n: string }>('select count(*) as n from account');
    // Warm-up emails are distinct from the measured ones, so neither side gets rows it has just read.
    const { rows: picked } = await bare.query<{ email: string }>('select email from account order by random() limit $1', [LOOKUPS + WARM_UP]);
    const emails = picked.map((row) => row.email);
    if (emails.length < LOOKUPS + WARM_UP) throw new Error(`${BENCH_DATABASE} holds only ${emails.length} accounts; need ${LOOKUPS + WARM_UP} (use --users)`);

    const card = async (email: string): Promise<number> => {
      const started = performance.now();
      const result = await runAction(services, lookupAccount, actor, { query: email });
      const reply = lookupReply(result, { grants: actor.grants, times: { now: new Date() } });
      const elapsed = performance.now() - started;
      if (result.kind !== 'card' || result.card.email !== email || reply.blocks.length === 0) {
        throw new Error(`/user ${email} gave a ${result.kind} reply, not its card`);
      }
      return elapsed;
    };
    const plain = async (email: string): Promise<number> => {
      const started = performance.now();
      const { rowCount } = await bare.query('select * from account where email = $1', [email]);
      const elapsed = performance.now() - started;
      if (rowCount !== 1) throw new Error(`bare lookup of ${email} found ${rowCount} rows`);
      return elapsed;
    };

    const cardMs: number[] = [];
    const bareMs: number[] = [];
    for (const [i, email] of emails.entries()) {
      // Alternate which goes first, so noise and cache effects hit both alike.
      let c: number;
      let b: number;
      if (i % 2 === 0) {
        c = await card(email);
        b = await plain(email);
      } else {
        b = await plain(email);
        c = await card(email);
      }
      if (i >= WARM_UP) {
        cardMs.push(c);
        bareMs.push(b);
      }
    }

    const cardP = percentiles(cardMs);
    const bareP = percentiles(bareMs);
    const ratioP99 = round(cardP.p99 / bareP.p99, 2);
    const pass = { cardP99: cardP.p99 < TARGETS.cardP99Ms, ratioP99: ratioP99 < TARGETS.ratioP99, all: false };
    pass.all = pass.cardP99 && pass.ratioP99;

    const report = {
      database: BENCH_DATABASE,
      reused: !reseed,
      seedSeconds,
      accounts: Number(accounts[0]?.n ?? 0),
      lookups: cardMs.length,
      warmUp: WARM_UP,
      card: cardP,
      bare: bareP,
      ratioP99,
      targets: TARGETS,
      pass,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(
      `lookup: card p99 ${cardP.p99.toFixed(2)} ms, bare p99 ${bareP.p99.toFixed(2)} ms, ratio ${ratioP99.toFixed(1)}x ` +
        `(targets < ${TARGETS.cardP99Ms} ms and < ${TARGETS.ratioP99}x): ${pass.all ? 'PASS' : 'FAIL'}\n`,
    );
  } finally {
    if (bareConnected) await bare.end();
    await orm?.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:lookup failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
