import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_HEADERS } from '../../jobs/accountExport.ts';
import { checkImportFile } from '../../jobs/imports.ts';
import { runAction } from '../../src/actions/action.ts';
import { slackActor } from '../../src/actions/actor.ts';
import { cancelBulkJob } from '../../src/actions/accounts/bulk/cancelBulkJob.ts';
import { applyImportChunk } from '../../src/actions/accounts/import/applyImportChunk.ts';
import { setApprovals } from '../../src/actions/organisations/setApprovals.ts';
import { Account, BulkJob, Organisation } from '../../src/db/entities/index.ts';
import { FILE_DOWNLOAD_METHOD, type RecordedCall } from '../support/fakeSlack.ts';
import { blocksText, firstUsageLine, inputElements } from '../support/slackReplies.ts';
import { blockActionsPayload, staticSelectValue } from '../support/slackRequests.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

const ADMIN = 'U0IMPADMIN';
const VIEWER = 'U0IMPVIEWER';
const OTHER_ADMIN = 'U0IMPOTHER';
const ROUND_TRIP_ADMIN = 'U0IMPRTADM';
const MAX_ROWS = 50;
const MAX_FILE_MB = 60;

let t: TestRoster;

beforeAll(async () => {
  t = await startTestRoster({
    ROSTER_IMPORT_MAX_ROWS: String(MAX_ROWS),
    ROSTER_IMPORT_MAX_FILE_MB: String(MAX_FILE_MB),
    ROSTER_SLACK_UPDATES_PER_MINUTE: '1000',
  });
  await t.given.organisation('imp');
  await t.given.organisation('imp-other');
  await t.given.organisation('imp-rt');
  await t.given.grant(ADMIN, 'admin', 'imp');
  await t.given.grant(VIEWER, 'viewer', 'imp');
  await t.given.grant(OTHER_ADMIN, 'admin', 'imp-other');
  await t.given.grant(ROUND_TRIP_ADMIN, 'admin', 'imp-rt');
});
afterAll(() => t?.stop());

const csv = (...lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** `/users import`, the file picked and the form submitted as `as`: resolves with the dry run's last message. */
async function importThroughModal(name: string, bytes: Buffer, options: { as?: string; organisation?: string; invite?: boolean } = {}): Promise<RecordedCall> {
  const as = options.as ?? ADMIN;
  const file = t.slack.shareFile({ name, bytes, user: as });
  const view = await t.openModal('import', as, { command: '/users' });
  const body = await t.submitView(view, as, {
    file: { value: { type: 'file_input', files: [{ id: file.id, name: file.name }] } },
    organisation: staticSelectValue(options.organisation ?? 'imp'),
    invitations: { value: { type: 'radio_buttons', selected_option: { text: { type: 'plain_text', text: 'x' }, value: options.invite ? 'yes' : 'no' } } },
  });
  expect(body).toBe('');
  return dryRunOf(name);
}

/** The dry run's message once it has read the file: the preview with its buttons, or the sentence for a bad file. */
const dryRunOf = (name: string) =>
  t.slack.waitFor(
    'chat.update',
    (c) => String(c.args.text).startsWith(`Dry run of ${name} `) || String(c.args.text).startsWith(`${name} cannot be imported`),
    20_000,
  );

/** Presses a button of the dry run's message (posted in a channel, so the click edits it in place); resolves once acked. */
async function press(message: RecordedCall, actionId: string, userId: string): Promise<void> {
  const payload = blockActionsPayload({ userId, actionId, channelId: message.args.channel, messageTs: message.args.ts, blocks: message.args.blocks });
  expect((await t.send.interaction(payload)).status).toBe(200);
}

const summaryOf = (name: string) =>
  t.slack.waitFor(
    'chat.update',
    (c) => /^(Imported|Cancelled the import of|Stopped the import of) /.test(String(c.args.text)) && String(c.args.text).includes(name),
    30_000,
  );

/** The error reports uploaded for a file, once there are `count` of them (the dry run's, then the summary's). */
const errorReport = async (name: string, count = 1) => {
  const reportName = `${name.replace(/\.[^.]*$/, '')}-errors.csv`;
  await expect.poll(() => t.slack.uploads().filter((file) => file.name === reportName).length, { timeout: 10_000 }).toBe(count);
  const report = t.slack.uploads().filter((file) => file.name === reportName);
  return report.map((file) => ({ file, rows: parse(file.bytes.toString('utf8').replace(/^\uFEFF/, '')) as string[][] }));
};

const accountsOf = (organisationSlug: string) =>
  t.roster.orm.em.fork().find(Account, { organisation: { slug: organisationSlug } }, { orderBy: { email: 'asc' }, populate: ['organisation'] });

async function jobOf(fileName: string) {
  return t.roster.orm.em.fork().findOneOrFail(BulkJob, { action: 'import', description: { $like: `${fileName} into %` } });
}

async function itemCount(jobId: string): Promise<number> {
  const [row] = await t.roster.orm.em.fork().execute<{ n: string }[]>('select count(*) as n from bulk_job_item where job_id = ?', [jobId]);
  return Number(row!.n);
}

describe('/users import', () => {
  it('checks every row in a dry run, changes nothing before Apply, then imports the valid rows and reports the rest', async () => {
    const ana = await t.given.account({ email: 'ana.imp@example.test', username: 'ana.imp', firstName: 'Ana', lastName: 'Lima', organisationSlug: 'imp' });
    const bo = await t.given.account({ email: 'bo.imp@example.test', username: 'bo.imp', firstName: 'Bo', lastName: 'Berg', organisationSlug: 'imp' });
    await t.given.group({ name: 'Field Crew North', organisationSlug: 'imp', members: [] });
    const file = Buffer.concat([
      BOM,
      csv(
        ' E-mail ,First  Name,LAST NAME,Role,Groups,Favourite colour',
        'zoe.imp@example.test,Zoë,Ångström-Núñez,,field crew north,blue',
        'kenji.imp@example.test,健二,佐藤,manager,,red',
        'not-an-email,Nobody,Here,,,green',
        'ZOE.IMP@example.test,Zoë,Again,,,',
        'ANA.IMP@EXAMPLE.TEST,Ana,Lima,,,',
        'bo.imp@example.test,Bo,Berg,administrator,,',
        'kenji.imp@other.test,Kenji,Other,,,',
        'lee.imp@example.test,Lee,Other,chief,,',
      ),
    ]);
    // "E-mail" is not "email": header names match whatever their case and spacing, not their spelling.
    const misspelt = await importThroughModal('misspelt.csv', file);
    expect(misspelt.args.text).toContain('misspelt.csv cannot be imported: The first row has no email column');

    const dryRun = await importThroughModal('people.csv', Buffer.from(file.toString('utf8').replace(' E-mail ', ' EMAIL ')));
    const preview = blocksText(dryRun);
    expect(preview).toContain('Dry run of people.csv for imp: 8 rows');
    expect(preview).toContain("read as Roster's own template");
    expect(preview).toContain('To create: *2* · to update: *1* · unchanged: *1* · invalid: *4*');
    expect(preview).toContain('Columns not recognised, so not imported: `Favourite colour`');
    expect(preview).toContain('The error report in this thread lists the 4 invalid rows');
    expect(preview).toContain('import.apply');
    expect(await accountsOf('imp')).toHaveLength(2);

    const [report] = await errorReport('people.csv');
    expect(report!.file.threadTs).toBe(dryRun.args.ts);
    expect(report!.rows).toEqual([
      ['row', 'column', 'reason'],
      ['4', 'EMAIL', 'must be an email address such as alice@example.com'],
      ['5', 'EMAIL', 'repeats the email of row 2'],
      ['8', 'EMAIL', 'gives the username “kenji.imp”, as row 3 does (from the part before the @)'],
      ['9', 'Role', 'must be one of user, manager, administrator'],
    ]);

    // Until Apply, the job says what its dry run found, not that nothing of it is done.
    expect(blocksText(await t.slash('jobs', ADMIN, { command: '/users' }))).toContain(
      'people.csv into imp · dry run: 3 to apply, 1 unchanged, 4 invalid; waiting for Apply',
    );
    await press(dryRun, 'import.apply', ADMIN);
    await t.slack.waitFor(
      'chat.postEphemeral',
      (c) => c.args.user === ADMIN && blocksText(c).includes('Importing people.csv into imp: 2 to create, 1 to update'),
    );
    const summary = String((await summaryOf('people.csv')).args.text);
    expect(summary).toContain('Imported people.csv into imp');
    expect(summary).toContain('2 created · 1 updated · 1 unchanged · 4 failed');
    expect(summary).toContain('Row 4: EMAIL: must be an email address');
    expect(summary).toContain("Error report attached in this message's thread: people-errors.csv");

    const accounts = await accountsOf('imp');
    expect(accounts.map((a) => [a.email, a.firstName, a.lastName, a.role, a.status])).toEqual([
      ['ana.imp@example.test', 'Ana', 'Lima', 'user', 'ACTIVE'],
      ['bo.imp@example.test', 'Bo', 'Berg', 'administrator', 'ACTIVE'],
      ['kenji.imp@example.test', '健二', '佐藤', 'manager', 'STAGED'],
      ['zoe.imp@example.test', 'Zoë', 'Ångström-Núñez', 'user', 'STAGED'],
    ]);
    const zoe = accounts.find((a) => a.email === 'zoe.imp@example.test')!;
    expect(await t.read.membershipCount(zoe.id)).toBe(1);
    const audit = await t.given.audit({ action: 'import', outcome: 'done', jobId: (await jobOf('people.csv')).id });
    expect(audit.map((e) => e.targetId).sort()).toEqual([bo.id, ...accounts.filter((a) => a.status === 'STAGED').map((a) => a.id)].sort());
    expect(audit.find((e) => e.targetId === bo.id)!.changes).toEqual({ role: { before: 'user', after: 'administrator' } });
    expect(audit.find((e) => e.targetId === ana.id)).toBeUndefined();
    // No invitations were asked for: no mail goes to the new accounts.
    const [mails] = await t.roster.orm.em
      .fork()
      .execute<{ n: string }[]>('select count(*) as n from outbox_mail where account_id = any(?::uuid[])', [`{${accounts.map((a) => a.id).join(',')}}`]);
    expect(mails!.n).toBe('0');
    const reports = await errorReport('people.csv', 2);
    expect(reports[1]!.file.threadTs).toBe(dryRun.args.ts);
    expect(reports[1]!.rows).toEqual(reports[0]!.rows);

    const jobs = blocksText(await t.slash('jobs', ADMIN, { command: '/users' }));
    expect(jobs).toContain('people.csv into imp');
    expect(jobs).toContain('done');
    // The Home tab's jobs are the same list.
    expect((await t.send.event({ type: 'app_home_opened', user: ADMIN, channel: 'D0IMPHOME', tab: 'home', event_ts: '1.1' })).status).toBe(200);
    const home = await t.slack.waitFor('views.publish', (c) => c.args.user_id === ADMIN, 10_000);
    expect(blocksText({ ...home, args: { blocks: home.args.view.blocks } })).toContain('*import* people.csv into imp · done');
  });

  it('imports a file shared in the app’s DM with the word import, inviting the new accounts when asked', async () => {
    const file = t.slack.shareFile({ name: 'dm-people.csv', bytes: csv('email,first name,last name', 'dm1.imp@example.test,Dee,Em'), user: ADMIN });
    const dm = 'D0IMPADMIN';
    const event = {
      type: 'message',
      subtype: 'file_share',
      channel: dm,
      channel_type: 'im',
      user: ADMIN,
      text: 'please import this, invite:yes',
      ts: '1700000001.000100',
    };
    expect((await t.send.event({ ...event, files: [{ id: file.id, name: file.name }] })).status).toBe(200);
    const dryRun = await dryRunOf('dm-people.csv');
    expect(dryRun.args.channel).toBe(dm);
    expect(blocksText(dryRun)).toContain('Invitations: each new account gets one by email.');
    await press(dryRun, 'import.apply', ADMIN);
    expect(String((await summaryOf('dm-people.csv')).args.text)).toContain('1 created');
    const [account] = await t.roster.orm.em.fork().find(Account, { email: 'dm1.imp@example.test' });
    expect(account!.status).toBe('INVITED');
    await expect
      .poll(
        async () =>
          (
            await t.roster.orm.em
              .fork()
              .execute<{ n: string }[]>(`select count(*) as n from outbox_mail where account_id = ? and template = 'invitation'`, [account!.id])
          )[0]!.n,
      )
      .toBe('1');

    // Without the word, the app says how to import instead.
    const other = t.slack.shareFile({ name: 'holiday.csv', bytes: csv('a,b'), user: ADMIN });
    expect((await t.send.event({ ...event, text: 'my holiday plans', files: [{ id: other.id, name: other.name }] })).status).toBe(200);
    const hint = await t.slack.waitFor('chat.postEphemeral', (c) => c.args.channel === dm && blocksText(c).includes('with the word import'));
    expect(hint.args.user).toBe(ADMIN);
  });

  it('reads the first worksheet of an XLSX workbook', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('People');
    sheet.addRow(['Email', 'First name', 'Last name', 'Username']);
    sheet.addRow(['xl1.imp@example.test', 'Éva', 'Kovács', 'eva.k']);
    sheet.addRow(['xl2.imp@example.test', 'Оля', 'Петрова', '']);
    const dryRun = await importThroughModal('people.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(blocksText(dryRun)).toContain('(XLSX, read as Roster');
    expect(blocksText(dryRun)).toContain('To create: *2*');
    await press(dryRun, 'import.apply', ADMIN);
    await summaryOf('people.xlsx');
    const created = await t.roster.orm.em
      .fork()
      .find(Account, { email: { $in: ['xl1.imp@example.test', 'xl2.imp@example.test'] } }, { orderBy: { email: 'asc' } });
    expect(created.map((a) => [a.username, a.firstName, a.lastName])).toEqual([
      ['eva.k', 'Éva', 'Kovács'],
      ['xl2.imp', 'Оля', 'Петрова'],
    ]);
  });
});

describe('files from other tools', () => {
  it('reads Google Workspace’s bulk upload and never keeps its passwords', async () => {
    const dryRun = await importThroughModal(
      'google.csv',
      csv(
        'First Name [Required],Last Name [Required],Email Address [Required],Password [Required],Org Unit Path [Required],Department',
        'Gia,Ng,gia.imp@example.test,Sup3r-Secret-Passw0rd!,/Sales,Sales',
      ),
    );
    const preview = blocksText(dryRun);
    expect(preview).toContain('read as Google Workspace bulk upload');
    expect(preview).toContain('`Password [Required]` (passwords are never imported');
    await press(dryRun, 'import.apply', ADMIN);
    await summaryOf('google.csv');
    const [gia] = await t.roster.orm.em.fork().find(Account, { email: 'gia.imp@example.test' }, { populate: ['passwordHash'] });
    expect(gia).toMatchObject({ firstName: 'Gia', lastName: 'Ng', status: 'STAGED', passwordHash: null });
    const [stored] = await t.roster.orm.em
      .fork()
      .execute<{ n: string }[]>(
        `select (select count(*) from bulk_job_item where data::text like '%Sup3r-Secret%') + (select count(*) from audit_event where changes::text like '%Sup3r-Secret%') as n`,
      );
    expect(stored!.n).toBe('0');
    expect(t.rawLogs()).not.toContain('Sup3r-Secret');
  });

  it('reads Entra ID’s bulk create below its version line: a blocked sign-in is created DEACTIVATED', async () => {
    const dryRun = await importThroughModal(
      'entra.csv',
      csv(
        'version:v1.0',
        'Name [displayName] Required,User name [userPrincipalName] Required,Initial password [passwordProfile] Required,Block sign in (Yes/No) [accountEnabled] Required,First name [givenName],Last name [surname]',
        'Eli Blocked,eli.imp@example.test,Xx-Secret-1,Yes,,',
        'Fay Open,fay.imp@example.test,Xx-Secret-2,No,Fay,Open',
      ),
    );
    expect(blocksText(dryRun)).toContain('read as Microsoft Entra ID bulk create');
    await press(dryRun, 'import.apply', ADMIN);
    await summaryOf('entra.csv');
    const created = await t.roster.orm.em
      .fork()
      .find(Account, { email: { $in: ['eli.imp@example.test', 'fay.imp@example.test'] } }, { orderBy: { email: 'asc' } });
    expect(created.map((a) => [a.firstName, a.lastName, a.status])).toEqual([
      ['Eli', 'Blocked', 'DEACTIVATED'],
      ['Fay', 'Open', 'STAGED'],
    ]);
  });

  it('reads Okta’s attribute names: the login becomes the username', async () => {
    const dryRun = await importThroughModal(
      'okta.csv',
      csv('login,firstName,lastName,email,password,title', 'oli.okta@corp.test,Oli,Ok,oli.imp@example.test,pw,Boss', 'pat-okta,Pat,Ok,pat.imp@example.test,,'),
    );
    expect(blocksText(dryRun)).toContain('read as Okta user attributes');
    await press(dryRun, 'import.apply', ADMIN);
    await summaryOf('okta.csv');
    const created = await t.roster.orm.em
      .fork()
      .find(Account, { email: { $in: ['oli.imp@example.test', 'pat.imp@example.test'] } }, { orderBy: { email: 'asc' } });
    expect(created.map((a) => a.username)).toEqual(['oli.okta', 'pat-okta']);
  });
});

describe('a file the import cannot read', () => {
  const header = 'email,first name,last name';
  const cases: [string, string, () => Buffer, RegExp][] = [
    [
      'binary named .csv',
      'binary.csv',
      () => Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00, 0x10, 0x42, 0x00]),
      /neither a CSV file \(UTF-8 text\) nor an XLSX workbook/,
    ],
    ['empty', 'empty.csv', () => Buffer.alloc(0), /The file is empty\./],
    ['headers only', 'headers.csv', () => csv(header), /a header row but no accounts under it/],
    ['one 50 MB line', 'oneline.csv', () => Buffer.concat([Buffer.from(`${header}\n`), Buffer.alloc(50 * 1024 * 1024, 'a')]), /Row 2 is longer than 64 KB/],
    [
      'more rows than the limit',
      'toomany.csv',
      () => csv(header, ...Array.from({ length: MAX_ROWS + 1 }, (_, i) => `many${i}.imp@example.test,Many,Rows`)),
      /more than 50 rows, the most one import takes/,
    ],
    ['over the size limit', 'huge.csv', () => Buffer.alloc((MAX_FILE_MB + 1) * 1024 * 1024, 'a'), /huge\.csv is 61 MB; Roster reads files of at most 60 MB/],
  ];

  it.each(cases)('%s: one sentence, and nothing changes', async (_case, name, bytes, sentence) => {
    const before = await t.roster.orm.em.fork().count(Account, {});
    const answer = await importThroughModal(name, bytes());
    expect(answer.args.text).toMatch(sentence);
    expect(answer.args.text).toContain('Nothing was changed.');
    expect(answer.args.blocks).toHaveLength(1);
    const job = await jobOf(name);
    expect(job.state).toBe('failed');
    expect(await itemCount(job.id)).toBe(0);
    expect(await t.roster.orm.em.fork().count(Account, {})).toBe(before);
    const [audit] = await t.given.audit({ action: 'bulk-finish', jobId: job.id });
    expect(audit!.reason).toMatch(sentence);
  });
});

describe('a download that breaks off', () => {
  const people = (name: string) =>
    csv('email,first name,last name', ...Array.from({ length: 40 }, (_, i) => `${name}.${i + 1}@example.test,Zoë,Person ${i + 1}`));
  const downloads = (fileName: string) => t.slack.calls(FILE_DOWNLOAD_METHOD).filter((c) => String(c.args.path).endsWith(`/${fileName}`));

  it('is fetched and read again: the dry run is whole', async () => {
    t.slack.failNext(FILE_DOWNLOAD_METHOD, { status: 'cut' });
    const dryRun = await importThroughModal('cut-once.csv', people('cut.once'));
    expect(blocksText(dryRun)).toContain('To create: *40* · to update: *0* · unchanged: *0* · invalid: *0*');
    expect(downloads('cut-once.csv').map((c) => c.error ?? 'whole')).toEqual(['cut', 'whole']);
    expect(await itemCount((await jobOf('cut-once.csv')).id)).toBe(40);
  });

  it('ends the import with one sentence once every attempt broke off, and nothing is kept', async () => {
    t.slack.failNext(FILE_DOWNLOAD_METHOD, { status: 'cut' }, 3);
    const answer = await importThroughModal('cut-always.csv', people('cut.always'));
    expect(answer.args.text).toBe(
      'cut-always.csv cannot be imported: The dry run stopped on an error, which the worker logged, each time it was tried; share the file again. Nothing was changed.',
    );
    expect(downloads('cut-always.csv').map((c) => c.error)).toEqual(['cut', 'cut', 'cut']);
    const job = await jobOf('cut-always.csv');
    expect(job.state).toBe('failed');
    expect(await itemCount(job.id)).toBe(0);
    expect(await t.roster.orm.em.fork().count(Account, { email: { $like: 'cut.always.%' } })).toBe(0);
  });
});

describe('importing an export', () => {
  it('changes nothing when the organisation’s own export comes back', async () => {
    const kim = await t.given.account({ email: 'kim.rt@example.test', username: 'kim.rt', firstName: 'Kim', lastName: '=Park', organisationSlug: 'imp-rt' });
    await t.given.account({
      email: 'lea.rt@example.test',
      username: 'lea.rt',
      firstName: 'Léa',
      lastName: 'Ünal',
      organisationSlug: 'imp-rt',
      status: 'SUSPENDED',
    });
    await t.given.group({ name: 'Round Trip', organisationSlug: 'imp-rt', members: [[kim, 'member']] });
    const uploadsBefore = t.slack.uploads().length;
    await t.slash('export org:imp-rt status:active,suspended', ROUND_TRIP_ADMIN, { command: '/users' });
    await expect.poll(() => t.slack.uploads().length, { timeout: 20_000 }).toBe(uploadsBefore + 1);
    const exported = t.slack.uploads().at(-1)!;

    const dryRun = await importThroughModal('roster-export.csv', exported.bytes, { as: ROUND_TRIP_ADMIN, organisation: 'imp-rt' });
    const preview = blocksText(dryRun);
    expect(preview).toContain('To create: *0* · to update: *0* · unchanged: *2* · invalid: *0*');
    expect(preview).toContain('Nothing to import');
    expect(preview).not.toContain('import.apply');
    expect((await jobOf('roster-export.csv')).state).toBe('done');
  });
});

describe('Apply and Cancel', () => {
  it('refuses Apply to a viewer and to an admin of another organisation, audited, and changes nothing', async () => {
    const dryRun = await importThroughModal('guarded.csv', csv('email,first name,last name', 'guard.imp@example.test,Gu,Ard'));
    const updatesBefore = t.slack.calls('chat.update').length;
    await press(dryRun, 'import.apply', VIEWER);
    const refused = await t.slack.waitFor('chat.postEphemeral', (c) => c.args.user === VIEWER && blocksText(c).includes('needs an admin'));
    expect(refused.args.channel).toBe(dryRun.args.channel);
    await press(dryRun, 'import.apply', OTHER_ADMIN);
    await t.slack.waitFor('chat.postEphemeral', (c) => c.args.user === OTHER_ADMIN);
    expect(await t.given.audit({ actorId: VIEWER, action: 'import-apply', outcome: 'refused' })).toHaveLength(1);
    expect(await t.given.audit({ actorId: OTHER_ADMIN, action: 'import-apply', outcome: 'refused' })).toHaveLength(1);
    expect(t.slack.calls('chat.update').slice(updatesBefore)).toEqual([]);
    expect(await t.roster.orm.em.fork().count(Account, { email: 'guard.imp@example.test' })).toBe(0);
    expect((await jobOf('guarded.csv')).state).toBe('previewed');
  });

  it('refuses to Apply an import that would deactivate more accounts than the organisation lets go without approval', async () => {
    await t.given.organisation('imp-rule');
    const RULE_ADMIN = 'U0IMPRULEADM';
    await t.given.grant(RULE_ADMIN, 'admin', 'imp-rule');
    await t.given.grant('U0IMPOWNER', 'owner');
    const owner = { kind: 'slack' as const, id: 'U0IMPOWNER', grants: [{ role: 'owner' as const, organisationId: null }] };
    await runAction(t.roster.services, setApprovals, owner, { organisation: 'imp-rule', bulkDeactivateOver: 1 });
    const people = [
      await t.given.account({ email: 'ru.one@example.test', firstName: 'Ru', lastName: 'One', organisationSlug: 'imp-rule', status: 'ACTIVE' }),
      await t.given.account({ email: 'ru.two@example.test', firstName: 'Ru', lastName: 'Two', organisationSlug: 'imp-rule', status: 'ACTIVE' }),
    ];
    const dryRun = await importThroughModal(
      'deactivate-many.csv',
      csv('email,first name,last name,status', ...people.map((p) => `${p.email},${p.firstName},${p.lastName},deactivated`)),
      { organisation: 'imp-rule', as: RULE_ADMIN },
    );
    await press(dryRun, 'import.apply', RULE_ADMIN);
    const refused = await t.slack.waitFor(
      'chat.postEphemeral',
      (c) => c.args.user === RULE_ADMIN && blocksText(c).includes('would deactivate 2 accounts'),
      10_000,
    );
    expect(blocksText(refused)).toContain('/users bulk deactivate');
    for (const person of people) expect((await t.read.account(person.id)).status).toBe('ACTIVE');
  });

  it('discards the dry run on Cancel, so a later Apply finds nothing to apply', async () => {
    const dryRun = await importThroughModal('cancelled.csv', csv('email,first name,last name', 'gone.imp@example.test,Go,Ne'));
    await press(dryRun, 'import.cancel', ADMIN);
    const cancelled = await t.slack.waitFor('chat.update', (c) => c.args.ts === dryRun.args.ts && String(c.args.text).includes('nothing of it was imported'));
    expect(cancelled.args.channel).toBe(dryRun.args.channel);
    const job = await jobOf('cancelled.csv');
    expect(job.state).toBe('cancelled');
    expect(await itemCount(job.id)).toBe(0);
    expect(await t.given.audit({ action: 'bulk-cancel', jobId: job.id })).toHaveLength(1);

    await press(dryRun, 'import.apply', ADMIN);
    await t.slack.waitFor('chat.postEphemeral', (c) => c.args.user === ADMIN && blocksText(c).includes('It was cancelled'));
    expect(await t.roster.orm.em.fork().count(Account, { email: 'gone.imp@example.test' })).toBe(0);
  });
});

describe('names with the characters the staged rows must carry', () => {
  it('keeps quotes, backslashes and tabs in names exactly as the file has them', async () => {
    const dryRun = await importThroughModal('marks.csv', csv('email,first name,last name', 'marks.imp@example.test,"Jo ""JJ""","O\\Brien' + '\t' + 'Smith"'));
    expect(blocksText(dryRun)).toContain('To create: *1*');
    await press(dryRun, 'import.apply', ADMIN);
    expect(String((await summaryOf('marks.csv')).args.text)).toContain('1 created');
    const account = (await accountsOf('imp')).find((a) => a.email === 'marks.imp@example.test');
    expect([account?.firstName, account?.lastName]).toEqual(['Jo "JJ"', 'O\\Brien\tSmith']);
  });
});

/** An import of `fileName` into imp whose dry run is due, started by ADMIN, for tests that feed checkImportFile the file themselves. */
async function importBeingChecked(fileName: string) {
  const organisation = await t.roster.orm.em.fork().findOneOrFail(Organisation, { slug: 'imp' });
  const job = t.roster.orm.em.fork().create(BulkJob, {
    action: 'import',
    params: { organisationId: organisation.id, organisation: 'imp', sendInvitations: false, fileId: `F0${fileName}`, fileName },
    description: `${fileName} into imp`,
    requestedBy: ADMIN,
    state: 'checking',
    total: 0,
  });
  await t.roster.orm.em.fork().persist(job).flush();
  return { job, admin: await slackActor(t.roster.orm.em, ADMIN), services: { orm: t.roster.orm, logger: t.logger } };
}

describe('a Cancel while the dry run reads the file', () => {
  it('stops it at the batches in flight: nothing it staged stays, and it shows no dry run', async () => {
    const { job, admin, services } = await importBeingChecked('stopped.csv');
    // The file arrives as the dry run asks for it: a header, then 40,000 rows, 1,000 at a time.
    async function* file() {
      yield 'email,first name,last name\n';
      for (let start = 1; start <= 40_000; start += 1_000)
        yield Array.from({ length: 1_000 }, (_, i) => `stopped.${start + i}@example.test,Zoë,Person ${start + i}\n`).join('');
    }
    let cancelled = false;
    const checked = checkImportFile(services, admin, job.id, Readable.from(file()), { maxRows: 100_000 }, async (rows) => {
      if (cancelled || rows < 4_000) return;
      cancelled = true;
      await runAction(services, cancelBulkJob, admin, { jobId: job.id });
    });
    expect(await checked).toBeNull();
    expect(cancelled).toBe(true);
    expect((await t.roster.orm.em.fork().findOneOrFail(BulkJob, { id: job.id })).state).toBe('cancelled');
    expect(await itemCount(job.id)).toBe(0);
  });
});

describe('a dry run read again after its worker died half-way', () => {
  it('stages every row once: what the first reading staged does not stay beside the second', async () => {
    const { job, admin, services } = await importBeingChecked('reread.csv');
    async function* file(diesAfter?: number) {
      yield 'email,first name,last name\n';
      for (let start = 1; start <= 10_000; start += 1_000) {
        if (diesAfter !== undefined && start > diesAfter) throw new Error('the worker died');
        yield Array.from({ length: 1_000 }, (_, i) => `reread.${start + i}@example.test,Zoë,Person ${start + i}\n`).join('');
      }
    }
    const read = async () => {};
    await expect(checkImportFile(services, admin, job.id, Readable.from(file(6_000)), { maxRows: 100_000 }, read)).rejects.toThrow('the worker died');
    expect(await itemCount(job.id)).toBeGreaterThan(0);

    const preview = await checkImportFile(services, admin, job.id, Readable.from(file()), { maxRows: 100_000 }, read);
    expect(preview?.counts).toMatchObject({ create: 10_000, update: 0, unchanged: 0, invalid: 0 });
    expect(await itemCount(job.id)).toBe(10_000);
  });
});

describe('accounts added between the dry run and Apply', () => {
  it('refuses a new row whose email or username an account took since, and imports the rest', async () => {
    const dryRun = await importThroughModal(
      'raced.csv',
      csv(
        'email,first name,last name,username',
        'first.race@example.test,Fi,Rst,first.race',
        'second.race@example.test,Se,Cond,second.race',
        'third.race@example.test,Th,Ird,third.race',
      ),
    );
    expect(blocksText(dryRun)).toContain('To create: *3*');
    const already = await t.given.account({ organisationSlug: 'imp', email: 'first.race@example.test', firstName: 'Already', lastName: 'Here' });
    await t.given.account({ organisationSlug: 'imp-other', email: 'someone.race@example.test', username: 'third.race' });

    await press(dryRun, 'import.apply', ADMIN);
    expect(String((await summaryOf('raced.csv')).args.text)).toContain('1 created · 0 updated · 0 unchanged · 2 failed');
    const [report] = await errorReport('raced.csv');
    const reasons = report!.rows.slice(1).map((row) => row.join(' '));
    expect(reasons).toHaveLength(2);
    for (const reason of reasons) expect(reason).toContain('added meanwhile');
    expect(await t.read.account(already.id)).toMatchObject({ firstName: 'Already', lastName: 'Here', version: 1 });
    expect(await t.roster.orm.em.fork().count(Account, { email: { $in: ['second.race@example.test', 'third.race@example.test'] } })).toBe(1);
    expect(await t.given.audit({ action: 'import', jobId: (await jobOf('raced.csv')).id })).toHaveLength(1);
  });
});

describe('a worker that stops half-way', () => {
  it('leaves the rest to the next one, and every row is applied once', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `half${i}.imp@example.test,Half,Way ${i}`);
    const dryRun = await importThroughModal('halfway.csv', csv('email,first name,last name', ...rows));
    expect(blocksText(dryRun)).toContain('To create: *30*');
    const job = await jobOf('halfway.csv');
    // The first worker applied one chunk of ten rows, then died before it could take the next.
    await t.roster.orm.em.fork().nativeUpdate(BulkJob, { id: job.id }, { state: 'running' });
    const admin = await slackActor(t.roster.orm.em, ADMIN);
    const first = await runAction({ orm: t.roster.orm, logger: t.logger }, applyImportChunk, admin, { jobId: job.id, chunkSize: 10 });
    expect(first).toMatchObject({ claimed: 10, done: 10 });

    await t.roster.services.bulkJobs!.start(job.id);
    expect(String((await summaryOf('halfway.csv')).args.text)).toContain('30 created · 0 updated · 0 unchanged · 0 failed');
    const [counts] = await t.roster.orm.em.fork().execute<{ accounts: string; events: string; targets: string }[]>(
      `select (select count(*) from account where email like 'half%.imp@example.test') as accounts,
              (select count(*) from audit_event where job_id = ? and action = 'import') as events,
              (select count(distinct target_id) from audit_event where job_id = ? and action = 'import') as targets`,
      [job.id, job.id],
    );
    expect(counts).toEqual({ accounts: '30', events: '30', targets: '30' });
  });
});

describe('/users import template', () => {
  it('uploads an example CSV with Roster’s columns, which an import reads back', async () => {
    const reply = blocksText(await t.slash('import template', ADMIN, { command: '/users' }));
    expect(reply).toContain('The import template is on its way');
    await expect.poll(() => t.slack.uploads().some((file) => file.name === 'roster-import-template.csv'), { timeout: 10_000 }).toBe(true);
    const template = t.slack.uploads().find((file) => file.name === 'roster-import-template.csv')!;
    expect(template.channels).toEqual(['C0GENERAL']);
    const [header, ...rows] = parse(template.bytes.toString('utf8').replace(/^\uFEFF/, '')) as string[][];
    expect(header).toEqual([...EXPORT_HEADERS]);
    expect(rows).toHaveLength(2);

    const dryRun = await importThroughModal('template-copy.csv', template.bytes, { as: ROUND_TRIP_ADMIN, organisation: 'imp-rt' });
    // The template's first example joins a group of its own, which this organisation does not have.
    expect(blocksText(dryRun)).toContain('To create: *1* · to update: *0* · unchanged: *0* · invalid: *1*');

    expect(blocksText(await t.slash('import template', VIEWER, { command: '/users' }))).toContain('needs an admin');
    const mistyped = await t.slash('import templates', ADMIN, { command: '/users' });
    expect(blocksText(mistyped)).toContain('gives an example file');
    expect(firstUsageLine(mistyped)).toMatch(/^`\/users import` \(admin\)/);
  });

  it('opens a form with a file input, the organisations the grant allows, and invitations off', async () => {
    const view = await t.openModal('import', ADMIN, { command: '/users' });
    const elements = inputElements(view);
    expect(elements.file).toMatchObject({ type: 'file_input', filetypes: ['csv', 'xlsx'], max_files: 1 });
    expect(elements.organisation.options.map((o: any) => o.value)).toEqual(['imp']);
    expect(elements.organisation.initial_option.value).toBe('imp');
    expect(elements.invitations.initial_option.value).toBe('no');
    expect(blocksText(await t.slash('import', VIEWER, { command: '/users' }))).toContain('needs an admin');
  });
});
