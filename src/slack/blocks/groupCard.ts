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

/** The group's card under an optional line saying what just happened. */
export function groupCardReply(card: GroupCard, outcome?: string): { text: string; blocks: KnownBlock[] } {
  return {
    text: truncate(outcome ?? `${card.name} (${card.organisation.slug}): ${card.memberCount} members`, 3000),
    blocks: [...(outcome ? [outcomeContext(outcome)] : []), ...groupCardBlocks(card)],
  };
}
