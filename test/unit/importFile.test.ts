import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ImportFileError, openImportFile, readImportFile } from '../../jobs/importFile.ts';

const limits = { maxRows: 1000 };
const fromText = (text: string) => Readable.from([Buffer.from(text, 'utf8')]);
const read = (text: string | Buffer, options = limits) => readImportFile(Buffer.isBuffer(text) ? Readable.from([text]) : fromText(text), options);

async function xlsx(rows: unknown[][], extraSheet = false): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('People');
  for (const row of rows) sheet.addRow(row);
  if (extraSheet) workbook.addWorksheet('Notes').addRow(['not an account']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('account import files', () => {
  it("reads Roster's template with valid, invalid, duplicate and unknown-column rows", async () => {
    const parsed = await read(
      [
        'Email,First Name,LAST NAME,user name,Role,Favourite colour',
        'ana@example.com,Ana,Lima,ana.lima,Manager,blue',
        'not-an-email,Bo,,bo,chief,green',
        'ANA@Example.com,Ana,Again,,user,red',
        'kim@example.com,Kim,Park,,,',
      ].join('\n'),
    );

    expect(parsed).toMatchObject({ format: 'csv', layout: 'roster', layoutName: "Roster's own template", unknownColumns: ['Favourite colour'], rowCount: 4 });
    // "user name" is not Roster's "username": header names ignore case and spaces, not spelling.
    expect(parsed.unknownColumns).not.toContain('user name');
    expect(parsed.candidates).toEqual([
      { row: 2, email: 'ana@example.com', firstName: 'Ana', lastName: 'Lima', username: 'ana.lima', role: 'manager' },
      { row: 5, email: 'kim@example.com', firstName: 'Kim', lastName: 'Park' },
    ]);
    expect(parsed.errors).toEqual([
      { row: 3, column: 'Email', reason: 'must be an email address such as alice@example.com' },
      { row: 3, column: 'LAST NAME', reason: 'is missing' },
      { row: 3, column: 'Role', reason: 'must be one of user, manager, administrator' },
      { row: 4, column: 'Email', reason: 'repeats the email of row 2' },
    ]);
  });

  it('finds a repeated email however far apart the rows are', async () => {
    const emails = Array.from({ length: 5000 }, (_, i) => `person${i}@example.com`);
    const rows = [...emails, 'PERSON0@example.com', 'person2998@EXAMPLE.com', 'person5000@example.com'];
    const parsed = await read(['email,first name,last name', ...rows.map((email) => `${email},P,Q`)].join('\n'), { maxRows: 10_000 });

    expect(parsed.candidates).toHaveLength(5001);
    expect(parsed.errors).toEqual([
      { row: 5002, column: 'email', reason: 'repeats the email of row 2' },
      { row: 5003, column: 'email', reason: 'repeats the email of row 3000' },
    ]);
  });

  it('reads a UTF-8 file with or without a BOM, keeping accents and non-Latin names', async () => {
    const body = 'email,first name,last name\r\nzoe@example.com,Zoë,Ångström-Núñez\r\nkenji@example.com,健二,佐藤\r\nolga@example.com,Ольга,Петрова\r\n';
    const withBom = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]));
    const without = await read(body);

    expect(withBom.candidates.map((c) => `${c.firstName} ${c.lastName}`)).toEqual(['Zoë Ångström-Núñez', '健二 佐藤', 'Ольга Петрова']);
    expect(without.candidates).toEqual(withBom.candidates);
    expect(withBom.unknownColumns).toEqual([]);
  });

  it('reads the first worksheet of an XLSX workbook, whatever the file is called', async () => {
    const workbook = await xlsx(
      [
        ['Email', 'First name', 'Last name', 'Groups'],
        [{ text: 'ana@example.com', hyperlink: 'mailto:ana@example.com' }, 'Ana', 'Lima', 'Field Crew North; Office'],
        [],
        ['bad', 'Bo', 'Berg', ''],
      ],
      true,
    );

    const parsed = await read(workbook);

    expect(parsed).toMatchObject({ format: 'xlsx', layout: 'roster', rowCount: 2 });
    expect(parsed.candidates).toEqual([{ row: 2, email: 'ana@example.com', firstName: 'Ana', lastName: 'Lima', groups: ['Field Crew North', 'Office'] }]);
    expect(parsed.errors).toEqual([{ row: 4, column: 'Email', reason: 'must be an email address such as alice@example.com' }]);
  });

  it("recognises Google Workspace's bulk upload and never keeps its password", async () => {
    const parsed = await read(
      [
        'First Name [Required],Last Name [Required],Email Address [Required],Password [Required],Password Hash Function [UPLOAD ONLY],Org Unit Path [Required],Employee Title,Shoe size',
        'Ana,Lima,ana@example.com,Secret-Pass-1,,/,Engineer,38',
      ].join('\n'),
    );

    expect(parsed).toMatchObject({ layout: 'google', layoutName: 'Google Workspace bulk upload', unknownColumns: ['Shoe size'] });
    expect(parsed.candidates).toEqual([{ row: 2, email: 'ana@example.com', firstName: 'Ana', lastName: 'Lima' }]);
    expect(parsed.ignoredColumns.map((c) => c.column)).toEqual([
      'Password [Required]',
      'Password Hash Function [UPLOAD ONLY]',
      'Org Unit Path [Required]',
      'Employee Title',
    ]);
    expect(parsed.ignoredColumns[0]?.reason).toMatch(/passwords are never imported/);
    expect(JSON.stringify(parsed)).not.toContain('Secret-Pass-1');
  });

  it("recognises Microsoft Entra ID's bulk create below its version line: a blocked sign-in is DEACTIVATED", async () => {
    const parsed = await read(
      [
        'version:v1.0',
        'Name [displayName] Required,User name [userPrincipalName] Required,Initial password [passwordProfile] Required,Block sign in (Yes/No) [accountEnabled] Required,First name [givenName],Last name [surname],Job title [jobTitle]',
        'Chris Green,chris@contoso.com,Pa55-word,No,Chris,Green,Engineer',
        'Maria Del Mar Ruiz,maria@contoso.com,Pa55-word,Yes,,,',
        'Sam Lee,sam@contoso.com,Pa55-word,Maybe,Sam,Lee,',
      ].join('\n'),
    );

    expect(parsed).toMatchObject({ layout: 'entra', layoutName: 'Microsoft Entra ID bulk create', unknownColumns: [] });
    expect(parsed.candidates).toEqual([
      { row: 3, email: 'chris@contoso.com', firstName: 'Chris', lastName: 'Green' },
      { row: 4, email: 'maria@contoso.com', firstName: 'Maria Del Mar', lastName: 'Ruiz', status: 'DEACTIVATED' },
    ]);
    expect(parsed.errors).toEqual([{ row: 5, column: 'Block sign in (Yes/No) [accountEnabled] Required', reason: 'must be Yes or No' }]);
    expect(parsed.ignoredColumns).toContainEqual({ column: 'Initial password [passwordProfile] Required', reason: expect.stringMatching(/never imported/) });
  });

  it("recognises Okta's attribute names: the login becomes the username", async () => {
    const parsed = await read(['login,firstName,lastName,email,password,department', 'ana.lima@example.com,Ana,Lima,ana.lima@example.com,x,Sales'].join('\n'));

    expect(parsed).toMatchObject({ layout: 'okta', layoutName: 'Okta user attributes', unknownColumns: [] });
    expect(parsed.candidates).toEqual([{ row: 2, email: 'ana.lima@example.com', firstName: 'Ana', lastName: 'Lima', username: 'ana.lima' }]);
    expect(parsed.ignoredColumns.map((c) => c.column)).toEqual(['password', 'department']);
  });

  it('reads a ";"-separated CSV as Excel writes it in some countries', async () => {
    const parsed = await read('email;first name;last name;groups\nana@example.com;Ana;Lima;North; South\n'.replace('North; South', '"North; South"'));

    expect(parsed.candidates).toEqual([{ row: 2, email: 'ana@example.com', firstName: 'Ana', lastName: 'Lima', groups: ['North', 'South'] }]);
  });

  it.each([
    [
      'a binary file named .csv',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      /neither a CSV file \(UTF-8 text\) nor an XLSX workbook/,
    ],
    ['Latin-1 text', Buffer.from('email,first name,last name\nzoe@example.com,Zo\xeb,Berg\n', 'latin1'), /neither a CSV file \(UTF-8 text\)/],
    ['an old .xls workbook', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), /old Excel workbook \(\.xls\)/],
    ['an empty file', Buffer.alloc(0), /^The file is empty\.$/],
    ['blank lines and a BOM', Buffer.from('\uFEFF\n\n  \n'), /^The file is empty\.$/],
    ['headers only', Buffer.from('email,first name,last name\n,,\n'), /^The file has a header row but no accounts under it\.$/],
    ['no email column', Buffer.from('name,phone\nAna,123\n'), /^The first row has no email column/],
    [
      'an unclosed quote',
      Buffer.from('email,first name,last name\n"ana@example.com,Ana,Lima\n'),
      /^Row 2 opens a quote that is never closed, so the file is not valid CSV\.$/,
    ],
    ['a broken zip named .xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 7)]), /cannot be opened/],
  ])('refuses %s with one sentence', async (_name, bytes, message) => {
    await expect(read(bytes)).rejects.toThrow(message);
    await expect(read(bytes)).rejects.toBeInstanceOf(ImportFileError);
  });

  it('refuses a single huge line without reading it whole', async () => {
    // 50 MB with no line break, as a stream of 1 MB chunks.
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    const huge = Readable.from(
      (function* () {
        yield Buffer.from('email,first name,last name\n');
        for (let i = 0; i < 50; i++) yield chunk;
      })(),
    );
    const before = process.memoryUsage().rss;

    await expect(readImportFile(huge, limits)).rejects.toThrow('Row 2 is longer than 64 KB, which no account needs; is this the right file?');
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
  });

  it('refuses an XLSX cell over the line limit', async () => {
    const workbook = await xlsx([
      ['email', 'first name', 'last name'],
      ['ana@example.com', 'A'.repeat(70 * 1024), 'Lima'],
    ]);

    await expect(read(workbook)).rejects.toThrow('Row 2 has a cell longer than 64 KB, which no account needs; is this the right file?');
  });

  it.each(['csv', 'xlsx'] as const)('ends with the source’s own error when a %s download fails midway', async (format) => {
    const whole =
      format === 'csv'
        ? Buffer.from(`email,first name,last name\n${'a@example.com,A,B\n'.repeat(5000)}`)
        : await xlsx([['email'], ...Array.from({ length: 5000 }, () => ['a@example.com'])]);
    const cut = new Readable({ read() {} });
    cut.push(whole.subarray(0, 8192));
    setTimeout(() => cut.destroy(new Error('the download was cut off')), 20);

    await expect(readImportFile(cut, limits)).rejects.toThrow('the download was cut off');
  });

  it('refuses more rows than the limit, and takes exactly the limit', async () => {
    const file = (rows: number) => ['email,first name,last name', ...Array.from({ length: rows }, (_, i) => `u${i}@example.com,U,${i}`)].join('\n');

    await expect(read(file(6), { maxRows: 5 })).rejects.toThrow('The file has more than 5 rows, the most one import takes; split it.');
    expect((await read(file(5), { maxRows: 5 })).candidates).toHaveLength(5);
  });

  it('streams rows as it reads them', async () => {
    const opened = await openImportFile(fromText('email,first name,last name\na@example.com,A,A\nb@example.com,B,B\n'), limits);
    const rows = [];
    for await (const row of opened.rows) rows.push(row.row);
    expect(rows).toEqual([2, 3]);
  });
});
