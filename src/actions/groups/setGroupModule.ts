import { z } from 'zod';
import { GroupFeature } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction, type GroupOutcome } from '../action.ts';
import { loadFeature, onOffSchema } from '../accounts/features.ts';
import { groupOrgSchema, groupRefSchema, groupTarget, loadGroup, quoted } from './groups.ts';
import { reasonSchema, flags } from '../inputs.ts';

/** A functional module switched on for a whole group; off removes it. */
export const setGroupModule = defineAction({
  name: 'group-module',
  describedAs: 'changing a group’s modules',
  requires: 'owner',
  command: {
    usage: '<group> <module-key> on|off',
    positional: ['group', 'module', 'state'],
    flags: { ...flags.org, ...flags.reason },
  },
  input: z.object({ group: groupRefSchema, module: z.string().trim().min(1).max(100), state: onOffSchema, organisation: groupOrgSchema, reason: reasonSchema }),
  async run(ctx, { group: ref, module: key, state, organisation, reason }): Promise<GroupOutcome> {
    const group = await loadGroup(ctx, ref, { organisation });
    const feature = await loadFeature(ctx, 'module', key);
    const installed = await ctx.em.findOne(GroupFeature, { group, feature });
    const wasOn = installed?.active ?? false;
    if (wasOn === (state === 'on')) throw new RefusedError(`The module ${feature.key} is already ${state} for ${quoted(group.name)}.`, 'invalid-state');
    if (state === 'off') ctx.em.remove(installed!);
    else if (installed) installed.active = true;
    else ctx.em.create(GroupFeature, { group, feature });
    ctx.audit.record({
      action: 'group-module',
      target: groupTarget(group),
      changes: { [`modules.${feature.key}`]: { before: wasOn ? 'on' : null, after: state === 'on' ? 'on' : null } },
      reason,
    });
    return { kind: 'group', groupId: group.id, message: `The module ${feature.name} (${feature.key}) is ${state} for ${quoted(group.name)}.` };
  },
});
