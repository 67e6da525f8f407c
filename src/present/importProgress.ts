import type { JobCounts } from '../db/bulkJobs.ts';
import { duration, n, progressLine, refusalLines, reportLines, type SummaryFacts } from './bulkProgress.ts';

interface ImportFacts {
  /** "accounts.csv into acme" */
  description: string;
  total: number;
  counts: JobCounts;
  startedAt: Date;
  now: Date;
}

const outcomes = (counts: JobCounts) =>
  `${n(counts.created)} created · ${n(counts.done)} updated · ${n(counts.unchanged)} unchanged · ${n(counts.refused)} failed`;

/** While the dry run reads the file: how far it has got. */
export function importCheckingText({
  fileName,
  organisation,
  rows,
  seconds,
}: {
  fileName: string;
  organisation: string;
  rows: number;
  seconds: number;
}): string {
  return `Checking ${fileName} for ${organisation}: ${n(rows)} rows read in ${duration(seconds)}. Nothing changes before you press Apply on the dry run.`;
}

/** While Apply runs: a bar, the rows' outcomes so far, elapsed time and an estimate. */
export function importProgressText({ description, total, counts, startedAt, now }: ImportFacts): string {
  const { bar, left, timing } = progressLine(counts, total, startedAt, now);
  return [`Importing ${n(total)} rows (${description})`, bar, `${outcomes(counts)} · ${n(left)} left · ${timing}`].join('\n');
}

/** The end of an import: what each row did, the first rows that failed and why, and why it stopped if it did not finish. */
export function importSummaryText(summary: SummaryFacts): string {
  const { counts } = summary;
  const head = {
    done: `Imported ${summary.description} in ${duration(summary.seconds)}`,
    cancelled: `Cancelled the import of ${summary.description} after ${duration(summary.seconds)}; ${n(counts.pending)} rows were left as they were`,
    failed: `Stopped the import of ${summary.description} after ${duration(summary.seconds)}: ${summary.failure ?? 'it could not go on'}; ${n(counts.pending)} rows were left as they were`,
  }[summary.state];
  return [
    `${head}.`,
    `${outcomes(counts)}.`,
    ...reportLines(summary.report, 'every row that failed, with its column and why'),
    ...refusalLines(summary, 'failed'),
  ].join('\n');
}

/** A file the import cannot read at all. */
export function importFileProblemText(fileName: string, sentence: string): string {
  return `${fileName} cannot be imported: ${sentence} Nothing was changed.`;
}
