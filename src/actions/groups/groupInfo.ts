import { z } from 'zod';
import { findGroupCard } from '../../db/groupCards.ts';
import { defineAction } from '../action.ts';
import { groupOrgSchema, groupRefSchema, loadGroup, quoted, type GroupOutcome } from './groups.ts';

/** The group's card (seeds 000-002's group information); read-only. */
export const groupInfo = defineAction({
  name: 'group',
  describedAs: 'looking up groups',
  requires: 'viewer',
  readOnly: true,
  command: { usage: '<group> [--org <slug>]', positional: ['group'], flags: { org: { field: 'organisation', type: 'string' } } },
  input: z.object({ group: groupRefSchema, organisation: groupOrgSchema }),
  async run(ctx, { group: ref, organisation }): Promise<GroupOutcome> {
    const group = await loadGroup(ctx, ref, { organisation });
    const card = (await findGroupCard(ctx.em, group.id))!;
    return {
      groupId: group.id,
      card,
      informational: true,
      message: `${quoted(card.name)} (${card.organisation.slug}): ${card.memberCount} member${card.memberCount === 1 ? '' : 's'}.`,
    };
  },
});
