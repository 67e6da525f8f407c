import { z } from 'zod';
import { countSelection, type ExportRow, selectionExportPage } from '../../db/accountList.ts';
import { accountFilterText } from '../../domain/accountFilter.ts';
import { RefusedError } from '../../domain/errors.ts';
import { type DoneOutcome, defineAction } from '../action.ts';
import { selectAccounts } from './accountSelection.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
/** Accounts read per query while an export streams: memory stays flat however many there are. */
export const EXPORT_PAGE_SIZE = 2000;

const filterSchema = z.string().trim().max(1000).default('');

/**
 * Exports the accounts a filter selects (within the caller's grant) as a CSV or XLSX file that a job uploads to
 * Slack: the export is audited here, with how many accounts it holds, and the job reads them as the caller again.
 */
export const exportAccounts = defineAction({
  name: 'export',
  describedAs: 'exporting accounts',
  requires: 'admin',
  input: z.object({ filter: filterSchema, format: z.enum(EXPORT_FORMATS).default('csv'), channel: z.string().max(64).optional() }),
  async run(ctx, { filter: text, format, channel }): Promise<DoneOutcome & { total: number }> {
    const { filter, selection } = await selectAccounts(ctx.em, text, ctx.organisationsInScope());
    const total = await countSelection(ctx.em, selection);
    const described = accountFilterText(filter) || 'every status but deactivated';
    if (total === 0) throw new RefusedError(`No account matches ${described}, so there is nothing to export.`, 'not-found');
    ctx.audit.record({
      action: 'export',
      target: { type: 'job', id: null, label: `export ${described}`.slice(0, 500), organisationId: null },
      changes: { accounts: { before: null, after: total }, format: { before: null, after: format } },
    });
    const exports = ctx.services.exports;
    if (!exports) throw new RefusedError('Exports need the job queue, which this process does not have.', 'invalid-state');
    const requestedBy = ctx.actor.id;
    ctx.afterCommit(() => exports.start({ requestedBy, filter: accountFilterText(filter), format, channel: channel ?? requestedBy }));
    return {
      kind: 'done',
      total,
      message: `Exporting ${total.toLocaleString('en')} accounts (${described}) as ${format.toUpperCase()}: the file arrives here shortly.`,
    };
  },
});

/** One page of an export, read as the person who asked for it (their grant read again), after the last account's ID. */
export const exportPage = defineAction({
  name: 'export-page',
  describedAs: 'exporting accounts',
  requires: 'admin',
  readOnly: true,
  input: z.object({ filter: filterSchema, after: z.uuid().optional(), limit: z.number().int().min(1).max(10_000).default(EXPORT_PAGE_SIZE) }),
  async run(ctx, { filter, after, limit }): Promise<ExportRow[]> {
    const { selection } = await selectAccounts(ctx.em, filter, ctx.organisationsInScope());
    return selectionExportPage(ctx.em, selection, after ?? null, limit);
  },
});
