import { z } from 'zod';
import { ApprovalRequest } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';
import { type AccountOutcome, defineAction } from '../action.ts';
import { accountTarget } from '../auditTargets.ts';
import { accountRefSchema, expectedVersionSchema, flags, requiredReasonSchema } from '../inputs.ts';
import { accountOutcome, fullName, loadAccount, requireLifecycle, requireNoOwnedGroups } from '../accounts/account.ts';
import { personMention } from '../../present/people.ts';
import { whenText } from './approvals.ts';

/**
 * Asks for an account's deletion: nothing happens to it until a second person approves the request (decideRequest.ts).
 * What the approval will do is checked now, so that a request that could never be carried out is not asked for.
 */
export const requestDeletion = defineAction({
  name: 'delete',
  describedAs: 'asking to delete an account',
  requires: 'admin',
  command: { usage: '<who>', positional: ['account'], flags: { reason: { ...flags.reason.reason, usage: '--reason <text>' } } },
  input: z.object({ account: accountRefSchema, reason: requiredReasonSchema, expectedVersion: expectedVersionSchema }),
  async run(ctx, { account: ref, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadAccount(ctx, ref, { expectedVersion });
    requireLifecycle(account, 'delete');
    await requireNoOwnedGroups(ctx, account);
    const waiting = await ctx.em.findOne(ApprovalRequest, { accountId: account.id, state: 'pending' });
    if (waiting)
      throw new RefusedError(
        `A request to delete ${fullName(account)} already waits for a decision (asked by ${personMention(waiting.requestedBy)}, until ${whenText(waiting.expiresAt)}).`,
        'conflict',
      );
    const organisation = account.organisation;
    const request = ctx.em.create(ApprovalRequest, {
      organisation,
      kind: 'delete',
      accountId: account.id,
      subject: { name: fullName(account), email: account.email, username: account.username, status: account.status, role: account.role },
      reason,
      requestedBy: ctx.actor.id,
      expiresAt: new Date(Date.now() + organisation.approvalHours * 3600_000),
    });
    ctx.audit.record({ action: 'approval-requested', target: accountTarget(account), reason, approvalId: request.id });
    const notices = ctx.services.approvals;
    if (notices) ctx.afterCommit(() => notices.requested(request.id));
    const what = organisation.deletionPolicy === 'hard' ? 'removes it for good' : 'hides it at once and it can be restored for 30 days';
    return accountOutcome(
      account,
      `Asked: deleting ${fullName(account)} waits for a second approver until ${whenText(request.expiresAt)}; nothing is changed until then. Approval ${what}. You will get a direct message with the request, and another with the decision.`,
    );
  },
});
