import { z } from 'zod';
import { Membership } from '../../db/entities/index.ts';
import { GROUP_ROLES } from '../../domain/accounts.ts';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction, type AccountOutcome } from '../action.ts';
import { fullName, loadLiveAccount, accountOutcome } from '../accounts/account.ts';
import { groupRefSchema, loadGroup, quoted } from './groups.ts';
import { accountRefSchema, expectedVersionSchema, reasonSchema, flags } from '../inputs.ts';
import { accountTarget } from '../auditTargets.ts';

/** Adds an account to a group: the group is looked up in the account's organisation. */
export const addToGroup = defineAction({
  name: 'group-add',
  describedAs: 'changing group membership',
  requires: 'admin',
  command: {
    usage: `<who> <group> [--role ${GROUP_ROLES.join('|')}]`,
    positional: ['account', 'group'],
    flags: { role: { field: 'role', type: 'string' }, ...flags.reason },
  },
  input: z.object({
    account: accountRefSchema,
    group: groupRefSchema,
    role: z.enum(GROUP_ROLES).default('member'),
    reason: reasonSchema,
    expectedVersion: expectedVersionSchema,
  }),
  async run(ctx, { account: ref, group: groupRef, role, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadLiveAccount(ctx, ref, { expectedVersion });
    const group = await loadGroup(ctx, groupRef, { within: account.organisation });
    const existing = await ctx.em.findOne(Membership, { account, group });
    if (existing) {
      throw new RefusedError(`${fullName(account)} is already in ${quoted(group.name)} as ${existing.role}; to change that, use group-role.`, 'invalid-state');
    }
    ctx.em.create(Membership, { account, group, role });
    ctx.audit.record({
      action: 'group-add',
      target: accountTarget(account),
      changes: { [`groups.${group.name}`]: { before: null, after: role } },
      reason,
    });
    return accountOutcome(account, `${fullName(account)} is now in ${quoted(group.name)} as ${role}.`);
  },
});
