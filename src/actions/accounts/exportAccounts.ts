import { z } from 'zod';
import { type AccountSelection, countSelection } from '../../db/accountList.ts';
import { accountFilterText } from '../../domain/accountFilter.ts';
import { RefusedError } from '../../domain/errors.ts';
import { type DoneOutcome, defineAction } from '../action.ts';
import { selectAccounts } from './accountSelection.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;

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

/**
 * The accounts an export holds, as the person who asked for it may see them now (their grant read again): the job
 * streams exactly this selection, and asks again every so often while it does, naming the organisations the export
 * began with, so a grant revoked meanwhile stops it with the sentence of a refusal by role.
 */
export const exportSelection = defineAction({
  name: 'export-selection',
  describedAs: 'exporting accounts',
  requires: 'admin',
  input: z.object({ filter: filterSchema, stillCovered: z.array(z.uuid()).max(100_000).default([]) }),
  async run(ctx, { filter, stillCovered }): Promise<AccountSelection> {
    for (const organisationId of stillCovered) ctx.authorize(organisationId);
    return (await selectAccounts(ctx.em, filter, ctx.organisationsInScope())).selection;
  },
});
