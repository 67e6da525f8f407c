import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { ImportRowReader, type ImportCandidate, type ImportRow, type RowError } from '../src/actions/accounts/import/importRows.ts';
import { RefusedError } from '../src/domain/errors.ts';
import { ENTRA_VERSION_LINE, planColumns, type ColumnPlan, type ImportField, type LayoutId } from '../src/domain/importLayouts.ts';

/** The longest line (CSV) or cell (XLSX) an import reads: a row of Roster's columns is a few hundred bytes. */
export const IMPORT_MAX_LINE_BYTES = 64 * 1024;

export interface ImportFileLimits {
  /** More data rows than this and the whole file is refused (ROSTER_IMPORT_MAX_ROWS). */
  maxRows: number;
  maxLineBytes?: number;
}

/** A file an import cannot read at all; the sentence says why, and nothing was changed. */
export class ImportFileError extends RefusedError {
  constructor(sentence: string) {
    super(sentence, 'invalid-input');
    this.name = 'ImportFileError';
  }
}

export interface OpenedImport {
  format: 'csv' | 'xlsx';
  layout: LayoutId;
  /** "Google Workspace bulk upload", for the dry run. */
  layoutName: string;
  unknownColumns: string[];
  ignoredColumns: { column: string; reason: string }[];
  /** The column of each field the file carries, as the file names it. */
  columnNames: Partial<Record<ImportField, string>>;
  /**
   * Every data row, in order, read as it streams: a candidate or its errors. Fails with an ImportFileError when the
   * file has no data rows, more than `maxRows`, an over-long line, or broken CSV quoting.
   */
  rows: AsyncIterable<ImportRow>;
}

export interface ParsedImport extends Omit<OpenedImport, 'rows'> {
  candidates: ImportCandidate[];
  errors: RowError[];
  /** Data rows read, valid or not. */
  rowCount: number;
}

const NOT_A_SPREADSHEET = 'The file is neither a CSV file (UTF-8 text) nor an XLSX workbook; in Excel, save it as "CSV UTF-8" or as .xlsx and share it again.';

/**
 * Opens an account import: decides from its first bytes whether it is CSV or XLSX (whatever its name says), reads the
 * header row, recognises the layout, and hands back the rows as a stream.
 */
export async function openImportFile(source: Readable, limits: ImportFileLimits): Promise<OpenedImport> {
  const maxLineBytes = limits.maxLineBytes ?? IMPORT_MAX_LINE_BYTES;
  const { head, stream } = await peek(source, 4096);
  const format = sniffFormat(head);
  const records = format === 'xlsx' ? xlsxRecords(stream, maxLineBytes) : csvRecords(stream, head, maxLineBytes);
  const iterator = records[Symbol.asyncIterator]();

  let first = await nextFilled(iterator);
  const afterVersionLine = first !== undefined && first.cells.length === 1 && ENTRA_VERSION_LINE.test(first.cells[0]!.trim());
  if (afterVersionLine) first = await nextFilled(iterator);
  if (first === undefined) {
    await iterator.return?.(undefined);
    throw new ImportFileError('The file is empty.');
  }
  const headers = first.cells;
  const plan = planColumns(headers, { afterVersionLine });
  if (plan.fields.email === undefined) {
    await iterator.return?.(undefined);
    throw new ImportFileError(`The first row has no email column (read as ${plan.layoutName}); name the columns as /users import template does.`);
  }
  return {
    format,
    layout: plan.layout,
    layoutName: plan.layoutName,
    unknownColumns: plan.unknownColumns,
    ignoredColumns: plan.ignoredColumns,
    columnNames: Object.fromEntries(Object.entries(plan.fields).map(([field, index]) => [field, headers[index]!.replace(/^\uFEFF/, '').trim()])),
    rows: dataRows(iterator, plan, headers, limits.maxRows),
  };
}

/** The whole file at once, for a dry run: every candidate and every row error, in row order. */
export async function readImportFile(source: Readable, limits: ImportFileLimits): Promise<ParsedImport> {
  const { rows, ...opened } = await openImportFile(source, limits);
  const parsed: ParsedImport = { ...opened, candidates: [], errors: [], rowCount: 0 };
  for await (const row of rows) {
    parsed.rowCount++;
    if ('candidate' in row) parsed.candidates.push(row.candidate);
    else parsed.errors.push(...row.errors);
  }
  return parsed;
}

interface SheetRecord {
  /** The row number a spreadsheet shows. */
  row: number;
  cells: string[];
}

async function* dataRows(records: AsyncIterator<SheetRecord>, plan: ColumnPlan, headers: string[], maxRows: number): AsyncGenerator<ImportRow> {
  const reader = new ImportRowReader(plan, headers, maxRows);
  let count = 0;
  try {
    for (let record = await nextFilled(records); record !== undefined; record = await nextFilled(records)) {
      if (++count > maxRows) throw new ImportFileError(`The file has more than ${maxRows.toLocaleString('en')} rows, the most one import takes; split it.`);
      yield reader.read(record.row, record.cells);
    }
  } finally {
    await records.return?.(undefined);
  }
  if (count === 0) throw new ImportFileError('The file has a header row but no accounts under it.');
}

/** The next record with any text in it: spreadsheets leave blank rows and trailing empty lines. */
async function nextFilled(records: AsyncIterator<SheetRecord>): Promise<SheetRecord | undefined> {
  for (;;) {
    const next = await records.next();
    if (next.done) return undefined;
    if (next.value.cells.some((cell) => cell.trim() !== '')) return next.value;
  }
}

function sniffFormat(head: Buffer): 'csv' | 'xlsx' {
  const startsWith = (...bytes: number[]) => bytes.every((byte, i) => head[i] === byte);
  if (startsWith(0x50, 0x4b, 0x03, 0x04)) return 'xlsx';
  if (startsWith(0xd0, 0xcf, 0x11, 0xe0))
    throw new ImportFileError('The file is an old Excel workbook (.xls); save it as .xlsx or as "CSV UTF-8" and share it again.');
  if (startsWith(0xff, 0xfe) || startsWith(0xfe, 0xff)) throw new ImportFileError('The file is UTF-16 text; save it as "CSV UTF-8" and share it again.');
  if (head.includes(0)) throw new ImportFileError(NOT_A_SPREADSHEET);
  if (
    head
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim() === ''
  )
    throw new ImportFileError('The file is empty.');
  return 'csv';
}

async function* csvRecords(stream: Readable, head: Buffer, maxLineBytes: number): AsyncGenerator<SheetRecord> {
  const parser = parse({
    delimiter: delimiterOf(head),
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: maxLineBytes,
  });
  // pipeline hands a failure anywhere upstream (a download cut off or over its size) to the parser, so the loop ends.
  pipeline(stream, strictUtf8(), parser).catch(() => {});
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) yield { row: ++row, cells };
  } catch (error) {
    // The parser knows how many records it finished; the loop may not have seen them all when it failed.
    const finished = (error as { records?: unknown }).records;
    throw csvProblem(error, typeof finished === 'number' ? finished + 1 : row + 1);
  } finally {
    stream.destroy();
  }
}

/** Excel writes ";"-separated CSV where the decimal separator is a comma: the header row shows which it is. */
function delimiterOf(head: Buffer): string {
  const firstLine = head.toString('utf8').split(/\r?\n/, 1)[0] ?? '';
  const count = (char: string) => firstLine.split(char).length - 1;
  const [best] = [',', ';', '\t'].sort((a, b) => count(b) - count(a));
  return count(best!) > 0 ? best! : ',';
}

function csvProblem(error: unknown, row: number): unknown {
  if (error instanceof ImportFileError) return error;
  if (error instanceof CsvError) {
    if (error.code === 'CSV_MAX_RECORD_SIZE')
      return new ImportFileError(`Row ${row} is longer than ${IMPORT_MAX_LINE_BYTES / 1024} KB, which no account needs; is this the right file?`);
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') return new ImportFileError(`Row ${row} opens a quote that is never closed, so the file is not valid CSV.`);
    return new ImportFileError(`Row ${row} is not valid CSV (${error.message.replace(/^.*?: /, '').replace(/\.$/, '')}).`);
  }
  return error;
}

/** Decodes UTF-8 (dropping a BOM) and refuses anything else, rather than importing names full of replacement marks. */
function strictUtf8(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return new Transform({
    readableObjectMode: false,
    decodeStrings: true,
    transform(chunk: Buffer, _encoding, done) {
      try {
        done(null, decoder.decode(chunk, { stream: true }));
      } catch {
        done(new ImportFileError(NOT_A_SPREADSHEET));
      }
    },
    flush(done) {
      try {
        done(null, decoder.decode());
      } catch {
        done(new ImportFileError(NOT_A_SPREADSHEET));
      }
    },
  });
}

async function* xlsxRecords(stream: Readable, maxLineBytes: number): AsyncGenerator<SheetRecord> {
  // Loaded here, not with the worker: about 35 MB that a CSV import never needs.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(stream, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore' });
  // exceljs pipes its input without listening for its errors: a download that fails would leave it waiting forever.
  const failed = new Promise<never>((_resolve, reject) => stream.once('error', reject));
  failed.catch(() => {});
  const next = <T>(iterator: AsyncIterator<T>) => Promise.race([iterator.next(), failed]);
  try {
    // The accounts are on the first worksheet; the others (notes, lookups) are not read.
    const sheet = await next(workbook[Symbol.asyncIterator]());
    if (sheet.done) return;
    const rows = sheet.value[Symbol.asyncIterator]();
    for (let row = await next(rows); !row.done; row = await next(rows)) {
      const values = Array.isArray(row.value.values) ? row.value.values.slice(1) : [];
      const cells = Array.from(values, cellText);
      if (cells.some((cell) => cell.length > maxLineBytes))
        throw new ImportFileError(`Row ${row.value.number} has a cell longer than ${maxLineBytes / 1024} KB, which no account needs; is this the right file?`);
      yield { row: row.value.number, cells };
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    // A download that failed says why itself; only a file that arrived whole and still fails is a bad workbook.
    if (stream.errored) throw stream.errored;
    throw new ImportFileError('The file looks like an XLSX workbook but cannot be opened; save it again from Excel and share it again.');
  } finally {
    stream.destroy();
  }
}

/** A cell as the text a person sees in it: a hyperlink's text, a formula's result, a date in ISO 8601. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const cell = value as { richText?: { text: string }[]; text?: unknown; result?: unknown };
    if (Array.isArray(cell.richText)) return cell.richText.map((part) => part.text).join('');
    if ('text' in cell) return cellText(cell.text);
    if ('result' in cell) return cellText(cell.result);
  }
  return '';
}

/** The first `bytes` of a stream (fewer if it is shorter), and a stream of all of it, the head included. */
async function peek(source: Readable, bytes: number): Promise<{ head: Buffer; stream: Readable }> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    chunks.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(chunks);
  async function* all() {
    if (head.length > 0) yield head;
    if (ended) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  const stream = Readable.from(all(), { objectMode: false });
  stream.on('close', () => source.destroy());
  return { head: head.subarray(0, bytes), stream };
}
