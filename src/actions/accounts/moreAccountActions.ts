import type { AccountCard } from '../../db/accountCards.ts';
import { effectiveGrant, roleIncludes, type Grant } from '../../domain/roles.ts';
import type { TypedAction } from '../action.ts';
import { accountActionFields, isAccountAction } from '../formFields.ts';
import { allowedCardActions } from './availableActions.ts';
import { typedActions } from '../registry.ts';

/** Every typed action on one account, in registry order. */
const accountActions: readonly TypedAction[] = typedActions.filter(isAccountAction);

/**
 * The card's "More actions" beside its buttons: every account action the reader's grant for the account's organisation
 * allows. A card action (one with a button) is there when its form asks for more than a reason (lock `--until`,
 * reset-password `--temporary`): the button is that action without its options. A card action the status rules out
 * now is left out, since it would only be refused.
 */
export function moreAccountActions(card: AccountCard, grants: readonly Grant[]): TypedAction[] {
  const grant = effectiveGrant(grants, card.organisation.id);
  if (!grant) return [];
  const allowed = new Set(allowedCardActions(card, grants).map((action) => action.name));
  return accountActions.filter(
    (action) => roleIncludes(grant.role, action.requires) && (!action.onCard || (allowed.has(action.name) && asksMoreThanAReason(action))),
  );
}

function asksMoreThanAReason(action: TypedAction): boolean {
  return accountActionFields(action).some((field) => field.name !== 'reason');
}
