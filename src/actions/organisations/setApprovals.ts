import { z } from 'zod';
import { APPROVER_POLICIES } from '../../domain/approvals.ts';
import { type DoneOutcome, defineAction } from '../action.ts';
import { changedFields } from '../audit.ts';
import { slugSchema } from '../inputs.ts';
import { loadOrganisation } from './organisations.ts';

const RULE_FIELDS = ['approvers', 'approvalHours', 'bulkDeactivateApprovalOver'] as const;

/**
 * An organisation's approval rules: who decides its requests (owners, or admins as well), how long a request waits,
 * and above how many accounts a bulk deactivate waits for approval too (deletions always do).
 */
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
    /** `off`, or a number of accounts. */
    bulkDeactivateOver: z
      .union([z.literal('off').transform(() => null), z.coerce.number().int().min(1, 'must be a number of accounts, or off').max(1_000_000)])
      .optional(),
  }),
  async run(ctx, { organisation: slug, approvers, hours, bulkDeactivateOver }): Promise<DoneOutcome> {
    const { organisation, target } = await loadOrganisation(ctx, slug);
    const rules = () => ({
      approvers: organisation.approvers,
      approvalHours: organisation.approvalHours,
      bulkDeactivateApprovalOver: organisation.bulkDeactivateApprovalOver ?? null,
    });
    const before = rules();
    if (approvers) organisation.approvers = approvers;
    if (hours) organisation.approvalHours = hours;
    if (bulkDeactivateOver !== undefined) organisation.bulkDeactivateApprovalOver = bulkDeactivateOver;
    const changes = changedFields(before, rules(), RULE_FIELDS);
    if (Object.keys(changes).length) ctx.audit.record({ action: 'org-approvals', target, changes });
    const who = organisation.approvers === 'admins' ? 'its owners and admins' : 'its owners';
    const over = organisation.bulkDeactivateApprovalOver;
    const what = over ? `Deletions, and bulk deactivations of more than ${over} accounts,` : 'Deletions';
    return {
      kind: 'done',
      message: `${what} in ${organisation.slug} wait for approval, decided by ${who} (never by the requester); a request expires after ${organisation.approvalHours} hours.`,
    };
  },
});
