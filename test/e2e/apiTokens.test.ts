// `npm run roster -- token ...` as an operator runs it, against a database of its own.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let db: pg.Client;
const roster = (...args: string[]) => runCli(args, { DATABASE_URL: database.url, LOG_LEVEL: 'warn' });

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await database?.drop();
});

it('creates a token shown once and stored as its SHA-256, lists it without the secret, and revokes it, each audited', async () => {
  const created = await roster('token', 'create', '--org', 'default', '--name', 'Shop front');
  expect(created.code, created.stderr).toBe(0);
  const raw = /API token: (roster_\S+)/.exec(created.stdout)?.[1];
  expect(raw).toMatch(/^roster_[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{43}$/);
  const prefix = raw!.slice('roster_'.length, 'roster_'.length + 12);

  const { rows } = await db.query('select id, prefix, hash, scopes, name from api_token');
  expect(rows).toEqual([{ id: expect.any(String), prefix, hash: createHash('sha256').update(raw!).digest('hex'), scopes: ['sign-in'], name: 'Shop front' }]);
  const id = rows[0].id as string;

  const listed = await roster('token', 'list', '--org', 'default');
  expect(listed.stdout).toContain(`${id}  roster_${prefix}  default  "Shop front"  sign-in`);
  expect(listed.stdout).not.toContain(raw!.split('.')[1]);

  const revoked = await roster('token', 'revoke', id);
  expect(revoked).toMatchObject({ code: 0, stdout: expect.stringContaining(`API token roster_${prefix} "Shop front" of default is revoked.`) });
  expect((await roster('token', 'list')).stdout).toContain('revoked');
  const again = await roster('token', 'revoke', `roster_${prefix}`);
  expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('already revoked') });

  const audit = await db.query("select action, outcome, target_id from audit_event where target_type = 'api-token' order by id");
  expect(audit.rows).toEqual([
    { action: 'token-create', outcome: 'done', target_id: id },
    { action: 'token-revoke', outcome: 'done', target_id: id },
    { action: 'token-revoke', outcome: 'refused', target_id: id },
  ]);
  expect(JSON.stringify(audit.rows)).not.toContain(raw!);
});

it('refuses a token for an organisation that does not exist, and a create without --org with the usage', async () => {
  const unknown = await roster('token', 'create', '--org', 'nowhere');
  expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('There is no organisation "nowhere".') });
  const noOrg = await roster('token', 'create');
  expect(noOrg.code).toBe(2);
  expect(noOrg.stderr).toContain('token create needs --org <slug>');
  expect(noOrg.stderr).toContain('token create --org <slug> [--name <label>]');
});

it('creates a provisioning token with --scope scim, and refuses a scope that does not exist', async () => {
  const created = await roster('token', 'create', '--org', 'default', '--scope', 'scim');
  expect(created.code, created.stderr).toBe(0);
  expect(created.stdout).toContain('(scim)');
  const { rows } = await db.query("select name, scopes from api_token where 'scim' = any(scopes)");
  expect(rows).toEqual([{ name: 'scim', scopes: ['scim'] }]);
  const bogus = await roster('token', 'create', '--org', 'default', '--scope', 'everything');
  expect(bogus.code).toBe(1);
  expect(bogus.stderr).toMatch(/scopes/);
});
