/**
 * `npm run bench:e2e [-- --users N] [-- --requests N]`: what an admin waits for after typing `/user <email>`.
 *
 * A signed slash command goes to the real Roster (startRoster: Bolt's HTTP receiver, the caller's grants, the action,
 * the card) and, in the same run, to a bare Bolt app doing the least a correct app must: ack, read the caller's grant,
 * read the account with one indexed select, answer the response URL with a small card. The clock stops when the
 * card's body has reached the response URL, served by a local stand-in for Slack that is also both apps' Web API.
 * The two apps alternate request by request, the order flipping each time, so machine noise hits both alike.
 *
 * Uses the database `roster_bench` on DATABASE_URL's server, shared with the other benchmarks: reused when its demo
 * organisation holds at least N accounts (default a million), otherwise topped up with seedDemo. Prints one JSON
 * object and a one-line summary; exits 0 whether or not the targets are met, 1 on errors.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { Redis } from 'ioredis';
import pg from 'pg';
import { runAction, type ActionServices } from '../src/actions/action.ts';
import { cliActor } from '../src/actions/actor.ts';
import { grantRole } from '../src/actions/access/grantRole.ts';
import { configSchema } from '../src/config.ts';
import { createOrm } from '../src/db/orm.ts';
import { createLogger } from '../src/logger.ts';
import { startRoster, type Roster } from '../src/roster.ts';
import { BENCH_DATABASE, BENCH_ORGANISATION, databaseUrl, ensureDemoAccounts, percentiles, round, signedCommand, withClient } from './support.ts';

const SLACK_USER = 'U0BENCHE2E';
const SIGNING_SECRET = 'bench-signing-secret';
const BOT_TOKEN = 'xoxb-bench-token';
const WARM_UP = 300;
const TARGETS = { ratioP50: 1.5, ratioP99: 1.5 } as const;

function parseOptions(argv: string[]): { users: number; requests: number } {
  const { values } = parseArgs({ args: argv, options: { users: { type: 'string' }, requests: { type: 'string' } }, strict: true });
  const whole = (name: string, raw: string | undefined, fallback: number) => {
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} takes a whole number of at least 1, not "${raw}"`);
    return value;
  };
  return { users: whole('users', values.users, 1_000_000), requests: whole('requests', values.requests, 3_000) };
}

/** Slack, as far as both apps need it: `auth.test` for Bolt's first request, and response URLs that stop the clock. */
interface SlackStandIn {
  apiUrl: string;
  /** A fresh response URL, and the moment (performance.now) its first post has been received in full, with the post. */
  responseUrl(): { url: string; delivered: Promise<{ at: number; body: string }> };
  close(): Promise<void>;
}

async function startSlackStandIn(): Promise<SlackStandIn> {
  const waiting = new Map<string, (delivery: { at: number; body: string }) => void>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
      const path = (req.url ?? '').split('?')[0]!;
      res.setHeader('content-type', 'application/json');
      if (path === '/api/auth.test') {
        res.end(
          JSON.stringify({ ok: true, url: 'https://bench.slack.test/', team: 'Bench', user: 'roster', team_id: 'T0BENCH', user_id: 'U0BOT', bot_id: 'B0BOT' }),
        );
        return;
      }
      const deliver = waiting.get(path);
      waiting.delete(path);
      res.end(JSON.stringify({ ok: true }));
      deliver?.({ at, body: Buffer.concat(chunks).toString('utf8') });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let counter = 0;
  return {
    apiUrl: `${base}/api/`,
    responseUrl() {
      const path = `/response/${++counter}`;
      const delivered = new Promise<{ at: number; body: string }>((resolve) => waiting.set(path, resolve));
      return { url: `${base}${path}`, delivered };
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

interface Card {
  email: string;
  text: string;
  blocks: unknown[];
}

/**
 * The least a correct app must do for `/user <email>`: acknowledge, read the caller's grant, read the account with
 * one indexed select, and answer the response URL with a small card, or with a refusal when the grant does not cover
 * the account's organisation.
 */
async function startBareApp(slackApiUrl: string, pool: pg.Pool): Promise<{ port: number; stop(): Promise<void> }> {
  const receiver = new HTTPReceiver({ signingSecret: SIGNING_SECRET, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
  const app = new App({ receiver, token: BOT_TOKEN, clientOptions: { slackApiUrl }, logLevel: LogLevel.ERROR });
  app.command('/user', async ({ ack, command, respond }) => {
    await ack();
    const grants = await pool.query<{ organisation_id: string | null }>({
      name: 'bare-grants',
      text: 'select organisation_id from slack_grant where slack_user_id = $1',
      values: [command.user_id],
    });
    const { rows } = await pool.query<{ email: string; first_name: string; last_name: string; status: string; organisation_id: string }>({
      name: 'bare-account',
      text: 'select * from account where email = $1',
      values: [command.text.trim().toLowerCase()],
    });
    const account = rows[0];
    const covered = account && grants.rows.some((grant) => grant.organisation_id === null || grant.organisation_id === account.organisation_id);
    if (!account || !covered) {
      await respond({ response_type: 'ephemeral', text: 'No account matches.' });
      return;
    }
    const card: Card = {
      email: account.email,
      text: `${account.first_name} ${account.last_name}`,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*${account.first_name} ${account.last_name}* <${account.email}> ${account.status}` } }],
    };
    await respond({ response_type: 'ephemeral', ...card });
  });
  const server = (await app.start(0)) as Server;
  return { port: (server.address() as AddressInfo).port, stop: () => app.stop().then(() => undefined) };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const seeding = await ensureDemoAccounts(options.users, (message) => process.stderr.write(`bench: ${message}\n`));

  const slack = await startSlackStandIn();
  const pool = new pg.Pool({ connectionString: databaseUrl(BENCH_DATABASE), max: 10 });
  const redisPrefix = `roster-bench-${randomBytes(4).toString('hex')}`;
  let roster: Roster | undefined;
  let bare: { port: number; stop(): Promise<void> } | undefined;
  try {
    // The caller's grant first, as an operator would have it before anyone types a command.
    const orm = await createOrm(databaseUrl(BENCH_DATABASE), () => {});
    try {
      // `/user` needs a viewer; granting again is a no-op.
      await runAction({ orm, logger: createLogger('silent') } satisfies ActionServices, grantRole, cliActor(), { slackUserId: SLACK_USER, role: 'viewer' });
    } finally {
      await orm.close();
    }

    const config = configSchema.parse({
      DATABASE_URL: databaseUrl(BENCH_DATABASE),
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: redisPrefix,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      ROSTER_ROLE: 'web',
    });
    // As production logs (info), into a sink: what Roster spends on log lines counts, a terminal's speed does not.
    roster = await startRoster(config, createLogger('info', { write: () => {} }));
    bare = await startBareApp(slack.apiUrl, pool);

    const { rows: picked } = await pool.query<{ email: string }>(
      `select a.email from account a join organisation o on o.id = a.organisation_id
       where o.slug = $1 and a.deleted_at is null order by random() limit $2`,
      [BENCH_ORGANISATION, options.requests + WARM_UP],
    );
    if (picked.length < options.requests + WARM_UP) throw new Error(`${BENCH_DATABASE} holds only ${picked.length} live demo accounts; use --users`);

    const ask = async (port: number, email: string): Promise<{ ms: number; card: Card }> => {
      const { url, delivered } = slack.responseUrl();
      const request = signedCommand(SIGNING_SECRET, { userId: SLACK_USER, text: email, responseUrl: url });
      const started = performance.now();
      const ack = await fetch(`http://127.0.0.1:${port}/slack/events`, request);
      if (ack.status !== 200) throw new Error(`/user ${email} was acknowledged with HTTP ${ack.status}`);
      await ack.arrayBuffer();
      const { at, body } = await delivered;
      const card = JSON.parse(body) as Card;
      if (!JSON.stringify(card.blocks ?? []).includes(email)) throw new Error(`/user ${email} was answered without its card: ${card.text}`);
      return { ms: at - started, card };
    };
    const rosterPort = roster.port;
    const barePort = bare.port;

    const rosterMs: number[] = [];
    const bareMs: number[] = [];
    const bytes = { roster: 0, bare: 0 };
    for (const [i, { email }] of picked.entries()) {
      const rosterFirst = i % 2 === 0;
      const first = await ask(rosterFirst ? rosterPort : barePort, email);
      const second = await ask(rosterFirst ? barePort : rosterPort, email);
      const [r, b] = rosterFirst ? [first, second] : [second, first];
      if (i < WARM_UP) continue;
      rosterMs.push(r.ms);
      bareMs.push(b.ms);
      bytes.roster += JSON.stringify(r.card).length;
      bytes.bare += JSON.stringify(b.card).length;
    }

    const rosterP = percentiles(rosterMs);
    const bareP = percentiles(bareMs);
    const ratioP50 = round(rosterP.p50 / bareP.p50, 2);
    const ratioP99 = round(rosterP.p99 / bareP.p99, 2);
    const pass = { ratioP50: ratioP50 <= TARGETS.ratioP50, ratioP99: ratioP99 <= TARGETS.ratioP99, all: false };
    pass.all = pass.ratioP50 && pass.ratioP99;
    const accounts = await withClient(BENCH_DATABASE, async (client) =>
      Number((await client.query<{ n: string }>('select count(*) as n from account')).rows[0]?.n),
    );
    const report = {
      database: BENCH_DATABASE,
      ...seeding,
      accounts,
      requestsPerApp: rosterMs.length,
      warmUp: WARM_UP,
      roster: rosterP,
      bare: bareP,
      ratioP50,
      ratioP99,
      replyBytes: { roster: Math.round(bytes.roster / rosterMs.length), bare: Math.round(bytes.bare / bareMs.length) },
      targets: TARGETS,
      pass,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(
      `e2e /user <email> at ${accounts} accounts, ${rosterMs.length} requests each: Roster p50 ${rosterP.p50.toFixed(2)} ms, p99 ${rosterP.p99.toFixed(2)} ms; ` +
        `bare Bolt p50 ${bareP.p50.toFixed(2)} ms, p99 ${bareP.p99.toFixed(2)} ms; ratio p50 ${ratioP50.toFixed(2)}x, p99 ${ratioP99.toFixed(2)}x ` +
        `(targets <= ${TARGETS.ratioP50}x and <= ${TARGETS.ratioP99}x): ${pass.all ? 'PASS' : 'FAIL'}\n`,
    );
  } finally {
    await bare?.stop();
    if (roster) {
      await roster.stop();
      const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
      const keys = await redis.keys(`${redisPrefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
    await pool.end();
    await slack.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:e2e failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
