import { z } from 'zod';
import { Membership } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction, type AccountOutcome } from '../action.ts';
import { fullName, loadAccount, accountOutcome } from '../accounts/account.ts';
import { groupRefSchema, loadGroup, quoted } from './groups.ts';
import { accountRefSchema, expectedVersionSchema, reasonSchema, flags } from '../inputs.ts';
import { accountTarget } from '../auditTargets.ts';

/** Takes an account out of a group. A group is never left without its owner being a member: move ownership first. */
/** Why the group's owner cannot leave it: `who` is the account's name ("The account" where none is at hand). */
export function ownerCannotLeave(who: string, groupName: string): string {
  return `${who} owns ${quoted(groupName)}; give it another owner first (group-owner ${quoted(groupName)} <who>).`;
}

export const removeFromGroup = defineAction({
  name: 'group-remove',
  describedAs: 'changing group membership',
  requires: 'admin',
  command: {
    usage: '<who> <group>',
    positional: ['account', 'group'],
    flags: flags.reason,
  },
  input: z.object({ account: accountRefSchema, group: groupRefSchema, reason: reasonSchema, expectedVersion: expectedVersionSchema }),
  async run(ctx, { account: ref, group: groupRef, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadAccount(ctx, ref, { expectedVersion });
    const group = await loadGroup(ctx, groupRef, { within: account.organisation });
    const membership = await ctx.em.findOne(Membership, { account, group });
    if (!membership) throw new RefusedError(`${fullName(account)} is not in ${quoted(group.name)}.`, 'invalid-state');
    if (group.owner?.id === account.id) throw new RefusedError(ownerCannotLeave(fullName(account), group.name), 'invalid-state');
    ctx.em.remove(membership);
    ctx.audit.record({
      action: 'group-remove',
      target: accountTarget(account),
      changes: { [`groups.${group.name}`]: { before: membership.role, after: null } },
      reason,
    });
    return accountOutcome(account, `${fullName(account)} is no longer in ${quoted(group.name)} (was ${membership.role}).`);
  },
});
