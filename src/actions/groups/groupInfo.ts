import { z } from 'zod';
import { findGroupCard } from '../../db/groupCards.ts';
import { defineAction, type GroupOutcome } from '../action.ts';
import { groupOrgSchema, groupRefSchema, loadGroup, quoted } from './groups.ts';
import { flags } from '../inputs.ts';

/** The group's card: name, owner, members, licences and modules; read-only. */
export const groupInfo = defineAction({
  name: 'group',
  describedAs: 'looking up groups',
  requires: 'viewer',
  readOnly: true,
  command: { usage: '<group>', positional: ['group'], flags: flags.org },
  input: z.object({ group: groupRefSchema, organisation: groupOrgSchema }),
  async run(ctx, { group: ref, organisation }): Promise<GroupOutcome> {
    const group = await loadGroup(ctx, ref, { organisation });
    const card = (await findGroupCard(ctx.em, group.id))!;
    return {
      kind: 'group',
      groupId: group.id,
      card,
      message: `${quoted(card.name)} (${card.organisation.slug}): ${card.memberCount} member${card.memberCount === 1 ? '' : 's'}.`,
    };
  },
});
