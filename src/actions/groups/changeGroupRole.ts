import { z } from 'zod';
import { Membership } from '../../db/entities/index.ts';
import { GROUP_ROLES } from '../../domain/accounts.ts';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction, type AccountOutcome } from '../action.ts';
import { fullName, loadAccount, accountOutcome } from '../accounts/account.ts';
import { groupRefSchema, loadGroup, quoted } from './groups.ts';
import { accountRefSchema, expectedVersionSchema, reasonSchema, flags } from '../inputs.ts';
import { accountTarget } from '../auditTargets.ts';

/** The account's role inside one group, not its role in the product. */
export const changeGroupRole = defineAction({
  name: 'group-role',
  describedAs: 'changing group membership',
  requires: 'admin',
  command: {
    usage: `<who> <group> <${GROUP_ROLES.join('|')}>`,
    positional: ['account', 'group', 'role'],
    flags: flags.reason,
  },
  input: z.object({
    account: accountRefSchema,
    group: groupRefSchema,
    role: z.enum(GROUP_ROLES),
    reason: reasonSchema,
    expectedVersion: expectedVersionSchema,
  }),
  async run(ctx, { account: ref, group: groupRef, role, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadAccount(ctx, ref, { expectedVersion });
    const group = await loadGroup(ctx, groupRef, { within: account.organisation });
    const membership = await ctx.em.findOne(Membership, { account, group });
    if (!membership) throw new RefusedError(`${fullName(account)} is not in ${quoted(group.name)}; add them with group-add.`, 'invalid-state');
    if (membership.role === role) throw new RefusedError(`${fullName(account)} is already ${role} in ${quoted(group.name)}.`, 'invalid-state');
    const before = membership.role;
    membership.role = role;
    ctx.audit.record({
      action: 'group-role',
      target: accountTarget(account),
      changes: { [`groups.${group.name}`]: { before, after: role } },
      reason,
    });
    return accountOutcome(account, `${fullName(account)} is now ${role} in ${quoted(group.name)} (was ${before}).`);
  },
});
