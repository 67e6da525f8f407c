import type { StaticSelect } from '@slack/types';
import type { TypedAction } from '../../actions/action.ts';
import { runsWithoutForm } from '../../actions/formFields.ts';
import type { AccountCard } from '../../db/accountCards.ts';
import { fitOptionText } from '../options/accountPick.ts';
import { cardActionValue, parseCardActionValue } from './cardActions.ts';

/** The card's "More actions…" menu (src/slack/views/moreActions.ts answers a choice in it). */
export const MORE_ACTIONS_ACTION_ID = 'account.more';

/** Slack's limit on the options of a static select. */
const MAX_OPTIONS = 100;

/**
 * A select of the account actions the card has no button for, or undefined when there are none. Each option says
 * which action, which account and the version the reader saw, like the buttons' values; one that opens a form ends
 * with an ellipsis.
 */
export function moreActionsMenu(card: Pick<AccountCard, 'id' | 'version'>, actions: readonly TypedAction[]): StaticSelect | undefined {
  if (actions.length === 0) return undefined;
  return {
    type: 'static_select',
    action_id: MORE_ACTIONS_ACTION_ID,
    placeholder: { type: 'plain_text', text: 'More actions…' },
    options: actions.slice(0, MAX_OPTIONS).map((action) => ({
      text: { type: 'plain_text', text: fitOptionText(`${actionLabel(action)}${runsWithoutForm(action) ? '' : '…'}`), emoji: false },
      value: `${action.name}|${cardActionValue(card)}`,
    })),
  };
}

export function parseMoreActionValue(value: string): { actionName: string; accountId: string; expectedVersion: number } | null {
  const [actionName, target] = value.split('|', 2);
  const parsed = target ? parseCardActionValue(target) : null;
  return actionName && parsed ? { actionName, ...parsed } : null;
}

/** The action's button label where it has one, else its verb in words: `group-add` reads "Group add". */
export function actionLabel(action: TypedAction): string {
  return action.onCard?.label ?? humanise(action.name);
}

/** `addOn` and `group-add` read "Add on" and "Group add". */
export function humanise(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
