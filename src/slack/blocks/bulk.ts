import type { ExternalSelect, KnownBlock, ModalView, StaticSelect } from '@slack/types';
import type { BulkJobLine } from '../../actions/accounts/bulk/listBulkJobs.ts';
import type { BulkPreview } from '../../actions/accounts/bulk/previewBulkJob.ts';
import { ACCOUNT_ROLES } from '../../domain/accounts.ts';
import { finishedItems } from '../../present/bulkProgress.ts';
import { escapeMrkdwn, mrkdwnSentence, truncate } from './text.ts';

export const BULK_CONFIRM_ACTION_ID = 'bulk.confirm';
export const BULK_CANCEL_ACTION_ID = 'bulk.cancel';
/** The modal that asks which role or group before the preview of a change chosen on a list. */
export const BULK_VALUE_CALLBACK_ID = 'bulk.value';
export const BULK_VALUE_BLOCK_ID = 'bulk-value';
/** Its group picker: an external select, since an organisation may have thousands of groups. */
export const BULK_GROUP_PICK_ACTION_ID = 'bulk.value.group';

const n = (value: number) => value.toLocaleString('en');

/** The preview of a bulk change, with a Confirm button that asks once more before anything changes. */
export function bulkPreviewReply(preview: BulkPreview): { text: string; blocks: KnownBlock[] } {
  const head = preview.headline;
  const refused = preview.refusals.slice(0, 5).map((r) => `• ${n(r.count)} refused: ${escapeMrkdwn(r.reason)}`);
  const lines = [
    `*${escapeMrkdwn(head)}?*`,
    `${n(preview.changes)} would change · ${n(preview.unchanged)} are already so · ${n(preview.refusals.reduce((sum, r) => sum + r.count, 0))} would be refused`,
    ...refused,
  ];
  const sample = preview.sample.map((s) => `• ${escapeMrkdwn(s.label)} (${s.status})`).join('\n');
  const value = JSON.stringify({ c: preview.change, v: preview.value, f: preview.filter, r: preview.reason, a: preview.needsApproval ? 1 : undefined });
  const missingReason = preview.needsApproval && !preview.reason;
  const canConfirm = preview.changes > 0 && !preview.tooMany && !missingReason && value.length <= 2000;
  const approvalNote = missingReason
    ? 'This change waits for a second person, who is told why: ask again with `--reason <text>`.'
    : 'Confirm asks a second person to approve; nothing changes until they do.';
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
      ...(preview.needsApproval
        ? [{ type: 'context', block_id: 'bulk-approval', elements: [{ type: 'mrkdwn', text: mrkdwnSentence(approvalNote) }] } as KnownBlock]
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

/**
 * Asks which role (a menu of the roles) or which group (a picker that searches as you type) a change chosen on a
 * list takes; submitting it shows the change's preview, with its Confirm button.
 */
export function bulkValueModal(request: { change: string; takes: 'role' | 'group'; description: string }, privateMetadata: string): ModalView {
  const plain = (text: string) => ({ type: 'plain_text' as const, text });
  const element: StaticSelect | ExternalSelect =
    request.takes === 'role'
      ? { type: 'static_select', action_id: 'bulk.value.role', options: ACCOUNT_ROLES.map((role) => ({ text: plain(role), value: role })) }
      : { type: 'external_select', action_id: BULK_GROUP_PICK_ACTION_ID, placeholder: plain('Group name or external ID'), min_query_length: 0 };
  const what = `*${escapeMrkdwn(request.change)}* over the list's accounts (${escapeMrkdwn(request.description)})`;
  return {
    type: 'modal',
    callback_id: BULK_VALUE_CALLBACK_ID,
    title: plain(request.takes === 'role' ? 'Which role?' : 'Which group?'),
    submit: plain('Preview'),
    close: plain('Cancel'),
    private_metadata: privateMetadata,
    blocks: [
      {
        type: 'section',
        block_id: 'bulk-value-about',
        text: { type: 'mrkdwn', text: truncate(`${what}: a preview comes next, and nothing changes until you confirm it.`, 3000) },
      },
      { type: 'input', block_id: BULK_VALUE_BLOCK_ID, label: plain(request.takes === 'role' ? 'Role' : 'Group'), element },
    ],
  };
}

/** Where a job is: an import's dry run says what it found, since nothing is done before Apply. */
function jobProgress({ state, counts, total }: BulkJobLine): string {
  if (state === 'checking') return 'dry run: reading the file';
  if (state === 'previewed') return `dry run: ${n(counts.pending)} to apply, ${n(counts.unchanged)} unchanged, ${n(counts.refused)} invalid; waiting for Apply`;
  return `${state} · ${n(finishedItems(counts))} of ${n(total)} done (${n(counts.refused)} refused)`;
}

/** Jobs that a Cancel stops (running) or discards (an import before Apply). */
const CANCELLABLE = new Set(['checking', 'previewed', 'running']);

/** `/users jobs`: running and recent bulk jobs and imports, a Cancel button on each that is not over yet. */
export function bulkJobsReply(jobs: readonly BulkJobLine[]): { text: string; blocks: KnownBlock[] } {
  if (jobs.length === 0)
    return {
      text: 'No bulk jobs yet.',
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: mrkdwnSentence('No bulk jobs yet. Start one with `/users bulk <change> [filters]` or `/users import`.') },
        },
      ],
    };
  return {
    text: `${jobs.length} bulk jobs`,
    blocks: jobs.map((job, i): KnownBlock => {
      const text = `*${escapeMrkdwn(job.change)}* ${escapeMrkdwn(job.description)} · ${jobProgress(job)} · by <@${job.requestedBy}>`;
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

/**
 * What a preview's Confirm asks for; `approval`: the preview said a second person must approve, so Confirm asks for
 * it (the start refuses such a change anyway, whatever a button says).
 */
export function parseBulkConfirmValue(value: string): { change: string; value?: string; filter: string; reason?: string; approval: boolean } | null {
  try {
    const parsed = JSON.parse(value) as { c?: unknown; v?: unknown; f?: unknown; r?: unknown; a?: unknown };
    if (typeof parsed.c !== 'string' || typeof parsed.f !== 'string') return null;
    return {
      change: parsed.c,
      ...(typeof parsed.v === 'string' ? { value: parsed.v } : {}),
      filter: parsed.f,
      ...(typeof parsed.r === 'string' ? { reason: parsed.r } : {}),
      approval: parsed.a === 1,
    };
  } catch {
    return null;
  }
}
