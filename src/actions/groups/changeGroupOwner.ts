import { z } from 'zod';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction, type GroupOutcome } from '../action.ts';
import { fullName, loadAccount } from '../accounts/account.ts';
import {
  auditGroupChange,
  ensureOwnerIsMember,
  groupOrgSchema,
  groupRefSchema,
  groupSnapshot,
  groupTarget,
  loadGroup,
  OWNER_JOINS_AS,
  quoted,
  requireOwnable,
} from './groups.ts';
import { accountRefSchema, reasonSchema, flags } from '../inputs.ts';

/** Gives a group another owner: the owner is the group's administrative contact, so they are (or become) a member. */
export const changeGroupOwner = defineAction({
  name: 'group-owner',
  describedAs: 'changing a group’s owner',
  requires: 'admin',
  command: {
    usage: '<group> <who>',
    positional: ['group', 'account'],
    flags: { ...flags.org, ...flags.reason },
  },
  input: z.object({ group: groupRefSchema, account: accountRefSchema, organisation: groupOrgSchema, reason: reasonSchema }),
  async run(ctx, { group: groupRef, account: ref, organisation, reason }): Promise<GroupOutcome> {
    const owner = await loadAccount(ctx, ref);
    const group = await loadGroup(ctx, groupRef, { within: owner.organisation, organisation });
    ctx.aboutTarget(groupTarget(group));
    if (group.owner?.id === owner.id) throw new RefusedError(`${fullName(owner)} already owns ${quoted(group.name)}.`, 'invalid-state');
    requireOwnable(owner);
    const previous = group.owner ? fullName(group.owner) : null;
    const before = groupSnapshot(group);
    group.owner = owner;
    const joined = await ensureOwnerIsMember(ctx, group, owner);
    auditGroupChange(ctx, 'group-owner', group, before, reason, joined);
    const joinedSentence = Object.keys(joined).length ? ` They were not a member, so they joined it as ${OWNER_JOINS_AS}.` : '';
    return {
      kind: 'group',
      groupId: group.id,
      message: `${fullName(owner)} now owns ${quoted(group.name)}${previous ? ` (was ${previous})` : ''}.${joinedSentence}`,
    };
  },
});
