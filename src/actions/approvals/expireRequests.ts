import { z } from 'zod';
import { ApprovalRequest } from '../../db/entities/index.ts';
import { defineAction } from '../action.ts';
import { requestTarget } from './approvals.ts';

/** Requests expired per transaction by the approvals pass. */
export const EXPIRY_BATCH_SIZE = 200;

/**
 * Marks requests whose time ran out as expired, a batch at a time (the approvals pass). A request being decided at the
 * same moment holds its row lock and is skipped: whichever commits first decides it.
 */
export const expireRequests = defineAction({
  name: 'approval-expiry',
  describedAs: 'expiring approval requests',
  requires: 'owner',
  scope: 'platform',
  input: z.object({ batchSize: z.number().int().min(1).max(10_000).default(EXPIRY_BATCH_SIZE) }),
  async run(ctx, { batchSize }): Promise<{ expired: number }> {
    const due = await ctx.em.execute<{ id: string }[]>(
      `select id from approval_request where state = 'pending' and expires_at <= ?::timestamptz order by expires_at limit ? for update skip locked`,
      [new Date(), batchSize],
    );
    if (!due.length) return { expired: 0 };
    const requests = await ctx.em.find(ApprovalRequest, { id: { $in: due.map((row) => row.id) } }, { populate: ['organisation'] });
    const notices = ctx.services.approvals;
    for (const request of requests) {
      request.state = 'expired';
      request.decidedAt = new Date();
      ctx.audit.record({ action: 'approval-expired', target: requestTarget(request), approvalId: request.id });
      if (notices) ctx.afterCommit(() => notices.decided(request.id));
    }
    return { expired: requests.length };
  },
});
