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
  return stringify({ bom: true, record_delimiter: 'windows', cast: { string: neutraliseFormula } });
}

export interface SafeXlsxWriter {
  /** Writes one row of text cells (each neutralised like a CSV cell); resolves when the writer can take more. */
  addRow(cells: readonly string[]): Promise<void>;
  /** Finishes the workbook; the output stream ends with it. */
  end(): Promise<void>;
}

/**
 * An XLSX writer that streams: each row is committed as it is written, so memory stays flat however many rows there
 * are. Every cell is written as text, never as a formula, and neutralised as in a CSV, so the file stays safe when
 * someone saves it again as CSV.
 */
export function safeXlsxWriter(out: Writable, sheetName: string): SafeXlsxWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet(sheetName);
  let written = 0;
  return {
    async addRow(cells) {
      sheet.addRow(cells.map(neutraliseFormula)).commit();
      // exceljs does not report back-pressure: yield now and then so the zip stream drains to `out`.
      if (++written % 1000 === 0 && out.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
    },
    async end() {
      sheet.commit();
      await workbook.commit();
    },
  };
}
