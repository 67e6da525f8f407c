import { Readable, Writable } from 'node:stream';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXPORT_HEADERS, importTemplate, writeAccountExport, type ExportedAccount } from '../../jobs/accountExport.ts';
import { readImportFile } from '../../jobs/importFile.ts';
import { safeCsvStringifier, safeXlsxWriter } from '../../jobs/safeSpreadsheets.ts';
import { FORMULA_TRIGGERS, recoverFormula } from '../../src/domain/spreadsheetCells.ts';

class Sink extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void) {
    this.chunks.push(chunk);
    done();
  }
  bytes() {
    return Buffer.concat(this.chunks);
  }
}

/** Text that often begins with what a spreadsheet would run, or with quotes before it. */
const risky = (units: fc.Arbitrary<string>, triggers: readonly string[] = FORMULA_TRIGGERS) =>
  fc.oneof(
    fc.string({ unit: units }),
    fc
      .tuple(fc.constantFrom("'", "''", ''), fc.constantFrom(...triggers), fc.string({ unit: units }))
      .map(([quotes, trigger, rest]) => quotes + trigger + rest),
  );
const anyUnit = fc.oneof(fc.constantFrom(...FORMULA_TRIGGERS, "'", '"', ',', ';', ' ', 'é', '健'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));

async function csvCells(rows: string[][]): Promise<string[][]> {
  const sink = new Sink();
  const stringifier = safeCsvStringifier();
  stringifier.pipe(sink);
  for (const row of rows) stringifier.write(row);
  stringifier.end();
  await new Promise((resolve) => sink.on('finish', resolve));
  return parse(sink.bytes(), { bom: true, relax_column_count: true });
}

async function xlsxCells(rows: string[][]): Promise<string[][]> {
  const sink = new Sink();
  const writer = await safeXlsxWriter(sink, 'Sheet');
  for (const row of rows) await writer.addRow(row);
  await writer.end();
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(sink.bytes() as unknown as ArrayBuffer);
  const cells: string[][] = [];
  workbook.worksheets[0]!.eachRow({ includeEmpty: true }, (row) => {
    // XLSX has no empty cells: an empty text reads back as no value.
    cells.push(rows[0]!.map((_, i) => (row.getCell(i + 1).value ?? '') as string));
  });
  return cells;
}

function expectSafeAndRecoverable(written: string[][], read: string[][]) {
  expect(read).toHaveLength(written.length);
  read.forEach((row, r) =>
    row.forEach((cell, c) => {
      expect(FORMULA_TRIGGERS).not.toContain(cell[0]);
      expect(recoverFormula(cell)).toBe(written[r]![c]);
    }),
  );
}

describe('formula-safe spreadsheets', () => {
  it('CSV: no cell read back starts with a formula trigger, and every text is recoverable', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(risky(anyUnit), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }), async (rows) => {
        expectSafeAndRecoverable(rows, await csvCells(rows));
      }),
      { numRuns: 300 },
    );
  });

  it('CSV: neutralises the NUL and line feed that csv-stringify escape_formulas misses', async () => {
    const rows = [['\0cmd', '\n=1+1', '=HYPERLINK("http://x")', '-Ana', '@SUM(A1)', '+1', '\tTab', '\rCR', 'plain']];

    expect((await csvCells(rows))[0]).toEqual(["'\0cmd", "'\n=1+1", '\'=HYPERLINK("http://x")', "'-Ana", "'@SUM(A1)", "'+1", "'\tTab", "'\rCR", 'plain']);
  });

  it('XLSX: cells are text, never formulas, neutralised and recoverable', async () => {
    // XML cannot carry NUL or most control characters (the next test), and its readers fold CR into LF.
    const printable = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));
    const xmlUnit = fc.oneof(fc.constantFrom('=', '+', '-', '@', '\t', '\n', "'", '"', ' ', 'é', '健', '👩‍🔬'), printable);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(risky(xmlUnit, ['=', '+', '-', '@', '\t', '\n']), { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 4 }),
        async (rows) => {
          const cells = await xlsxCells(rows);
          for (const row of cells) for (const cell of row) expect(typeof cell).toBe('string');
          expectSafeAndRecoverable(rows, cells);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('XLSX: drops the characters XML cannot hold, then neutralises what is left', async () => {
    expect(await xlsxCells([['\0=1+1', 'Zo\u0007ë', '\u0001-Ana']])).toEqual([["'=1+1", 'Zoë', "'-Ana"]]);
  });
});

const account = (over: Partial<ExportedAccount> = {}): ExportedAccount => ({
  email: 'ana@example.com',
  firstName: 'Ana',
  lastName: 'Lima',
  username: 'ana.lima',
  role: 'manager',
  status: 'ACTIVE',
  organisation: 'acme',
  groups: ['Field Crew North', 'Office'],
  lastSignInAt: '2026-11-03T10:15:00.000Z',
  createdAt: '2026-01-05T09:00:00.000Z',
  updatedAt: '2026-11-03T10:15:00.000Z',
  ...over,
});

const accounts = [
  account(),
  account({
    email: 'eve@example.com',
    firstName: '=HYPERLINK("http://evil")',
    lastName: '-Smith',
    username: 'eve',
    role: 'user',
    groups: [],
    lastSignInAt: null,
  }),
  account({ email: 'kenji@example.com', firstName: '健二', lastName: '佐藤', username: 'kenji', status: 'DEACTIVATED', groups: ['@Team'] }),
  account({ email: 'zoe@example.com', firstName: 'Zoë', lastName: "'+Ångström", username: 'zoe', status: 'LOCKED_OUT' }),
];

async function* stream<T>(items: readonly T[]) {
  yield* items;
}

describe('account export', () => {
  it.each(['csv', 'xlsx'] as const)('round-trips through the import as %s: the same accounts, formulas neutralised', async (format) => {
    const sink = new Sink();
    expect(await writeAccountExport(stream(accounts), format, sink)).toBe(4);

    const parsed = await readImportFile(Readable.from([sink.bytes()]), { maxRows: 10 });

    expect(parsed).toMatchObject({ format, layout: 'roster', unknownColumns: [], errors: [] });
    expect(parsed.ignoredColumns.map((c) => c.column)).toEqual(['last sign-in', 'added', 'modified']);
    expect(parsed.candidates).toEqual(
      accounts.map((a, i) => ({
        row: i + 2,
        email: a.email,
        firstName: a.firstName,
        lastName: a.lastName,
        username: a.username,
        role: a.role,
        status: a.status,
        organisation: a.organisation,
        groups: a.groups,
      })),
    );
  });

  it('writes the neutralised cells and the dates in ISO 8601', async () => {
    const sink = new Sink();
    await writeAccountExport(stream(accounts.slice(0, 2)), 'csv', sink);

    const [header, ana, eve] = parse(sink.bytes(), { bom: true }) as string[][];
    expect(header).toEqual([...EXPORT_HEADERS]);
    expect(ana).toEqual([
      'ana@example.com',
      'Ana',
      'Lima',
      'ana.lima',
      'manager',
      'ACTIVE',
      'acme',
      'Field Crew North; Office',
      '2026-11-03T10:15:00.000Z',
      '2026-01-05T09:00:00.000Z',
      '2026-11-03T10:15:00.000Z',
    ]);
    expect(eve?.slice(1, 3)).toEqual(['\'=HYPERLINK("http://evil")', "'-Smith"]);
    expect(eve?.[8]).toBe('');
  });

  it.each([
    ['csv', 200_000],
    ['xlsx', 100_000],
  ] as const)('holds one row at a time: %s of %i accounts with flat memory', async (format, count) => {
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap: number[] = [];
    async function* many() {
      for (let i = 0; i < count; i++) {
        if (i % 20_000 === 0) {
          gc();
          heap.push(process.memoryUsage().heapUsed);
        }
        yield account({ email: `user${i}@example.com`, username: `user${i}` });
      }
    }
    let bytes = 0;
    const counter = new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done();
      },
    });

    await writeAccountExport(many(), format, counter);

    // Rows held in memory would grow the heap by more than the file itself (4.4 MB of XLSX, 29 MB of CSV).
    expect(bytes).toBeGreaterThan(count * (format === 'csv' ? 140 : 40));
    expect(Math.max(...heap) - heap[0]!).toBeLessThan(10 * 1024 * 1024);
  });

  it('shares a template whose columns the import reads as its own', async () => {
    const template = await importTemplate();
    const parsed = await readImportFile(Readable.from([template]), { maxRows: 10 });

    expect(template.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(parsed).toMatchObject({ layout: 'roster', unknownColumns: [], errors: [] });
    expect(parsed.candidates).toEqual([
      { row: 2, email: 'ana.lima@example.com', firstName: 'Ana', lastName: 'Lima', username: 'ana.lima', role: 'user', groups: ['Field Crew North'] },
      { row: 3, email: 'kenji.sato@example.com', firstName: '健二', lastName: '佐藤', username: 'kenji.sato', role: 'manager', groups: [] },
    ]);
  });
});
