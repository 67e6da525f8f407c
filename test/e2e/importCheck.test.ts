import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAccountExport, type ExportedAccount } from '../../jobs/accountExport.ts';
import { readImportFile } from '../../jobs/importFile.ts';
import { runAction } from '../../src/actions/action.ts';
import { classifyImport } from '../../src/actions/accounts/import/classifyImport.ts';
import { RefusedError } from '../../src/domain/errors.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

let t: TestRoster;
const OWNER = 'U0IMPCHKOWNER';
const ACME_ADMIN = 'U0IMPCHKADMIN';
let ana: { id: string; email: string; username: string };
let bo: { id: string; email: string; username: string };
let elsewhere: { id: string; email: string; username: string };

beforeAll(async () => {
  t = await startTestRoster();
  await t.given.organisation('impchk-acme');
  await t.given.organisation('impchk-other');
  await t.given.grant(OWNER, 'owner');
  await t.given.grant(ACME_ADMIN, 'admin', 'impchk-acme');
  ana = await t.given.account({
    email: 'ana.impchk@example.test',
    username: 'ana.impchk',
    firstName: 'Ana',
    lastName: 'Lima',
    organisationSlug: 'impchk-acme',
  });
  bo = await t.given.account({ email: 'bo.impchk@example.test', username: 'bo.impchk', firstName: 'Bø', lastName: '=Berg', organisationSlug: 'impchk-acme' });
  elsewhere = await t.given.account({
    email: 'kim.impchk@example.test',
    username: 'kim.impchk',
    firstName: 'Kim',
    lastName: 'Park',
    organisationSlug: 'impchk-other',
  });
  await t.given.group({ name: 'Field Crew North', organisationSlug: 'impchk-acme', members: [[ana, 'member']] });
});
afterAll(() => t?.stop());

const actor = (id: string, organisationId: string | null = null) => ({
  kind: 'slack' as const,
  id,
  grants: [{ role: id === OWNER ? ('owner' as const) : ('admin' as const), organisationId }],
});
const check = async (csv: string, as = actor(OWNER)) => {
  const parsed = await readImportFile(Readable.from([Buffer.from(csv)]), { maxRows: 100 });
  return runAction({ orm: t.roster.orm, logger: t.logger }, classifyImport, as, { organisation: 'impchk-acme', candidates: parsed.candidates });
};

describe('import dry run', () => {
  it('says which rows would create, update, leave unchanged or be refused, and why', async () => {
    const result = await check(
      [
        'email,first name,last name,username,role,groups',
        `${ana.email},Ana,Lima,${ana.username},user,field crew north`,
        `${bo.email},Bo,=Berg,,administrator,`,
        'new.impchk@example.test,Nía,Nuñez,,,Field Crew North',
        `${elsewhere.email},Kim,Park,,,`,
        'taken.impchk@example.test,Tak,En,kim.impchk,,',
        'grouped.impchk@example.test,Gro,Up,,,Nowhere',
      ].join('\n'),
    );

    expect(result.counts).toEqual({ create: 1, update: 1, unchanged: 1, invalid: 3 });
    expect(result.verdicts).toEqual([
      { row: 2, email: ana.email, outcome: 'unchanged', accountId: ana.id },
      { row: 3, email: bo.email, outcome: 'update', accountId: bo.id, changes: ['firstName', 'role'] },
      { row: 4, email: 'new.impchk@example.test', outcome: 'create' },
      { row: 5, email: elsewhere.email, outcome: 'invalid', errors: [{ row: 5, column: 'email', reason: 'belongs to an account in impchk-other' }] },
      {
        row: 6,
        email: 'taken.impchk@example.test',
        outcome: 'invalid',
        errors: [{ row: 6, column: 'username', reason: '“kim.impchk” is taken by an account in impchk-other' }],
      },
      {
        row: 7,
        email: 'grouped.impchk@example.test',
        outcome: 'invalid',
        errors: [{ row: 7, column: 'groups', reason: 'impchk-acme has no group “Nowhere”' }],
      },
    ]);
  });

  it('does not name an organisation the caller cannot read', async () => {
    const result = await check(['email,first name,last name', `${elsewhere.email},Kim,Park`].join('\n'), actor(ACME_ADMIN, await orgId('impchk-acme')));

    expect(result.verdicts).toEqual([
      {
        row: 2,
        email: elsewhere.email,
        outcome: 'invalid',
        errors: [{ row: 2, column: 'email', reason: 'belongs to an account in an organisation you cannot see' }],
      },
    ]);
  });

  it('finds nothing to change when the organisation’s own export is imported again', async () => {
    const at = '2026-11-03T10:15:00.000Z';
    const rows: ExportedAccount[] = [
      { ...ana, firstName: 'Ana', lastName: 'Lima', role: 'user', status: 'ACTIVE', organisation: 'impchk-acme', groups: ['Field Crew North'] },
      { ...bo, firstName: 'Bø', lastName: '=Berg', role: 'user', status: 'ACTIVE', organisation: 'impchk-acme', groups: [] },
    ].map((row) => ({ ...row, lastSignInAt: at, createdAt: at, updatedAt: at }));
    for (const format of ['csv', 'xlsx'] as const) {
      const chunks: Buffer[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk);
          done();
        },
      });
      await writeAccountExport(
        (async function* () {
          yield* rows;
        })(),
        format,
        sink,
      );
      const parsed = await readImportFile(Readable.from([Buffer.concat(chunks)]), { maxRows: 10 });
      const result = await runAction({ orm: t.roster.orm, logger: t.logger }, classifyImport, actor(OWNER), {
        organisation: 'impchk-acme',
        candidates: parsed.candidates,
      });

      expect(result.counts, format).toEqual({ create: 0, update: 0, unchanged: 2, invalid: 0 });
    }
  });

  it('is refused, and audited, for an admin of another organisation', async () => {
    const otherAdmin = 'U0IMPCHKOTHER';
    await t.given.grant(otherAdmin, 'admin', 'impchk-other');

    await expect(check('email,first name,last name\nx.impchk@example.test,X,Y\n', actor(otherAdmin, await orgId('impchk-other')))).rejects.toBeInstanceOf(
      RefusedError,
    );
    expect(await t.given.audit({ actorId: otherAdmin, action: 'import-check', outcome: 'refused' })).toHaveLength(1);
    // The same rows checked by the organisation's own admin are answered.
    expect((await check('email,first name,last name\nx.impchk@example.test,X,Y\n', actor(ACME_ADMIN, await orgId('impchk-acme')))).counts.create).toBe(1);
  });
});

async function orgId(slug: string): Promise<string> {
  const rows = await t.roster.orm.em.fork().getConnection().execute<{ id: string }[]>('select id from organisation where slug = ?', [slug]);
  return rows[0]!.id;
}
