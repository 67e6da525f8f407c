import { z } from 'zod';
import { selectionByOrganisation } from '../../db/approvalRequests.ts';
import { ApprovalRequest, Organisation } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';
import { type DoneOutcome, defineAction } from '../action.ts';
import { bulkChangeNeedsApproval } from '../accounts/bulk/bulkChanges.ts';
import { bulkRequestFields, resolveBulkRequest } from '../accounts/bulk/bulkRequest.ts';
import { requiredReasonSchema } from '../inputs.ts';
import { requestLabel, requestTarget, whenText } from './approvals.ts';

/**
 * Confirm on a bulk deletion's preview: one request for the whole selection, in one organisation (whose policy and
 * approvers decide it). Nothing is deleted until a second person approves; approval starts the job.
 */
export const requestBulkDeletion = defineAction({
  name: 'bulk-delete-request',
  describedAs: 'asking to delete many accounts',
  requires: 'admin',
  input: z.object({ ...bulkRequestFields, reason: requiredReasonSchema, channel: z.string().max(64).optional() }),
  async run(ctx, input): Promise<DoneOutcome> {
    if (!bulkChangeNeedsApproval(input.change))
      throw new RefusedError(`\`${input.change}\` in bulk needs no approval; confirm it on its preview.`, 'invalid-input');
    const { selection } = await resolveBulkRequest(ctx, input);
    const organisations = await selectionByOrganisation(ctx.em, selection);
    if (organisations.length === 0) throw new RefusedError(`No account matches ${selection.description}, so there is nothing to delete.`, 'not-found');
    if (organisations.length > 1)
      throw new RefusedError(
        'A bulk deletion is asked for one organisation at a time, whose policy and approvers decide it: add `org:<slug>` to the filter.',
        'invalid-input',
      );
    const [{ organisationId, count }] = organisations as [(typeof organisations)[number]];
    ctx.authorize(organisationId);
    const organisation = await ctx.em.findOneOrFail(Organisation, { id: organisationId });
    if (organisation.deletionPolicy === 'never')
      throw new RefusedError(`${organisation.slug} never deletes accounts; deactivate them instead, which keeps the history.`, 'invalid-state');
    const request = ctx.em.create(ApprovalRequest, {
      organisation,
      kind: 'bulk-delete',
      accountId: null,
      subject: null,
      selection: { change: input.change, filter: input.filter, description: selection.description, count: Number(count) },
      reason: input.reason,
      requestedBy: ctx.actor.id,
      expiresAt: new Date(Date.now() + organisation.approvalHours * 3600_000),
      channel: null,
    });
    ctx.audit.record({ action: 'delete-requested', target: requestTarget(request), reason: input.reason, approvalId: request.id });
    const notices = ctx.services.approvals;
    if (notices) ctx.afterCommit(() => notices.requested(request.id));
    return {
      kind: 'done',
      message: `Asked: deleting ${requestLabel(request)} waits for a second approver until ${whenText(request.expiresAt)}; nothing is changed until then. You will get a direct message with the request, and another with the decision.`,
    };
  },
});
