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

const n = (value: number) => value.toLocaleString('en');

/** One progress message: a bar, done / refused / left, elapsed time and an estimate from the pace so far. */
export function progressText({ headline, total, counts, startedAt, now }: ProgressFacts): string {
  const finished = counts.done + counts.refused + counts.unchanged;
  const share = total ? finished / total : 1;
  const filled = Math.round(share * BAR_WIDTH);
  const elapsed = Math.max(0, (now.getTime() - startedAt.getTime()) / 1000);
  const left = total - finished;
  const estimate = finished && left ? `, about ${duration((elapsed / finished) * left)} to go` : '';
  return [
    headline,
    `${'▓'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${Math.floor(share * 100)}%`,
    `${n(counts.done)} changed · ${n(counts.refused)} refused · ${n(counts.unchanged)} already so · ${n(left)} left · ${duration(elapsed)} elapsed${estimate}`,
  ].join('\n');
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
  /** The error report of the refused accounts: its file's name, or why it could not be shared. */
  report?: { filename: string } | { failed: string };
}

/** The end of a job: what changed, what was refused and why (the first few), and why it stopped if it did not finish. */
export function summaryText(summary: SummaryFacts): string {
  const { counts } = summary;
  const head = {
    done: `Finished ${summary.change} on ${n(summary.total)} accounts (${summary.description}) in ${duration(summary.seconds)}`,
    cancelled: `Cancelled ${summary.change} (${summary.description}) after ${duration(summary.seconds)}; ${n(counts.pending)} accounts were left as they were`,
    failed: `Stopped ${summary.change} (${summary.description}) after ${duration(summary.seconds)}: ${summary.failure ?? 'it could not go on'}; ${n(counts.pending)} accounts were left as they were`,
  }[summary.state];
  const refused = summary.refusals.map((r) => `• ${r.label}: ${r.detail}`);
  const more = counts.refused > summary.refusals.length ? [`…and ${n(counts.refused - summary.refusals.length)} more refused.`] : [];
  // Before the refusals, so that a summary cut at Slack's length still says where the rest is.
  const report = summary.report ? [reportLine(summary.report)] : [];
  return [`${head}.`, `${n(counts.done)} changed · ${n(counts.refused)} refused · ${n(counts.unchanged)} already so.`, ...report, ...refused, ...more].join(
    '\n',
  );
}

function reportLine(report: NonNullable<SummaryFacts['report']>): string {
  if ('failed' in report) return `The error report could not be shared: ${report.failed}`;
  return `Error report attached in this message's thread: ${report.filename}, every refused account and why.`;
}

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
