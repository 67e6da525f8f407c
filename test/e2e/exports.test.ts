import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_HEADERS } from '../../jobs/accountExport.ts';
import { exportedAccounts, processExport } from '../../jobs/exports.ts';
import { readImportFile } from '../../jobs/importFile.ts';
import { safeCsvRecord } from '../../jobs/safeSpreadsheets.ts';
import { WebClient } from '@slack/web-api';
import type { Job } from 'bullmq';
import { type ExportRequest, runAction } from '../../src/actions/action.ts';
import { exportSelection } from '../../src/actions/accounts/exportAccounts.ts';
import { slackActor } from '../../src/actions/actor.ts';
import { classifyImport } from '../../src/actions/accounts/import/classifyImport.ts';
import { Account } from '../../src/db/entities/index.ts';
import { RefusedError } from '../../src/domain/errors.ts';
import { blocksText, firstUsageLine } from '../support/slackReplies.ts';
import { blockActionsPayload } from '../support/slackRequests.ts';
import { BOT_TOKEN, startTestRoster, type TestRoster } from '../support/testRoster.ts';

const ADMIN = 'U0EXPADMIN';
const VIEWER = 'U0EXPVIEW';
let t: TestRoster;

beforeAll(async () => {
  t = await startTestRoster();
  await t.given.organisation('exp');
  await t.given.organisation('exp-other');
  await t.given.grant(ADMIN, 'admin', 'exp');
  await t.given.grant(VIEWER, 'viewer', 'exp');
  await t.given.account({
    firstName: '=HYPERLINK("http://evil.example","click")',
    lastName: 'Formula',
    email: 'f1.exp@example.test',
    username: 'f1.exp',
    organisationSlug: 'exp',
  });
  await t.given.account({ firstName: '+SUM(1,2)', lastName: '@cmd', email: 'f2.exp@example.test', username: 'f2.exp', organisationSlug: 'exp' });
  await t.given.account({ firstName: 'Zoë', lastName: 'Ünal', email: 'zoe.exp@example.test', username: 'zoe.exp', organisationSlug: 'exp' });
  await t.given.account({ firstName: 'Other', lastName: 'Organisation', organisationSlug: 'exp-other' });
});
afterAll(() => t?.stop());

const uploaded = (name: RegExp) =>
  expect
    .poll(() => t.slack.uploads().find((file) => name.test(file.name)), { timeout: 20_000 })
    .toBeTruthy()
    .then(() => t.slack.uploads().find((file) => name.test(file.name))!);

describe('/users export', () => {
  it('uploads a CSV of the selected accounts within the grant, every formula neutralised and the text kept', async () => {
    const reply = blocksText(await t.slash('export org:exp', ADMIN, { command: '/users' }));
    expect(reply).toContain('Exporting 3 accounts (org:exp) as CSV');
    const file = await uploaded(/\.csv$/);
    expect(file.channels).toEqual(['C0GENERAL']);
    const [header, ...rows] = parse(file.bytes.toString('utf8').replace(/^\uFEFF/, '')) as string[][];
    expect(header).toEqual([...EXPORT_HEADERS]);
    expect(rows).toHaveLength(3);
    const cells = rows.flat();
    expect(cells).toContain(`'=HYPERLINK("http://evil.example","click")`);
    expect(cells).toContain(`'+SUM(1,2)`);
    expect(cells).toContain(`'@cmd`);
    expect(cells).toContain('Zoë');
    expect(cells.filter((cell) => /^[=+\-@\t\r\n\0]/.test(cell))).toEqual([]);
    expect(cells.join()).not.toContain('Other');
    expect(await t.given.audit({ actorId: ADMIN, action: 'export', outcome: 'done' })).toHaveLength(1);
  });

  it('comes back unchanged when imported into the same organisation', async () => {
    await t.slash('export org:exp sort:first-name', ADMIN, { command: '/users' });
    await expect.poll(() => t.slack.uploads().filter((file) => file.name.endsWith('.csv')).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    const file = t.slack
      .uploads()
      .filter((f) => f.name.endsWith('.csv'))
      .at(-1)!;
    const parsed = await readImportFile(Readable.from([file.bytes]), { maxRows: 100 });
    expect(parsed.errors, JSON.stringify(parsed.errors)).toEqual([]);
    const admin = await slackActor(t.roster.orm.em, ADMIN);
    const checked = await runAction({ orm: t.roster.orm, logger: t.logger }, classifyImport, admin, { organisation: 'exp', candidates: parsed.candidates });
    expect(checked.counts).toMatchObject({ create: 0, update: 0, unchanged: 3 });
  });

  it('uploads XLSX when asked, and refuses a viewer, a typo in a filter and an unknown format with a sentence', async () => {
    expect(blocksText(await t.slash('export org:exp format:xlsx', ADMIN, { command: '/users' }))).toContain('as XLSX');
    const file = await uploaded(/\.xlsx$/);
    expect(file.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(blocksText(await t.slash('export org:exp', VIEWER, { command: '/users' }))).toContain('needs an admin');
    expect(blocksText(await t.slash('export stauts:active', ADMIN, { command: '/users' }))).toContain('status');
    const pdf = await t.slash('export format:pdf', ADMIN, { command: '/users' });
    expect(blocksText(pdf)).toContain('format: must be csv or xlsx, not “pdf”');
    // The usage the problem is about comes first, before the list's filters.
    expect(firstUsageLine(pdf)).toMatch(/^`\/users export \[filters\] \[format:csv\|xlsx\]`/);
  });
  it('writes each cell as the database holds it, neutralised and quoted: tabs, line breaks, quotes, backslashes, times to the millisecond', async () => {
    await t.given.organisation('exp-chars');
    await t.given.grant(ADMIN, 'admin', 'exp-chars');
    const at = new Date('2026-11-03T10:15:00.123Z');
    const names = [
      ['\tTab', 'Line\nBreak'],
      ['Back\\slash', '\\N'],
      ['"Quoted", comma', "'=Quoted"],
      ['\r-Carriage', 'Ünal 健二'],
    ];
    const accounts = [];
    for (const [i, [firstName, lastName]] of names.entries()) {
      accounts.push(
        await t.given.account({
          firstName,
          lastName,
          email: `c${i}.exp@example.test`,
          username: `c${i}.exp`,
          organisationSlug: 'exp-chars',
          lastSignInAt: i ? at : null,
        }),
      );
    }
    await t.given.group({ name: 'Crew "A"; \\B', organisationSlug: 'exp-chars', members: [[accounts[0]!, 'member']] });
    await t.given.group({ name: '@Z, group', organisationSlug: 'exp-chars', members: [[accounts[0]!, 'member']] });

    const before = t.slack.uploads().length;
    await t.slash('export org:exp-chars', ADMIN, { command: '/users' });
    await expect.poll(() => t.slack.uploads().length, { timeout: 20_000 }).toBe(before + 1);
    const text = t.slack.uploads().at(-1)!.bytes.toString('utf8');
    const stored = await t.roster.orm.em.fork().find(Account, { id: accounts.map((a) => a.id) });
    for (const account of stored) {
      const groups = account.id === accounts[0]!.id ? ['@Z, group', 'Crew "A"; \\B'].sort().join('; ') : '';
      const cells = [account.email, account.firstName, account.lastName, account.username, account.role, account.status, 'exp-chars', groups];
      const times = [account.lastSignInAt?.toISOString() ?? '', account.createdAt.toISOString(), account.updatedAt.toISOString()];
      expect(text).toContain(safeCsvRecord([...cells, ...times]));
    }
    expect(text.startsWith(`\uFEFF${safeCsvRecord(EXPORT_HEADERS)}`)).toBe(true);
    const rows = parse(text.replace(/^\uFEFF/, '')) as string[][];
    expect(rows).toHaveLength(names.length + 1);
    expect(rows.flat().filter((cell) => /^[=+\-@\t\r\n\0]/.test(cell))).toEqual([]);
    expect(rows.map((row) => row[8])).toContain('2026-11-03T10:15:00.123Z');
  });

  it('tells the person who asked when Slack will not take the file', async () => {
    t.slack.failNext('files.getUploadURLExternal', { status: 500 });
    expect(blocksText(await t.slash('export org:exp', ADMIN, { command: '/users' }))).toContain('Exporting 3 accounts (org:exp) as CSV');
    const told = await t.slack.waitFor('chat.postMessage', (c) => c.args.channel === ADMIN && String(c.args.text).startsWith('Your export stopped'), 20_000);
    expect(told.args.text).toBe('Your export stopped: it failed on an error, which the worker logged; ask for it again.');
  });

  it('stops, with a sentence, once the grant of the person who asked no longer covers the accounts', async () => {
    const organisation = await t.given.organisation('exp-revoke');
    const revoked = 'U0EXPREVOKED';
    await t.given.grant(revoked, 'admin', 'exp-revoke');
    await t.roster.orm.em.fork().execute(
      `insert into account (id, organisation_id, username, email, first_name, last_name, status, status_changed_at, role, auth_source,
         mfa_enrolled, developer_mode, failed_sign_ins, created_at, updated_at, version)
       select gen_random_uuid(), ?, 'revoke.' || n, 'revoke.' || n || '@example.test', 'Revoke', 'Person ' || n, 'ACTIVE', now(), 'user', 'local',
         false, false, 0, now(), now(), 1 from generate_series(1, 3000) n`,
      [organisation.id],
    );
    const admin = await slackActor(t.roster.orm.em, revoked);
    let read = 0;
    const reading = (async () => {
      for await (const _ of exportedAccounts({ orm: t.roster.orm, logger: t.logger }, admin, 'org:exp-revoke', 500)) {
        if (read++ === 0) await t.roster.orm.em.fork().execute('delete from slack_grant where slack_user_id = ?', [revoked]);
      }
    })();

    await expect(reading).rejects.toBeInstanceOf(RefusedError);
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(3000);
  });

  it('stops with the sentence of a refusal by role when the grant for one of its organisations goes mid-run, and tells the person so', async () => {
    const [kept, lost] = [await t.given.organisation('exp-kept'), await t.given.organisation('exp-lost')];
    const narrowed = 'U0EXPNARROW';
    await t.given.grant(narrowed, 'admin', 'exp-kept');
    await t.given.grant(narrowed, 'admin', 'exp-lost');
    for (const organisation of [kept, lost])
      await t.roster.orm.em.fork().execute(
        `insert into account (id, organisation_id, username, email, first_name, last_name, status, status_changed_at, role, auth_source,
           mfa_enrolled, developer_mode, failed_sign_ins, created_at, updated_at, version)
         select gen_random_uuid(), ?, ? || n, ? || n || '@example.test', 'Narrow', 'Person ' || n, 'ACTIVE', now(), 'user', 'local',
           false, false, 0, now(), now(), 1 from generate_series(1, 1500) n`,
        [organisation.id, `${organisation.slug}.`, `${organisation.slug}.`],
      );
    const admin = await slackActor(t.roster.orm.em, narrowed);
    const reading = (async () => {
      let read = 0;
      for await (const _ of exportedAccounts({ orm: t.roster.orm, logger: t.logger }, admin, 'org:exp-kept org:exp-lost', 500)) {
        if (read++ === 0) await t.roster.orm.em.fork().execute('delete from slack_grant where slack_user_id = ? and organisation_id = ?', [narrowed, lost.id]);
      }
    })();
    await expect(reading).rejects.toThrow('You have no Roster role for this organisation; exporting accounts needs an admin. Ask a Roster owner for a grant.');

    const dm = t.slack.calls('chat.postMessage').length;
    await t.roster.orm.em.fork().execute('delete from slack_grant where slack_user_id = ?', [narrowed]);
    const job = { data: { requestedBy: narrowed, filter: 'org:exp-kept', format: 'csv', channel: 'C0GENERAL' } } as Job<ExportRequest>;
    const slack = new WebClient(BOT_TOKEN, { slackApiUrl: t.config.SLACK_API_URL });
    expect(await processExport(job, { orm: t.roster.orm, logger: t.logger, slack })).toBe(0);
    expect(
      t.slack
        .calls('chat.postMessage')
        .slice(dm)
        .map((c) => [c.args.channel, c.args.text]),
    ).toEqual([[narrowed, 'Your export stopped: You have no Roster role; exporting accounts needs an admin. Ask a Roster owner for a grant.']]);
  });

  it('answers a selection read after the whole grant went with the role sentence, not with an empty list of organisations', async () => {
    await t.given.organisation('exp-gone');
    const gone = 'U0EXPGONE';
    await t.given.grant(gone, 'admin', 'exp-gone');
    const admin = await slackActor(t.roster.orm.em, gone);
    await t.roster.orm.em.fork().execute('delete from slack_grant where slack_user_id = ?', [gone]);
    const services = { orm: t.roster.orm, logger: t.logger };
    await expect(runAction(services, exportSelection, admin, { filter: 'org:exp-gone' })).rejects.toThrow(
      'You have no Roster role; exporting accounts needs an admin. Ask a Roster owner for a grant.',
    );
  });
});

describe('a list’s selection', () => {
  it('offers Export and bulk changes to an admin, not to a viewer, over the accounts the list shows', async () => {
    const list = await t.slash('list org:exp', ADMIN, { command: '/users' });
    const actionIds = list.args.blocks.flatMap((block: any) => block.elements ?? []).map((element: any) => element.action_id);
    expect(actionIds).toEqual(expect.arrayContaining(['users.list.export', 'users.list.bulk']));
    const viewerList = blocksText(await t.slash('list org:exp', VIEWER, { command: '/users' }));
    expect(viewerList).toContain('Zoë');
    expect(viewerList).not.toContain('users.list.export');

    const before = t.slack.uploads().length;
    expect(blocksText(await t.click(list, 'users.list.export', ADMIN))).toContain('Exporting 3 accounts (org:exp)');
    await expect.poll(() => t.slack.uploads().length, { timeout: 20_000 }).toBe(before + 1);

    const responseUrl = t.slack.responseUrl();
    const choice = blockActionsPayload({
      userId: ADMIN,
      actionId: 'users.list.bulk',
      blocks: list.args.blocks,
      responseUrl,
      selectedOption: { value: JSON.stringify({ c: 'lock', f: 'org:exp' }) },
    });
    choice.container.is_ephemeral = true;
    expect((await t.send.interaction(choice)).status).toBe(200);
    const preview = blocksText(await t.slack.waitFor('response_url', (c) => c.args._responseUrl === responseUrl));
    expect(preview).toContain('Locking 3 accounts (org:exp)?');
    expect(preview).toContain('bulk.confirm');
  });
});
