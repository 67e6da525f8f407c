import { z } from 'zod';
import { Group, GroupFeature, Licence, Membership, type IGroup } from '../../db/entities/index.ts';
import { defineAction, type GroupOutcome } from '../action.ts';
import { groupOrgSchema, groupRefSchema, groupSnapshot, groupTarget, loadGroup, quoted } from './groups.ts';
import { reasonSchema, flags } from '../inputs.ts';

/**
 * Deletes a group. Its members lose the membership (their accounts stay), its licences and modules go
 * with it, and its subgroups move up to its parent (or to the top level) rather than blocking the deletion: a
 * subgroup is a group of its own, and moving it keeps its members, licences and modules.
 */
export const deleteGroup = defineAction({
  name: 'group-delete',
  describedAs: 'deleting a group',
  requires: 'admin',
  confirm: true,
  command: {
    usage: '<group>',
    positional: ['group'],
    flags: { ...flags.org, ...flags.reason },
  },
  input: z.object({ group: groupRefSchema, organisation: groupOrgSchema, reason: reasonSchema }),
  async run(ctx, { group: ref, organisation, reason }): Promise<GroupOutcome> {
    const group = await loadGroup(ctx, ref, { organisation });
    const parent = (group.parent as IGroup | null) ?? null;
    const members = await ctx.em.count(Membership, { group });
    const subgroups = await ctx.em.find(Group, { parent: group }, { orderBy: { name: 'asc' } });
    const licences = await ctx.em.find(Licence, { group }, { orderBy: { product: 'asc' } });
    const modules = await ctx.em.find(GroupFeature, { group, active: true }, { populate: ['feature'] });
    for (const subgroup of subgroups) subgroup.parent = parent;
    const before = groupSnapshot(group);
    ctx.em.remove(group);
    // Memberships, licences and modules go by the database's cascade; the audit keeps what they were.
    ctx.audit.record({
      action: 'group-delete',
      target: groupTarget(group),
      changes: {
        ...Object.fromEntries(
          Object.entries(before)
            .filter(([, value]) => value !== null)
            .map(([field, value]) => [field, { before: value, after: null }]),
        ),
        memberCount: { before: members, after: 0 },
        ...(subgroups.length ? { subgroups: { before: subgroups.map((g) => g.name), after: [] } } : {}),
        ...(licences.length ? { licences: { before: licences.map((l) => `${l.product}: ${l.seats}`), after: [] } } : {}),
        ...(modules.length ? { modules: { before: modules.map((m) => m.feature.key).sort(), after: [] } } : {}),
      },
      reason,
    });
    const moved = subgroups.length
      ? ` ${subgroups.length === 1 ? `Its subgroup ${quoted(subgroups[0]!.name)} now sits` : `Its ${subgroups.length} subgroups now sit`} ${parent ? `under ${quoted(parent.name)}` : 'at the top level'}.`
      : '';
    return {
      kind: 'group',
      groupId: null,
      message: `Deleted ${quoted(group.name)} from ${group.organisation.slug}: ${members} member${members === 1 ? '' : 's'} lost the membership.${moved}`,
    };
  },
});
