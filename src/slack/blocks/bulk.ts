import type { KnownBlock } from '@slack/types';
import type { BulkJobLine } from '../../actions/accounts/bulk/listBulkJobs.ts';
import type { BulkPreview } from '../../actions/accounts/bulk/previewBulkJob.ts';
import { finishedItems } from '../../present/bulkProgress.ts';
import { escapeMrkdwn, truncate } from './text.ts';

export const BULK_CONFIRM_ACTION_ID = 'bulk.confirm';
export const BULK_CANCEL_ACTION_ID = 'bulk.cancel';

const n = (value: number) => value.toLocaleString('en');

/** The preview of a bulk change, with a Confirm button that asks once more before anything changes. */
export function bulkPreviewReply(preview: BulkPreview): { text: string; blocks: KnownBlock[] } {
  const head = `${preview.doing} ${n(preview.total)} accounts (${preview.description})`;
  const refused = preview.refusals.slice(0, 5).map((r) => `• ${n(r.count)} refused: ${escapeMrkdwn(r.reason)}`);
  const lines = [
    `*${escapeMrkdwn(head)}?*`,
    `${n(preview.changes)} would change · ${n(preview.unchanged)} are already so · ${n(preview.refusals.reduce((sum, r) => sum + r.count, 0))} would be refused`,
    ...refused,
  ];
  const sample = preview.sample.map((s) => `• ${escapeMrkdwn(s.label)} (${s.status})`).join('\n');
  const value = JSON.stringify({ c: preview.change, f: preview.filter, r: preview.reason });
  const canConfirm = preview.changes > 0 && !preview.tooMany && value.length <= 2000;
  return {
    text: head,
    blocks: [
      { type: 'section', block_id: 'bulk-preview', text: { type: 'mrkdwn', text: truncate(lines.join('\n'), 3000) } },
      ...(sample
        ? [{ type: 'section', block_id: 'bulk-sample', text: { type: 'mrkdwn', text: truncate(`First accounts:\n${sample}`, 3000) } } as KnownBlock]
        : []),
      ...(preview.tooMany
        ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: 'Too many accounts for one bulk change: narrow the filter.' }] } as KnownBlock]
        : []),
      ...(canConfirm
        ? [
            {
              type: 'actions',
              block_id: 'bulk-actions',
              elements: [
                {
                  type: 'button',
                  action_id: BULK_CONFIRM_ACTION_ID,
                  style: 'danger',
                  text: { type: 'plain_text', text: 'Confirm' },
                  value,
                  confirm: {
                    title: { type: 'plain_text', text: 'Change these accounts?' },
                    text: { type: 'plain_text', text: truncate(`${head}. Each change is audited; this cannot be undone in one step.`, 300) },
                    confirm: { type: 'plain_text', text: 'Confirm' },
                    deny: { type: 'plain_text', text: 'Back' },
                    style: 'danger',
                  },
                },
              ],
            } as KnownBlock,
          ]
        : []),
    ],
  };
}

/** Jobs that a Cancel stops (running) or discards (an import before Apply). */
const CANCELLABLE = new Set(['checking', 'previewed', 'running']);

/** `/users jobs`: running and recent bulk jobs and imports, a Cancel button on each that is not over yet. */
export function bulkJobsReply(jobs: readonly BulkJobLine[]): { text: string; blocks: KnownBlock[] } {
  if (jobs.length === 0)
    return {
      text: 'No bulk jobs yet.',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'No bulk jobs yet. Start one with `/users bulk <change> [filters]` or `/users import`.' } }],
    };
  return {
    text: `${jobs.length} bulk jobs`,
    blocks: jobs.map((job, i): KnownBlock => {
      const finished = finishedItems(job.counts);
      const text = `*${escapeMrkdwn(job.action)}* ${escapeMrkdwn(job.description)} · ${job.state} · ${n(finished)} of ${n(job.total)} done (${n(job.counts.refused)} refused) · by <@${job.requestedBy}>`;
      return {
        type: 'section',
        block_id: `bulk-job-${i}`,
        text: { type: 'mrkdwn', text: truncate(text, 3000) },
        ...(CANCELLABLE.has(job.state)
          ? { accessory: { type: 'button', action_id: `${BULK_CANCEL_ACTION_ID}.${i}`, text: { type: 'plain_text', text: 'Cancel' }, value: job.jobId } }
          : {}),
      };
    }),
  };
}

export function parseBulkConfirmValue(value: string): { change: string; filter: string; reason?: string } | null {
  try {
    const parsed = JSON.parse(value) as { c?: unknown; f?: unknown; r?: unknown };
    if (typeof parsed.c !== 'string' || typeof parsed.f !== 'string') return null;
    return { change: parsed.c, filter: parsed.f, ...(typeof parsed.r === 'string' ? { reason: parsed.r } : {}) };
  } catch {
    return null;
  }
}
