import { Readable, type Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import type { ExportRow } from '../src/db/accountList.ts';
import { ACCOUNT_FILE_COLUMNS } from '../src/domain/importLayouts.ts';
import { CSV_BOM, safeCsvRecord, safeCsvStringifier, safeXlsxWriter } from './safeSpreadsheets.ts';

/** One account as an export writes it (the columns of the import template, so an export can be imported again): a row of the export's query. */
export type ExportedAccount = ExportRow;

export type ExportFormat = 'csv' | 'xlsx';

export const EXPORT_HEADERS: readonly string[] = ACCOUNT_FILE_COLUMNS.map((column) => column.header);

/** Group names share one cell, as the import reads them. */
const GROUP_SEPARATOR = '; ';

function exportCells(account: ExportedAccount): string[] {
  return [
    account.email,
    account.firstName,
    account.lastName,
    account.username,
    account.role,
    account.status,
    account.organisation,
    account.groups.join(GROUP_SEPARATOR),
    account.lastSignInAt ?? '',
    account.createdAt,
    account.updatedAt,
  ];
}

/** CSV goes to `out` in pieces of about this many characters: a write per row would cost more than the row. */
const CSV_PIECE = 64 * 1024;

/**
 * Writes accounts as they arrive (a cursor over the database) to `out`, as CSV or XLSX, holding at most a piece of the
 * file at a time. Every cell is safe against formula injection. Resolves with the number of accounts once `out` has
 * everything.
 */
export async function writeAccountExport(accounts: AsyncIterable<ExportedAccount>, format: ExportFormat, out: Writable): Promise<number> {
  let count = 0;
  if (format === 'csv') {
    async function* pieces() {
      let piece = CSV_BOM + safeCsvRecord(EXPORT_HEADERS);
      for await (const account of accounts) {
        count++;
        piece += safeCsvRecord(exportCells(account));
        if (piece.length >= CSV_PIECE) {
          yield piece;
          piece = '';
        }
      }
      yield piece;
    }
    await pipeline(Readable.from(pieces()), out);
    return count;
  }
  const finished = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
  });
  const writer = await safeXlsxWriter(out, 'Accounts');
  await writer.addRow(EXPORT_HEADERS);
  for await (const account of accounts) {
    count++;
    await writer.addRow(exportCells(account));
  }
  await writer.end();
  await finished;
  return count;
}

/** The example file `/users import template` shares: Roster's columns, with two accounts to copy. */
export async function importTemplate(): Promise<Buffer> {
  // Status, organisation and the dates stay empty: an import sets the status from "send invitations", the
  // organisation from its own choice, and Roster keeps the dates.
  const examples = [
    ['ana.lima@example.com', 'Ana', 'Lima', 'ana.lima', 'user', '', '', 'Field Crew North', '', '', ''],
    ['kenji.sato@example.com', '健二', '佐藤', 'kenji.sato', 'manager', '', '', '', '', '', ''],
  ];
  const stringifier = safeCsvStringifier();
  const bytes = buffer(stringifier);
  for (const row of [EXPORT_HEADERS, ...examples]) stringifier.write(row);
  stringifier.end();
  return bytes;
}
