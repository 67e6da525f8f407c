import { Transform, type Writable } from 'node:stream';
import { neutraliseFormula } from '../src/domain/spreadsheetCells.ts';

/** A CSV starts with a byte order mark, without which Excel reads UTF-8 names as Latin-1. */
export const CSV_BOM = '\uFEFF';

/** A cell is quoted when it holds a comma, a quote or a line break (RFC 4180), or a reader would split it there. */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV record, each cell neutralised against formula injection (a single quote before `=`, `+`, `-`, `@`, tab, CR,
 * LF or NUL), ended by CRLF. csv-stringify's own `escape_formulas` misses a leading NUL and line feed; with a cast
 * neutralising each cell instead it wrote about 250,000 records a second here, most of a million-row export's time,
 * where this writes over a million.
 */
export function safeCsvRecord(cells: readonly string[]): string {
  let record = '';
  for (let i = 0; i < cells.length; i++) {
    const cell = neutraliseFormula(cells[i]!);
    record += `${i ? ',' : ''}${NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell}`;
  }
  return `${record}\r\n`;
}

/** A stream of records (arrays of cells) in, formula-safe CSV out, starting with the byte order mark. */
export function safeCsvStringifier(): Transform {
  let started = false;
  return new Transform({
    writableObjectMode: true,
    transform(cells: readonly string[], _encoding, done) {
      done(null, `${started ? '' : CSV_BOM}${safeCsvRecord(cells)}`);
      started = true;
    },
  });
}

export interface SafeXlsxWriter {
  /** Writes one row of text cells (each neutralised like a CSV cell); resolves when the writer can take more. */
  addRow(cells: readonly string[]): Promise<void>;
  /** Finishes the workbook; the output stream ends with it. */
  end(): Promise<void>;
}

/** Characters XML 1.0 cannot carry: NUL and the other C0 controls but tab, CR and LF, and two non-characters. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this expression is for.
const NOT_IN_XML = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;

/**
 * An XLSX writer that streams: each row is committed as it is written, so memory stays flat however many rows there
 * are. Every cell is written as text, never as a formula, and neutralised as in a CSV, so the file stays safe when
 * someone saves it again as CSV. Characters XML cannot hold are dropped (a NUL would make Excel call the file corrupt).
 * exceljs is loaded on the first workbook, not with the worker: it holds about 35 MB that a CSV never needs.
 */
export async function safeXlsxWriter(out: Writable, sheetName: string): Promise<SafeXlsxWriter> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet(sheetName);
  let written = 0;
  return {
    async addRow(cells) {
      sheet.addRow(cells.map((cell) => neutraliseFormula(cell.toWellFormed().replace(NOT_IN_XML, '')))).commit();
      // exceljs hands each 64 KB to its zip stream without waiting: give the compressor a turn now and then, and
      // wait for `out` when it is full, or the rows pile up in memory.
      if (++written % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (out.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
    },
    async end() {
      sheet.commit();
      await workbook.commit();
    },
  };
}
