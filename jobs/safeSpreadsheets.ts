import type { Writable } from 'node:stream';
import { stringify, type Stringifier } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { neutraliseFormula } from '../src/domain/spreadsheetCells.ts';

/**
 * A CSV writer whose every text cell is neutralised against formula injection (a single quote before `=`, `+`, `-`,
 * `@`, tab, CR, LF or NUL). csv-stringify's own `escape_formulas` misses a leading NUL and line feed, so it is not used.
 * Write arrays of cells; the output starts with a BOM, without which Excel reads UTF-8 names as Latin-1.
 */
export function safeCsvStringifier(): Stringifier {
  // A line break inside a cell is quoted whatever the record delimiter, or a reader would start a new row there.
  return stringify({ bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/, cast: { string: neutraliseFormula } });
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
 */
export function safeXlsxWriter(out: Writable, sheetName: string): SafeXlsxWriter {
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
