import type { KnownBlock, StaticSelect } from '@slack/types';
import type { CardAction } from '../../actions/action.ts';
import type { AccountCard } from '../../db/accountCards.ts';
import { mrkdwnSentence, truncate } from './text.ts';

export const CARD_ACTION_PREFIX = 'account.do.';

/** The card's Edit button: it opens the edit modal rather than running an action (src/slack/views/editAccount.ts). */
export const EDIT_BUTTON_ACTION_ID = 'account.edit.open';

/** Button value: which account, and the version the reader saw (a stale click is caught, not applied). */
export function cardActionValue(card: Pick<AccountCard, 'id' | 'version'>): string {
  return `${card.id}:${card.version}`;
}

export function parseCardActionValue(value: string): { accountId: string; expectedVersion: number } | null {
  const match = /^([0-9a-f-]{36}):(\d+)$/.exec(value);
  return match ? { accountId: match[1]!, expectedVersion: Number(match[2]) } : null;
}

/**
 * One button per action the reader may take now; destructive ones ask first, naming the account. `editable`: the
 * reader may edit the account (an admin for its organisation), so an Edit button opens the edit modal. `menu`: the
 * "More actions…" select (moreActionsMenu.ts), after the buttons.
 */
export function cardActionBlocks(
  card: AccountCard,
  available: readonly CardAction[],
  { editable = false, menu }: { editable?: boolean; menu?: StaticSelect } = {},
): KnownBlock[] {
  if (available.length === 0 && !editable && !menu) return [];
  const name = `${card.firstName} ${card.lastName}`;
  const edit = { type: 'button' as const, action_id: EDIT_BUTTON_ACTION_ID, text: { type: 'plain_text' as const, text: 'Edit' }, value: cardActionValue(card) };
  return [
    {
      type: 'actions',
      block_id: 'account-actions',
      elements: [
        ...(editable ? [edit] : []),
        ...available.slice(0, 25 - (editable ? 1 : 0) - (menu ? 1 : 0)).map((action) => ({
          type: 'button' as const,
          action_id: `${CARD_ACTION_PREFIX}${action.name}`,
          text: { type: 'plain_text' as const, text: truncate(action.onCard.label, 75) },
          value: cardActionValue(card),
          ...(action.onCard.style ? { style: action.onCard.style } : {}),
          ...(action.confirm
            ? {
                confirm: {
                  title: { type: 'plain_text' as const, text: truncate(`${action.onCard.label} ${name}?`, 100) },
                  text: {
                    type: 'plain_text' as const,
                    text: truncate(`${action.onCard.label}: ${name} <${card.email}>, now ${card.status}. This is recorded in the audit trail.`, 300),
                  },
                  confirm: { type: 'plain_text' as const, text: truncate(action.onCard.label, 30) },
                  deny: { type: 'plain_text' as const, text: 'Cancel' },
                  ...(action.onCard.style === 'danger' ? { style: 'danger' as const } : {}),
                },
              }
            : {}),
        })),
        ...(menu ? [menu] : []),
      ],
    },
  ];
}

export function outcomeContext(sentence: string): KnownBlock {
  return { type: 'context', block_id: 'outcome', elements: [{ type: 'mrkdwn', text: truncate(mrkdwnSentence(sentence), 3000) }] };
}
