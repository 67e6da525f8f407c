import type { KnownBlock } from '@slack/types';
import type { AccountPage } from '../../actions/accounts/listAccounts.ts';
import { accountListDetails, matchCount } from '../../present/accountListText.ts';
import type { Message } from '../delivery.ts';
import { escapeMrkdwn, slackFormat, truncate } from './text.ts';

export const ACCOUNT_LIST_ACTIONS = { next: 'users.list.next', previous: 'users.list.previous', reset: 'users.list.reset' } as const;
export const LIST_EXPORT_ACTION_ID = 'users.list.export';
export const LIST_BULK_ACTION_ID = 'users.list.bulk';
/** Slack's limit on a select option's value. */
const OPTION_VALUE_LIMIT = 150;

/** What a list's button carries: the filter as text and where the page starts. Slack keeps at most this much. */
export interface ListButtonValue {
  filter: string;
  after?: string;
  before?: string;
}
const BUTTON_VALUE_LIMIT = 2000;
const SECTION_TEXT_LIMIT = 3000;
/** A name is cut here on a list line, so one long name does not push the columns off the screen. */
const NAME_ON_LINE = 80;

/**
 * A page of accounts: a line per account with an Open button, how many match, the filter in words, and paging; for
 * a reader who may change many accounts (`bulk`: the changes they may preview), Export and a bulk-change menu over
 * the same selection.
 */
export function accountListReply(page: AccountPage, { bulk = [] }: { bulk?: readonly string[] } = {}): Message {
  const heading = `${matchCount(page.total)}. ${page.description}.`;
  const rows = page.accounts.map(
    (row, i): KnownBlock => ({
      type: 'section',
      block_id: `account-${i}`,
      text: {
        type: 'mrkdwn',
        text: truncate(
          `*${escapeMrkdwn(truncate(row.firstName, NAME_ON_LINE))} ${escapeMrkdwn(truncate(row.lastName, NAME_ON_LINE))}*\n${accountListDetails(row, slackFormat)}`,
          SECTION_TEXT_LIMIT,
        ),
      },
      accessory: { type: 'button', action_id: 'account.open', text: { type: 'plain_text', text: 'Open' }, value: row.id },
    }),
  );
  const paging = pagingButtons(page);
  const buttons = [...(paging ?? []), ...(page.filter ? [button('Reset filters', ACCOUNT_LIST_ACTIONS.reset, { filter: '' })] : [])];
  const forMany = page.total > 0 && bulk.length ? selectionActions(page.filter, bulk) : [];
  return {
    text: heading,
    blocks: [
      { type: 'section', block_id: 'list-title', text: { type: 'mrkdwn', text: truncate(`*${escapeMrkdwn(heading)}*`, SECTION_TEXT_LIMIT) } },
      ...rows,
      ...(page.accounts.length === 0
        ? [context('list-empty', page.total ? 'No more accounts on this side of the list; go the other way.' : 'No accounts match this filter.')]
        : []),
      ...(paging === null
        ? [
            context(
              'list-too-long',
              'This filter is too long for Slack to carry to the next page; shorten it, or page with the CLI (`npm run roster -- users list`).',
            ),
          ]
        : []),
      ...(buttons.length ? [{ type: 'actions', block_id: 'list-paging', elements: buttons } as KnownBlock] : []),
      ...(forMany.length ? [{ type: 'actions', block_id: 'list-selection', elements: forMany } as KnownBlock] : []),
    ],
  };
}

/** Previous and Next, or null when a button's value would be longer than Slack keeps (nothing is stored to stand in for it). */
function pagingButtons(page: AccountPage): ReturnType<typeof button>[] | null {
  const buttons = [
    ...(page.previous ? [button('Previous', ACCOUNT_LIST_ACTIONS.previous, { filter: page.filter, before: page.previous })] : []),
    ...(page.next ? [button('Next', ACCOUNT_LIST_ACTIONS.next, { filter: page.filter, after: page.next })] : []),
  ];
  return buttons.every((b) => b.value.length <= BUTTON_VALUE_LIMIT) ? buttons : null;
}

/** Export this selection, and a menu of bulk changes over it; left out when the filter is too long for Slack to carry. */
function selectionActions(filter: string, changes: readonly string[]) {
  const exportButton = button('Export', LIST_EXPORT_ACTION_ID, { filter });
  const options = changes
    .map((change) => ({ text: { type: 'plain_text' as const, text: change }, value: JSON.stringify({ c: change, f: filter }) }))
    .filter((option) => option.value.length <= OPTION_VALUE_LIMIT);
  return [
    ...(exportButton.value.length <= BUTTON_VALUE_LIMIT ? [exportButton] : []),
    ...(options.length
      ? [{ type: 'static_select' as const, action_id: LIST_BULK_ACTION_ID, placeholder: { type: 'plain_text' as const, text: 'Change them all…' }, options }]
      : []),
  ];
}

function button(label: string, actionId: string, value: ListButtonValue) {
  return { type: 'button' as const, action_id: actionId, text: { type: 'plain_text' as const, text: label }, value: JSON.stringify(value) };
}

function context(blockId: string, text: string): KnownBlock {
  return { type: 'context', block_id: blockId, elements: [{ type: 'mrkdwn', text }] };
}
