import { z } from 'zod';
import { selectionWhereInScope } from '../../../db/accountList.ts';
import { accountFilterText } from '../../../domain/accountFilter.ts';
import { selectAccounts } from '../accountSelection.ts';
import { selectionProfile, selectionSample } from '../../../db/bulkJobs.ts';
import { defineAction } from '../../action.ts';
import { reasonSchema } from '../../inputs.ts';
import { BULK_CHANGE_NAMES, BULK_CHANGES, decideBulkChange } from './bulkChanges.ts';
import { MAX_BULK_ACCOUNTS } from './startBulkJob.ts';

/** Accounts a preview names. */
const SAMPLE_SIZE = 10;

export interface BulkPreview {
  change: string;
  doing: string;
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
  input: z.object({
    change: z.enum(BULK_CHANGE_NAMES as [string, ...string[]], { error: `must be one of ${BULK_CHANGE_NAMES.join(', ')}` }),
    filter: z.string().trim().max(500).default(''),
    reason: reasonSchema,
  }),
  async run(ctx, { change: name, filter, reason }): Promise<BulkPreview> {
    const change = BULK_CHANGES[name]!;
    const scope = ctx.organisationsInScope();
    const { filter: parsed, selection: chosen } = await selectAccounts(ctx.em, filter, scope);
    const selection = { ...selectionWhereInScope(chosen), description: accountFilterText(parsed) || 'every status but deactivated' };
    const refusals = new Map<string, number>();
    let total = 0;
    let changes = 0;
    let unchanged = 0;
    for (const group of await selectionProfile(ctx.em, selection)) {
      const count = Number(group.count);
      total += count;
      const decided = decideBulkChange(change, group, scope);
      if ('refused' in decided) refusals.set(decided.refused, (refusals.get(decided.refused) ?? 0) + count);
      else if ('unchanged' in decided) unchanged += count;
      else changes += count;
    }
    return {
      change: name,
      doing: change.doing,
      filter,
      description: selection.description,
      ...(reason ? { reason } : {}),
      total,
      changes,
      unchanged,
      refusals: [...refusals].map(([why, count]) => ({ reason: why, count })).sort((a, b) => b.count - a.count),
      sample: await selectionSample(ctx.em, selection, SAMPLE_SIZE),
      tooMany: total > MAX_BULK_ACCOUNTS,
    };
  },
});
