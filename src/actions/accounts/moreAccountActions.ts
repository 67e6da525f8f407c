import type { AccountCard } from '../../db/accountCards.ts';
import { effectiveGrant, roleIncludes, type Grant } from '../../domain/roles.ts';
import type { AnyAction } from '../action.ts';
import { accountActionFields, isAccountAction } from '../formFields.ts';
import { availableAccountActions } from './availableActions.ts';
import { actionsByVerb } from '../registry.ts';

/** Every typed action on one account, in registry order. */
const accountActions: readonly AnyAction[] = [...new Set(actionsByVerb.values())].filter(isAccountAction);

/**
 * The card's "More actions" beside its buttons: every account action the reader's grant for the account's organisation
 * allows. An action the card already has a button for is left out, unless its form asks for more than a reason (lock
 * `--until`, reset-password `--temporary`): the button is that action without its options. A card action whose button
 * the status rules out now is left out too, since it would only be refused.
 */
export function moreAccountActions(card: AccountCard, grants: readonly Grant[]): AnyAction[] {
  const grant = effectiveGrant(grants, card.organisation.id);
  if (!grant) return [];
  const buttons = new Set(availableAccountActions(card, grants));
  return accountActions.filter(
    (action) => roleIncludes(grant.role, action.requires) && (!action.onCard || (buttons.has(action) && asksMoreThanAReason(action))),
  );
}

function asksMoreThanAReason(action: AnyAction): boolean {
  return accountActionFields(action).some((field) => field.name !== 'reason');
}
