import { z } from 'zod';
import { defineAction, type AccountOutcome } from '../action.ts';
import { accountRefSchema, expectedVersionSchema } from '../inputs.ts';
import { applyAccountEdit } from '../accounts/accountEdit.ts';
import { accountOutcome, applyLifecycle, auditAccountChange, fullName, loadAccount, requireNoOwnedGroups, snapshot } from '../accounts/account.ts';
import { editableFieldsSchema } from '../accounts/editAccount.ts';

/** Why the identity provider changed an account, as the audit trail and the account's card show it. */
export const PROVISIONED_REASON = 'provisioned over SCIM';

/**
 * A SCIM PUT or PATCH: the account's fields and whether it is active, changed together in one transaction, so a
 * refused deactivation leaves the fields as they were too. Audited as Slack's `edit`, `deactivate` and `reactivate`
 * are, with the same rules (the status machine, the sole-owner guard).
 */
export const updateProvisionedAccount = defineAction({
  name: 'scim-update',
  describedAs: 'changing accounts over SCIM',
  requires: 'admin',
  input: z.object({
    account: accountRefSchema,
    expectedVersion: expectedVersionSchema,
    edit: editableFieldsSchema.omit({ organisation: true }).default({}),
    active: z.boolean().optional(),
  }),
  async run(ctx, { account: ref, expectedVersion, edit, active }): Promise<AccountOutcome> {
    const account = await loadAccount(ctx, ref, { expectedVersion });
    if (Object.values(edit).some((value) => value !== undefined)) await applyAccountEdit(ctx, 'edit', ref, edit, { reason: PROVISIONED_REASON });
    const isActive = account.status !== 'DEACTIVATED';
    if (active === undefined || active === isActive) return accountOutcome(account, `Updated ${fullName(account)}.`);
    const before = snapshot(account);
    const event = active ? 'reactivate' : 'deactivate';
    applyLifecycle(account, event, PROVISIONED_REASON);
    if (!active) await requireNoOwnedGroups(ctx, account);
    auditAccountChange(ctx, event, account, before, PROVISIONED_REASON);
    return accountOutcome(account, `Updated ${fullName(account)}: ${account.status}.`);
  },
});
