import { z } from 'zod';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction, type GroupOutcome } from '../action.ts';
import { auditGroupChange, externalIdSchema, groupOrgSchema, groupRefSchema, groupSnapshot, loadGroup, quoted, requireFreeExternalId } from './groups.ts';
import { reasonSchema, flags } from '../inputs.ts';

/** Sets the ID another system knows the group by (unique in its organisation). */
export const setGroupExternalId = defineAction({
  name: 'group-external-id',
  describedAs: 'changing a group’s external ID',
  requires: 'admin',
  command: {
    usage: '<group> <id>',
    positional: ['group', 'externalId'],
    flags: { ...flags.org, ...flags.reason },
  },
  input: z.object({ group: groupRefSchema, externalId: externalIdSchema, organisation: groupOrgSchema, reason: reasonSchema }),
  async run(ctx, { group: ref, externalId, organisation, reason }): Promise<GroupOutcome> {
    const group = await loadGroup(ctx, ref, { organisation });
    if (group.externalId === externalId) throw new RefusedError(`${quoted(group.name)} already has the external ID ${quoted(externalId)}.`, 'invalid-state');
    await requireFreeExternalId(ctx, group.organisation, externalId, group.id);
    const before = groupSnapshot(group);
    group.externalId = externalId;
    auditGroupChange(ctx, 'group-external-id', group, before, reason);
    return {
      kind: 'group',
      groupId: group.id,
      message: `${quoted(group.name)} now has the external ID ${quoted(externalId)} (was ${before.externalId ? quoted(before.externalId) : 'none'}).`,
    };
  },
});
