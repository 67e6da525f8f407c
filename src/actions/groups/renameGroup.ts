import { z } from 'zod';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction } from '../action.ts';
import { reasonSchema } from '../accounts/account.ts';
import {
  auditGroupChange,
  groupNameSchema,
  groupOrgSchema,
  groupRefSchema,
  groupSnapshot,
  loadGroup,
  quoted,
  requireFreeName,
  type GroupOutcome,
} from './groups.ts';

/** Seed 002's group settings: change its name (unique in its organisation, in any case). */
export const renameGroup = defineAction({
  name: 'group-rename',
  describedAs: 'renaming a group',
  requires: 'admin',
  command: {
    usage: '<group> <new name> [--org <slug>] [--reason <text>]',
    positional: ['group', 'name'],
    flags: { org: { field: 'organisation', type: 'string' }, reason: { field: 'reason', type: 'string' } },
  },
  input: z.object({ group: groupRefSchema, name: groupNameSchema, organisation: groupOrgSchema, reason: reasonSchema }),
  async run(ctx, { group: ref, name, organisation, reason }): Promise<GroupOutcome> {
    const group = await loadGroup(ctx, ref, { organisation });
    if (group.name === name) throw new RefusedError(`The group is already called ${quoted(name)}.`, 'invalid-state');
    await requireFreeName(ctx, group.organisation, name, group.id);
    const before = groupSnapshot(group);
    group.name = name;
    auditGroupChange(ctx, 'group-rename', group, before, reason);
    return { groupId: group.id, message: `${quoted(before.name!)} is now called ${quoted(name)}.` };
  },
});
