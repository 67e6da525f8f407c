import type { ErrorReportLayout } from './bulkErrorReport.ts';

/** An import's report: a line per problem of every row it cannot import (row, column, reason), in row order. */
export function importRowsReport(fileName: string): ErrorReportLayout {
  return {
    headers: ['row', 'column', 'reason'],
    lines: (item) => (item.rowErrors ?? [{ column: '', reason: item.detail }]).map((error) => [String(item.seq), error.column, error.reason]),
    filename: `${fileName.replace(/\.[^.]*$/, '') || 'import'}-errors.csv`,
    title: `Rows of ${fileName} that cannot be imported`,
    initialComment: `The rows of ${fileName} that cannot be imported: row number, column and reason.`,
  };
}
