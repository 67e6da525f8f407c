// The real CLI (`npm run roster -- ...`), run as a subprocess against a database of its own, as an operator runs it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli, type CliResult } from '../support/cli.ts';
import { createTestDatabase, onServer, type TestDatabase } from '../support/database.ts';
import { removeRedisKeys } from '../support/redisKeys.ts';

const USAGE_FIRST_LINE = 'usage: npm run roster -- <command>';

let database: TestDatabase;
let db: pg.Client;

/** The CLI queues mail: under a prefix of this file's own, removed at the end, not Roster's default. */
const REDIS_PREFIX = `roster-test-cli-${randomBytes(4).toString('hex')}`;

/** Runs `node src/cli/main.ts ...args` (what `npm run roster -- ...args` runs) against this file's database. */
const roster = (...args: string[]) => runCli(args, { DATABASE_URL: database.url, REDIS_PREFIX, LOG_LEVEL: 'warn' });

interface AuditRow {
  id: string;
  actor_type: string;
  action: string;
  outcome: string;
  target_id: string | null;
  changes: Record<string, { before: unknown; after: unknown }> | null;
  detail: string | null;
}

async function count(table: 'account' | 'organisation' | 'slack_grant' | 'audit_event'): Promise<number> {
  const { rows } = await db.query<{ count: string }>(`select count(*) from ${table}`);
  return Number(rows[0]!.count);
}

async function lastAuditId(): Promise<number> {
  const { rows } = await db.query<{ id: string | null }>('select max(id) as id from audit_event');
  return Number(rows[0]!.id ?? 0);
}

/** Runs the CLI and returns, with its result, the audit events written while it ran. */
async function rosterAudited(...args: string[]): Promise<CliResult & { audit: AuditRow[] }> {
  const since = await lastAuditId();
  const result = await roster(...args);
  const { rows } = await db.query<AuditRow>('select id, actor_type, action, outcome, target_id, changes, detail from audit_event where id > $1 order by id', [
    since,
  ]);
  return { ...result, audit: rows };
}

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await database?.drop();
  await removeRedisKeys(process.env.REDIS_URL, REDIS_PREFIX);
});

describe('bad arguments', () => {
  it('prints the usage to stderr and exits 2 when there is no command', async () => {
    const result = await roster();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(USAGE_FIRST_LINE);
    expect(result.stdout).toBe('');
  });

  it('names an unknown command, prints the usage to stderr and exits 2', async () => {
    const result = await roster('frobnicate');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
    expect(result.stderr).toContain(USAGE_FIRST_LINE);
    expect(result.stdout).toBe('');
  });

  it('refuses `user create` without --last with the usage and exit code 2, writing nothing', async () => {
    const [accounts, audit] = [await count('account'), await count('audit_event')];

    const result = await roster('user', 'create', '--email', 'half@example.com', '--first', 'Half');

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--last');
    expect(result.stderr).toContain(USAGE_FIRST_LINE);
    expect(await count('account')).toBe(accounts);
    expect(await count('audit_event')).toBe(audit);
  });
});

describe('setting up an organisation from the terminal', () => {
  let orgCreate: Awaited<ReturnType<typeof rosterAudited>>;
  let grant: Awaited<ReturnType<typeof rosterAudited>>;
  let userCreate: Awaited<ReturnType<typeof rosterAudited>>;

  beforeAll(async () => {
    orgCreate = await rosterAudited('org', 'create', 'acme', '--name', 'Acme');
    grant = await rosterAudited('grant', 'U0123ABC', 'admin', '--org', 'acme');
    userCreate = await rosterAudited('user', 'create', '--email', 'Bob@Example.com', '--first', 'Bob', '--last', 'Jones', '--org', 'acme');
  });

  it('`org create` creates the organisation, says so, and audits it once as the CLI', async () => {
    expect(orgCreate.stderr).toBe('');
    expect(orgCreate.code).toBe(0);
    expect(orgCreate.stdout).toContain('Created organisation acme (Acme)');
    const { rows } = await db.query<{ id: string; name: string; inactivity_days: number }>(
      `select id, name, inactivity_days from organisation where slug = 'acme'`,
    );
    expect(rows).toEqual([{ id: expect.any(String), name: 'Acme', inactivity_days: 90 }]);
    expect(orgCreate.audit).toMatchObject([{ actor_type: 'cli', action: 'org-create', outcome: 'done', target_id: rows[0]!.id }]);
  });

  it('`grant` gives the Slack user the role in that organisation and audits it once as the CLI', async () => {
    expect(grant.stderr).toBe('');
    expect(grant.code).toBe(0);
    expect(grant.stdout).toContain('@U0123ABC is admin in acme');
    expect(grant.stdout).not.toContain('<@');
    const { rows } = await db.query(
      `select g.role, o.slug from slack_grant g join organisation o on o.id = g.organisation_id where g.slack_user_id = 'U0123ABC'`,
    );
    expect(rows).toEqual([{ role: 'admin', slug: 'acme' }]);
    expect(grant.audit).toMatchObject([
      { actor_type: 'cli', action: 'grant', outcome: 'done', target_id: 'U0123ABC', changes: { role: { before: null, after: 'admin' } } },
    ]);
  });

  it('`org approvals` lets admins decide requests, sets how long they wait and when a bulk deactivate needs approval, audited once; a bad value changes nothing', async () => {
    const set = await rosterAudited('org', 'approvals', 'acme', '--approvers', 'admins', '--hours', '48', '--bulk-deactivate-over', '100');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain(
      'Deletions and bulk deactivations of more than 100 accounts in acme wait for approval, decided by its owners and admins (never by the requester); a request expires after 48 hours.',
    );
    const { rows } = await db.query(`select approvers, approval_hours, bulk_deactivate_approval_over from organisation where slug = 'acme'`);
    expect(rows).toEqual([{ approvers: 'admins', approval_hours: 48, bulk_deactivate_approval_over: 100 }]);
    expect(set.audit).toMatchObject([
      {
        action: 'org-approvals',
        outcome: 'done',
        changes: {
          approvers: { before: 'owners', after: 'admins' },
          approvalHours: { before: 24, after: 48 },
          bulkDeactivateApprovalOver: { before: null, after: 100 },
        },
      },
    ]);

    const bad = await roster('org', 'set', 'acme', '--approvers', 'everyone');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('must be owners or admins');
    expect((await db.query(`select approvers from organisation where slug = 'acme'`)).rows).toEqual([{ approvers: 'admins' }]);
  });

  it('`user create` invites the person, stores the email in lower case, and audits it once as the CLI', async () => {
    expect(userCreate.stderr).toBe('');
    expect(userCreate.code).toBe(0);
    expect(userCreate.stdout).toContain('Created Bob Jones <bob@example.com>');
    expect(userCreate.stdout).toContain('INVITED: the invitation email is on its way');
    const { rows } = await db.query(
      `select a.id, a.email, a.first_name, a.last_name, a.status, o.slug from account a join organisation o on o.id = a.organisation_id where lower(a.email) = 'bob@example.com'`,
    );
    expect(rows).toEqual([{ id: expect.any(String), email: 'bob@example.com', first_name: 'Bob', last_name: 'Jones', status: 'INVITED', slug: 'acme' }]);
    expect(userCreate.stdout).toContain(rows[0].id);
    expect(userCreate.audit).toMatchObject([
      {
        actor_type: 'cli',
        action: 'create',
        outcome: 'done',
        target_id: rows[0].id,
        changes: { email: { before: null, after: 'bob@example.com' }, status: { before: null, after: 'INVITED' } },
      },
    ]);
  });

  it('`user lookup` prints the account card, and changes nothing', async () => {
    const result = await rosterAudited('user', 'lookup', 'bob@example.com');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const card = result.stdout;
    expect(card).toMatch(/^Bob Jones$/m);
    expect(card).toMatch(/Email\s+bob@example\.com/);
    expect(card).toMatch(/Status\s+INVITED/);
    expect(card).toMatch(/Organisation\s+Acme \(acme\)/);
    expect(result.audit).toEqual([]);
  });

  it('refuses to create the same email again (in any case), naming who has it, and changes nothing', async () => {
    const before = (await db.query('select * from account order by id')).rows;

    const result = await rosterAudited('user', 'create', '--email', 'BOB@example.com', '--first', 'Robert', '--last', 'Other', '--org', 'acme');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('bob@example.com already belongs to Bob Jones.');
    expect(result.stdout).toBe('');
    expect((await db.query('select * from account order by id')).rows).toEqual(before);
    expect(result.audit.filter((row) => row.outcome === 'done')).toEqual([]);
    // The refused attempt itself is on the record, as every refusal is.
    expect(result.audit).toMatchObject([
      { actor_type: 'cli', action: 'create', outcome: 'refused', detail: expect.stringContaining('already belongs to Bob Jones') },
    ]);
  });
});

describe('refusals', () => {
  it('`grant` with a malformed Slack user ID exits 1 with the reason and grants nothing', async () => {
    const grants = await count('slack_grant');

    const result = await rosterAudited('grant', 'bob', 'admin');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('person: must be @someone or a Slack user ID such as U012ABCDEF');
    expect(result.stderr).not.toContain(USAGE_FIRST_LINE);
    expect(result.stdout).toBe('');
    expect(await count('slack_grant')).toBe(grants);
    expect(result.audit.filter((row) => row.outcome === 'done')).toEqual([]);
  });
});

describe('sweep', () => {
  let staleId: string;

  beforeAll(async () => {
    // An ACTIVE account in the default organisation (90 days) whose last sign-in was 120 days ago.
    const { rows } = await db.query<{ id: string }>(
      `insert into account (id, organisation_id, username, email, first_name, last_name, status, status_changed_at, last_sign_in_at, created_at, updated_at)
       select gen_random_uuid(), o.id, 'stale.sam', 'stale.sam@example.com', 'Stale', 'Sam', 'ACTIVE', now() - interval '1 year',
              now() - interval '120 days', now() - interval '1 year', now() - interval '1 year'
       from organisation o where o.slug = 'default'
       returning id`,
    );
    staleId = rows[0]!.id;
  });

  const statusOfStale = async () => (await db.query<{ status: string }>('select status from account where id = $1', [staleId])).rows[0]!.status;

  it('`user lookup` of that account says it is due for suspension and when the sweep runs (03:00 UTC by default)', async () => {
    const result = await roster('user', 'lookup', 'stale.sam@example.com');

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /Status\s+ACTIVE since .*; due for suspension for inactivity since \d{4}-\d\d-\d\d \d\d:\d\d UTC, at the next sweep \(\d{4}-\d\d-\d\d 03:00 UTC\)$/m,
    );
    expect(result.stdout).not.toContain('suspended for inactivity on');
  });

  it('`sweep --dry-run` prints how many accounts it would suspend, and changes nothing', async () => {
    const result = await rosterAudited('sweep', '--dry-run');

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Would suspend 1 inactive account.');
    expect(result.stdout).toMatch(/default: 1 \(no sign-in for 90 days\)/);
    expect(await statusOfStale()).toBe('ACTIVE');
    expect(result.audit).toEqual([]);
  });

  it('`sweep` suspends the account and audits that change once as the CLI', async () => {
    const result = await rosterAudited('sweep');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Suspended 1 inactive account.');
    expect(await statusOfStale()).toBe('SUSPENDED');
    expect(result.audit).toMatchObject([
      { actor_type: 'cli', action: 'inactivity-suspend', outcome: 'done', target_id: staleId, changes: { status: { before: 'ACTIVE', after: 'SUSPENDED' } } },
    ]);
  });
});

describe('a fresh database', () => {
  it('is created and migrated by the first command, as npm start does', async () => {
    const fresh = new URL(database.url);
    fresh.pathname = `${fresh.pathname}_fresh`;
    try {
      const result = await runCli(['user', 'lookup', 'nobody@example.com'], { DATABASE_URL: fresh.toString() }, 30_000);
      expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('No account matches') });
      expect(result.stderr).toContain('applied Migration');
    } finally {
      await onServer((client) => client.query(`drop database if exists "${fresh.pathname.slice(1)}" with (force)`));
    }
  });
});

describe('seed', () => {
  it('seeds a second organisation beside the first (usernames numbered after every seeded account), its ACTIVE accounts ACTIVE since they were added', async () => {
    const first = await roster('seed', '--users', '30', '--org', 'seed-one');
    const second = await roster('seed', '--users', '30', '--org', 'seed-two');
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(second.stdout).toContain('Seeded 30 accounts');
    const { rows } = await db.query<{ accounts: string; active: string; active_lately: string }>(
      `select count(*) as accounts, count(*) filter (where a.status = 'ACTIVE') as active,
         count(*) filter (where a.status = 'ACTIVE' and a.status_changed_at > a.created_at + interval '2 days') as active_lately
       from account a join organisation o on o.id = a.organisation_id where o.slug in ('seed-one', 'seed-two')`,
    );
    expect(Number(rows[0]!.accounts)).toBe(60);
    expect(Number(rows[0]!.active)).toBeGreaterThan(0);
    expect(rows[0]!.active_lately).toBe('0');
  });
});
