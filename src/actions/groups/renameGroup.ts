import { z } from 'zod';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction, type GroupOutcome } from '../action.ts';
import { auditGroupChange, groupNameSchema, groupOrgSchema, groupRefSchema, groupSnapshot, loadGroup, quoted, requireFreeName } from './groups.ts';
import { reasonSchema, flags } from '../inputs.ts';

/** Renames a group (unique in its organisation, in any case). */
export const renameGroup = defineAction({
  name: 'group-rename',
  describedAs: 'renaming a group',
  requires: 'admin',
  command: {
    usage: '<group> <new name>',
    positional: ['group', 'name'],
    flags: { ...flags.org, ...flags.reason },
  },
  input: z.object({ group: groupRefSchema, name: groupNameSchema, organisation: groupOrgSchema, reason: reasonSchema }),
  async run(ctx, { group: ref, name, organisation, reason }): Promise<GroupOutcome> {
    const group = await loadGroup(ctx, ref, { organisation });
    if (group.name === name) throw new RefusedError(`The group is already called ${quoted(name)}.`, 'invalid-state');
    await requireFreeName(ctx, group.organisation, name, group.id);
    const before = groupSnapshot(group);
    group.name = name;
    auditGroupChange(ctx, 'group-rename', group, before, reason);
    return { kind: 'group', groupId: group.id, message: `${quoted(before.name!)} is now called ${quoted(name)}.` };
  },
});
