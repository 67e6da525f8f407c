import { z } from 'zod';
import { selectionProfile, selectionSample } from '../../../db/bulkJobs.ts';
import { defineAction } from '../../action.ts';
import { bulkApproval } from '../../approvals/bulkApproval.ts';
import { bulkHeadline, decideBulkChange, targetGroupIds } from './bulkChanges.ts';
import { bulkRequestFields, resolveBulkRequest } from './bulkRequest.ts';
import { MAX_BULK_ACCOUNTS } from './startBulkJob.ts';

/** Accounts a preview names. */
const SAMPLE_SIZE = 10;

export interface BulkPreview {
  change: string;
  /** The role or group the change takes, as it was given. */
  value?: string;
  /** "Locking 12 accounts (org:acme)". */
  headline: string;
  filter: string;
  description: string;
  reason?: string;
  total: number;
  /** How many the change would alter, leave as they are, and refuse (with the reasons, most frequent first). */
  changes: number;
  unchanged: number;
  refusals: { reason: string; count: number }[];
  sample: { label: string; status: string }[];
  tooMany: boolean;
  /** Confirm asks for a second person's approval rather than starting the job (a deletion). */
  needsApproval: boolean;
}

/**
 * What a bulk change would do, before anything is done: how many accounts the filter selects within the caller's
 * grant, the first ten, and how many the status machine (or the change's own rules) would refuse and why.
 */
export const previewBulkJob = defineAction({
  name: 'bulk-preview',
  describedAs: 'changing many accounts at once',
  requires: 'admin',
  readOnly: true,
  input: z.object(bulkRequestFields),
  async run(ctx, { change: name, value, filter, reason }): Promise<BulkPreview> {
    const { scope, target, selection } = await resolveBulkRequest(ctx, { change: name, value, filter });
    const refusals = new Map<string, number>();
    let total = 0;
    let changes = 0;
    let unchanged = 0;
    for (const group of await selectionProfile(ctx.em, selection, targetGroupIds(target))) {
      const count = Number(group.count);
      total += count;
      const decided = decideBulkChange(target, group, scope);
      if ('refused' in decided) refusals.set(decided.refused, (refusals.get(decided.refused) ?? 0) + count);
      else if ('unchanged' in decided) unchanged += count;
      else changes += count;
    }
    return {
      change: name,
      ...(value ? { value } : {}),
      headline: bulkHeadline(name, target.shown, total, selection.description),
      filter,
      description: selection.description,
      ...(reason ? { reason } : {}),
      total,
      changes,
      unchanged,
      refusals: [...refusals].map(([why, count]) => ({ reason: why, count })).sort((a, b) => b.count - a.count),
      sample: await selectionSample(ctx.em, selection, SAMPLE_SIZE),
      tooMany: total > MAX_BULK_ACCOUNTS,
      needsApproval: (await bulkApproval(ctx.em, name, selection)).needed,
    };
  },
});
