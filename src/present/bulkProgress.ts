import type { JobCounts } from '../db/bulkJobs.ts';

const BAR_WIDTH = 20;

export interface ProgressFacts {
  /** "Unlocking 2,500 accounts (status:locked-out)". */
  headline: string;
  total: number;
  counts: JobCounts;
  startedAt: Date;
  now: Date;
}

export const n = (value: number) => value.toLocaleString('en');

/** Items with an outcome, whatever it was. */
export const finishedItems = (counts: JobCounts): number => counts.created + counts.done + counts.refused + counts.unchanged;

/** One progress message: a bar, done / refused / left, elapsed time and an estimate from the pace so far. */
export function progressText({ headline, total, counts, startedAt, now }: ProgressFacts): string {
  const { bar, left, timing } = progressLine(counts, total, startedAt, now);
  return [headline, bar, `${n(counts.done)} changed · ${n(counts.refused)} refused · ${n(counts.unchanged)} already so · ${n(left)} left · ${timing}`].join(
    '\n',
  );
}

/** How far a job is: a bar with its share, how many items are left, and the time it took and may still take. */
export function progressLine(counts: JobCounts, total: number, startedAt: Date, now: Date): { bar: string; left: number; timing: string } {
  const finished = finishedItems(counts);
  const share = total ? finished / total : 1;
  const filled = Math.round(share * BAR_WIDTH);
  const elapsed = Math.max(0, (now.getTime() - startedAt.getTime()) / 1000);
  const left = total - finished;
  const estimate = finished && left ? `, about ${duration((elapsed / finished) * left)} to go` : '';
  return { bar: `${'▓'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${Math.floor(share * 100)}%`, left, timing: `${duration(elapsed)} elapsed${estimate}` };
}

export interface SummaryFacts {
  /** The change as people read it: `unlock`, `role manager`. */
  change: string;
  description: string;
  state: 'done' | 'cancelled' | 'failed';
  total: number;
  counts: JobCounts;
  refusals: { label: string; detail: string }[];
  seconds: number;
  failure?: string;
  /** The error report of the refused items, once shared. */
  report?: ErrorReportOutcome;
}

/** The end of a job: what changed, what was refused and why (the first few), and why it stopped if it did not finish. */
export function summaryText(summary: SummaryFacts): string {
  const { counts } = summary;
  const head = {
    done: `Finished ${summary.change} on ${n(summary.total)} accounts (${summary.description}) in ${duration(summary.seconds)}`,
    cancelled: `Cancelled ${summary.change} (${summary.description}) after ${duration(summary.seconds)}; ${n(counts.pending)} accounts were left as they were`,
    failed: `Stopped ${summary.change} (${summary.description}) after ${duration(summary.seconds)}: ${summary.failure ?? 'it could not go on'}; ${n(counts.pending)} accounts were left as they were`,
  }[summary.state];
  return [
    `${head}.`,
    `${n(counts.done)} changed · ${n(counts.refused)} refused · ${n(counts.unchanged)} already so.`,
    // Before the refusals, so that a summary cut at Slack's length still says where the rest is.
    ...reportLines(summary.report, 'every refused account and why'),
    ...refusalLines(summary, 'refused'),
  ].join('\n');
}

/** What the error report became: its file's name, or why it could not be shared. */
export type ErrorReportOutcome = { filename: string } | { failed: string };

/** Where a job's error report is (`lists`: what it holds), or why it is not there. */
export function reportLines(report: ErrorReportOutcome | undefined, lists: string): string[] {
  if (!report) return [];
  if ('failed' in report) return [`The error report could not be shared: ${report.failed}`];
  return [`Error report attached in this message's thread: ${report.filename}, ${lists}.`];
}

/** The first refusals of a summary, one a line, and how many more there were. */
export function refusalLines(summary: Pick<SummaryFacts, 'refusals' | 'counts'>, word: string): string[] {
  const more = summary.counts.refused - summary.refusals.length;
  return [...summary.refusals.map((r) => `• ${r.label}: ${r.detail}`), ...(more > 0 ? [`…and ${n(more)} more ${word}.`] : [])];
}

export function duration(seconds: number): string {
  if (seconds < 0.5) return 'under a second';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
