import { z } from 'zod';
import { ApprovalRequest, Organisation } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';
import { type DoneOutcome, defineAction } from '../action.ts';
import { bulkApproval } from './bulkApproval.ts';
import { bulkRequestFields, resolveBulkRequest } from '../accounts/bulk/bulkRequest.ts';
import { requiredReasonSchema } from '../inputs.ts';
import { requestLabel, requestTarget, whenText } from './approvals.ts';

/**
 * Confirm on the preview of a bulk change that needs approval (a deletion; a deactivation over the organisation's
 * threshold): one request for the whole selection, in one organisation (whose rules and approvers decide it). Nothing
 * changes until a second person approves; approval starts the job.
 */
export const requestBulkChange = defineAction({
  name: 'bulk-request',
  describedAs: 'asking to change many accounts',
  requires: 'admin',
  input: z.object({ ...bulkRequestFields, reason: requiredReasonSchema, channel: z.string().max(64).optional() }),
  async run(ctx, input): Promise<DoneOutcome> {
    const { selection } = await resolveBulkRequest(ctx, input);
    const approval = await bulkApproval(ctx.em, input.change, selection);
    if (!approval.needed) throw new RefusedError(`This \`${input.change}\` needs no approval; Confirm on its preview starts it.`, 'invalid-input');
    const { organisations } = approval;
    if (organisations.length > 1)
      throw new RefusedError(
        'A bulk change that needs approval is asked for one organisation at a time, whose rules and approvers decide it: add `org:<slug>` to the filter.',
        'invalid-input',
      );
    const [{ organisationId, count }] = organisations as [(typeof organisations)[number]];
    const doing = input.change === 'delete' ? 'deleting' : `the ${input.change} of`;
    ctx.authorize(organisationId);
    const organisation = await ctx.em.findOneOrFail(Organisation, { id: organisationId });
    if (input.change === 'delete' && organisation.deletionPolicy === 'never')
      throw new RefusedError(`${organisation.slug} never deletes accounts; deactivate them instead, which keeps the history.`, 'invalid-state');
    const request = ctx.em.create(ApprovalRequest, {
      organisation,
      kind: 'bulk',
      accountId: null,
      subject: null,
      selection: { change: input.change, filter: input.filter, description: selection.description, count },
      reason: input.reason,
      requestedBy: ctx.actor.id,
      expiresAt: new Date(Date.now() + organisation.approvalHours * 3600_000),
      channel: null,
    });
    ctx.audit.record({ action: 'approval-requested', target: requestTarget(request), reason: input.reason, approvalId: request.id });
    const notices = ctx.services.approvals;
    if (notices) ctx.afterCommit(() => notices.requested(request.id));
    return {
      kind: 'done',
      message: `Asked: ${doing} ${requestLabel(request)} waits for a second approver until ${whenText(request.expiresAt)}; nothing is changed until then. You will get a direct message with the request, and another with the decision.`,
    };
  },
});
