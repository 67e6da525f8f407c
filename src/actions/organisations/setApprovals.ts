import { z } from 'zod';
import { APPROVER_POLICIES } from '../../domain/approvals.ts';
import { type DoneOutcome, defineAction } from '../action.ts';
import { changedFields } from '../audit.ts';
import { slugSchema } from '../inputs.ts';
import { loadOrganisation } from './organisations.ts';

/** Who decides an organisation's deletion requests (owners, or admins as well) and how long a request waits. */
export const setApprovals = defineAction({
  name: 'org-approvals',
  describedAs: "changing an organisation's approval rules",
  requires: 'owner',
  input: z.object({
    organisation: slugSchema,
    approvers: z.enum(APPROVER_POLICIES, 'must be owners or admins').optional(),
    hours: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .optional(),
  }),
  async run(ctx, { organisation: slug, approvers, hours }): Promise<DoneOutcome> {
    const { organisation, target } = await loadOrganisation(ctx, slug);
    const before = { approvers: organisation.approvers, approvalHours: organisation.approvalHours };
    if (approvers) organisation.approvers = approvers;
    if (hours) organisation.approvalHours = hours;
    const changes = changedFields(before, { approvers: organisation.approvers, approvalHours: organisation.approvalHours }, ['approvers', 'approvalHours']);
    if (Object.keys(changes).length) ctx.audit.record({ action: 'org-approvals', target, changes });
    const who = organisation.approvers === 'admins' ? 'its owners and admins' : 'its owners';
    return {
      kind: 'done',
      message: `Deletion requests of ${organisation.slug} are decided by ${who} (never by the requester) and expire after ${organisation.approvalHours} hours.`,
    };
  },
});
