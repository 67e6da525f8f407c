import { LockMode } from '@mikro-orm/core';
import { z } from 'zod';
import { Account, type IAccount, type IApprovalRequest } from '../../db/entities/index.ts';
import { decisionRefusal, RESTORE_WINDOW_DAYS } from '../../domain/approvals.ts';
import { RefusedError } from '../../domain/errors.ts';
import { type ActionContext, defineAction, type DoneOutcome } from '../action.ts';
import { approvalRequestIdSchema, requiredReasonSchema } from '../inputs.ts';
import { applyLifecycle, auditAccountChange, lifecycleOutcome, requireNoOwnedGroups, snapshot } from '../accounts/account.ts';
import { resolveBulkRequest } from '../accounts/bulk/bulkRequest.ts';
import { openBulkJob } from '../accounts/bulk/startBulkJob.ts';
import { decisionAttempt, loadRequestForDecision, requestLabel, requestTarget, whenText } from './approvals.ts';

/** Approves a request and carries it out in the same transaction: the deletion happens once, however many click. */
export const approveRequest = defineAction({
  name: 'approve',
  describedAs: 'approving a request',
  requires: 'admin',
  confirm: true,
  input: z.object({ request: approvalRequestIdSchema }),
  async run(ctx, { request: id }): Promise<DoneOutcome> {
    const request = await loadRequestForDecision(ctx, id);
    checkDecider(ctx, request);
    const done = request.kind === 'delete' ? await deleteAsApproved(ctx, request) : await startApprovedBulkChange(ctx, request);
    decide(request, ctx.actor.id, 'approved', done);
    const notices = ctx.services.approvals;
    if (notices) ctx.afterCommit(() => notices.decided(request.id));
    return { kind: 'done', message: `Approved: ${requestLabel(request)} ${done}.` };
  },
});

/** Turns a request down with a reason; the account is left as it is. */
export const rejectRequest = defineAction({
  name: 'reject',
  describedAs: 'rejecting a request',
  requires: 'admin',
  input: z.object({ request: approvalRequestIdSchema, reason: requiredReasonSchema }),
  async run(ctx, { request: id, reason }): Promise<DoneOutcome> {
    const request = await loadRequestForDecision(ctx, id);
    checkDecider(ctx, request);
    decide(request, ctx.actor.id, 'rejected', reason);
    ctx.audit.record({ action: 'approval-rejected', target: requestTarget(request), reason, approvalId: request.id });
    const notices = ctx.services.approvals;
    if (notices) ctx.afterCommit(() => notices.decided(request.id));
    return { kind: 'done', message: `Rejected: nothing is changed for ${requestLabel(request)}.` };
  },
});

function checkDecider(ctx: ActionContext, request: IApprovalRequest): void {
  const refusal = decisionRefusal(decisionAttempt(ctx.actor, request));
  if (refusal) throw refusal;
}

function decide(request: IApprovalRequest, by: string, state: 'approved' | 'rejected', note: string): void {
  request.state = state;
  request.decidedBy = by;
  request.decidedAt = new Date();
  request.decisionNote = note.slice(0, 500);
}

/**
 * Deletes the account as its organisation's policy says now (it may have changed since the request): soft-deleted, to
 * be restored within the window, or removed for good. One audit event, by the approver, names the request.
 */
async function deleteAsApproved(ctx: ActionContext, request: IApprovalRequest): Promise<string> {
  const account: IAccount | null = await ctx.em.findOne(
    Account,
    { id: request.accountId! },
    { populate: ['organisation'], lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (!account) throw new RefusedError(`${requestLabel(request)} no longer exists; there is nothing left to delete.`, 'not-found');
  await requireNoOwnedGroups(ctx, account);
  const before = snapshot(account);
  if (lifecycleOutcome(account, 'delete').to === 'PURGED') {
    ctx.audit.record({
      action: 'delete',
      target: requestTarget(request),
      changes: { status: { before: account.status, after: 'PURGED' } },
      reason: request.reason,
      approvalId: request.id,
    });
    await ctx.em.nativeDelete(Account, { id: account.id });
    return 'is deleted for good';
  }
  applyLifecycle(account, 'delete', request.reason);
  account.deletedAt = new Date();
  auditAccountChange(ctx, 'delete', account, before, request.reason, request.id);
  const restorableUntil = new Date(account.deletedAt.getTime() + RESTORE_WINDOW_DAYS * 86_400_000);
  return `is deleted; \`/user restore ${account.username}\` brings it back (deactivated) until ${whenText(restorableUntil)}`;
}

/**
 * Starts the bulk change a request asked for, as the approver (their grant runs its chunks): the accounts its filter
 * selects now, each changed as one account's change would be (a deletion by its organisation's policy), one audit
 * event each, with the request on the job's start.
 */
async function startApprovedBulkChange(ctx: ActionContext, request: IApprovalRequest): Promise<string> {
  const selection = request.selection!;
  const input = { change: selection.change, filter: selection.filter, reason: request.reason };
  const started = await openBulkJob(ctx, input, await resolveBulkRequest(ctx, input), { channel: request.channel ?? null, approvalId: request.id });
  const now = started.total === selection.count ? '' : ` (${started.total.toLocaleString('en')} match now)`;
  return `${selection.change === 'delete' ? 'are being deleted' : `get ${selection.change}`} by a job${now}; its progress shows in the approvals channel`;
}
