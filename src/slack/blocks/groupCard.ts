import type { KnownBlock } from '@slack/types';
import type { GroupCard } from '../../db/groupCards.ts';
import { groupFacts } from '../../present/groupFacts.ts';
import { outcomeContext } from './cardActions.ts';
import { slackFormat, truncate } from './text.ts';

function groupCardBlocks(card: GroupCard): KnownBlock[] {
  return [
    { type: 'header', text: { type: 'plain_text', text: truncate(card.name, 150) } },
    {
      type: 'section',
      block_id: 'group',
      fields: groupFacts(card, slackFormat).map((f) => ({ type: 'mrkdwn' as const, text: truncate(`*${f.label}*\n${f.value}`, 2000) })),
    },
  ];
}

export const GROUP_ADD_MEMBER_ACTION_ID = 'group.add-member';
export const GROUP_CHANGE_OWNER_ACTION_ID = 'group.change-owner';

/**
 * The group's card under an optional line saying what just happened; a reader who may manage the group (an admin of
 * its organisation) also gets Add member… and Change owner…, whose forms pick the person as you type.
 */
export function groupCardReply(
  card: GroupCard,
  { outcome, manageable = false }: { outcome?: string; manageable?: boolean } = {},
): { text: string; blocks: KnownBlock[] } {
  const button = (actionId: string, text: string) => ({
    type: 'button' as const,
    action_id: actionId,
    text: { type: 'plain_text' as const, text },
    value: card.id,
  });
  return {
    text: truncate(outcome ?? `${card.name} (${card.organisation.slug}): ${card.memberCount} members`, 3000),
    blocks: [
      ...(outcome ? [outcomeContext(outcome)] : []),
      ...groupCardBlocks(card),
      ...(manageable
        ? [
            {
              type: 'actions' as const,
              block_id: 'group-actions',
              elements: [button(GROUP_ADD_MEMBER_ACTION_ID, 'Add member…'), button(GROUP_CHANGE_OWNER_ACTION_ID, 'Change owner…')],
            },
          ]
        : []),
    ],
  };
}
