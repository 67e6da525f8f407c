import type { KnownBlock } from '@slack/types';
import type { AccountCard, AccountSummary } from '../../db/accountCards.ts';
import { accountFacts, type CardTimes, extrasFacts, type Fact, groupLine } from '../../present/accountFacts.ts';
import { escapeMrkdwn, slackFormat, truncate } from './text.ts';

/** Enough groups to read at a glance while staying far below Slack's 50 blocks per message. */
export const GROUPS_ON_CARD = 20;

export function accountCardBlocks(card: AccountCard, times: CardTimes = {}): KnownBlock[] {
  const facts = (list: Fact[]) => list.map((f) => ({ type: 'mrkdwn' as const, text: truncate(`*${f.label}*\n${f.value}`, 2000) }));
  const groups = card.groups.slice(0, GROUPS_ON_CARD);
  return [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${card.firstName} ${card.lastName}`, 150) } },
    { type: 'section', block_id: 'account', fields: facts(accountFacts(card, slackFormat, times)) },
    { type: 'section', block_id: 'extras', fields: facts(extrasFacts(card, slackFormat)) },
    { type: 'divider' },
    {
      type: 'section',
      block_id: 'groups-title',
      text: { type: 'mrkdwn', text: card.groups.length ? `*Groups (${card.groups.length})*` : '*Groups*: none' },
    },
    ...groups.map(
      (group, i): KnownBlock => ({ type: 'section', block_id: `group-${i}`, text: { type: 'mrkdwn', text: truncate(groupLine(group, slackFormat), 3000) } }),
    ),
    ...(card.groups.length > groups.length
      ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${card.groups.length - groups.length} more groups.` }] } as KnownBlock]
      : []),
  ];
}

export function accountCardText(card: AccountCard): string {
  return truncate(`${card.firstName} ${card.lastName} <${card.email}>: ${card.status}`, 3000);
}

export function matchListBlocks(query: string, matches: AccountSummary[], more: boolean): KnownBlock[] {
  return [
    {
      type: 'section',
      block_id: 'matches-title',
      text: { type: 'mrkdwn', text: truncate(`*${matches.length}${more ? '+' : ''} accounts match “${escapeMrkdwn(query)}”*`, 3000) },
    },
    ...matches.map(
      (m, i): KnownBlock => ({
        type: 'section',
        block_id: `match-${i}`,
        text: {
          type: 'mrkdwn',
          text: truncate(
            `*${escapeMrkdwn(`${m.firstName} ${m.lastName}`)}* ${escapeMrkdwn(m.email)} · \`${escapeMrkdwn(m.username)}\` · ${m.status} · ${escapeMrkdwn(m.organisationSlug)}`,
            3000,
          ),
        },
        accessory: { type: 'button', action_id: 'account.open', text: { type: 'plain_text', text: 'Open' }, value: m.id },
      }),
    ),
    ...(more ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: 'More accounts match: type more of the name, or the email.' }] } as KnownBlock] : []),
  ];
}
