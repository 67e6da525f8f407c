import type { ExternalSelect, PlainTextOption } from '@slack/types';
import { runAction, type ActionServices } from '../../actions/action.ts';
import type { Actor } from '../../actions/actor.ts';
import { searchAccountsAction } from '../../actions/accounts/searchAccounts.ts';
import type { AccountSummary } from '../../db/accountCards.ts';
import { RefusedError } from '../../domain/errors.ts';

/** The account picker in modals: an external select whose options Roster serves as the user types. */
export const ACCOUNT_PICK_ACTION_ID = 'account.pick';

/** Slack's limit on an option's text. */
export const OPTION_TEXT_LIMIT = 75;

/**
 * The picker element wherever Roster asks for a person (a modal's input, the Home tab's "Find an account"); its
 * options come from `accountOptions`.
 */
export function accountPickElement(placeholder = 'Name, username or email', actionId = ACCOUNT_PICK_ACTION_ID): ExternalSelect {
  return {
    type: 'external_select',
    action_id: actionId,
    placeholder: { type: 'plain_text', text: placeholder },
    min_query_length: 1,
  };
}

/**
 * The options for what `actor` has typed: the matching accounts they may read, as `First Last · email`,
 * valued by account id. Empty for an empty query, and for a caller refused (the refusal is audited by runAction).
 * The options handler answers with exactly this, and bench/typeahead.ts measures it.
 */
export async function accountOptions(services: ActionServices, actor: Actor, query: string): Promise<PlainTextOption[]> {
  if (query.trim() === '') return [];
  try {
    const accounts = await runAction(services, searchAccountsAction, actor, { query });
    return accounts.map(accountOption);
  } catch (error) {
    if (error instanceof RefusedError) return [];
    throw error;
  }
}

export function accountOption(account: Pick<AccountSummary, 'id' | 'firstName' | 'lastName' | 'email'>): PlainTextOption {
  return {
    text: { type: 'plain_text', text: fitOptionText(`${account.firstName} ${account.lastName} · ${account.email}`), emoji: false },
    value: account.id,
  };
}

/** Cuts text to Slack's option limit, ending in an ellipsis when cut; counts characters, not UTF-16 units. */
export function fitOptionText(text: string, limit = OPTION_TEXT_LIMIT): string {
  const characters = Array.from(text);
  return characters.length <= limit ? text : `${characters.slice(0, limit - 1).join('')}…`;
}
