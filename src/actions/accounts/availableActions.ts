import type { AccountCard } from '../../db/accountCards.ts';
import { effectiveGrant, roleIncludes, type Grant } from '../../domain/roles.ts';
import { allowedEvents } from '../../domain/statuses.ts';
import type { CardAction } from '../action.ts';
import { cardActions } from '../registry.ts';

/**
 * The card's buttons: the card actions this caller may take now, but Lock on an account that is locked already (it
 * would sit beside Unlock; its lock is changed with More actions' Lock…, which takes an end date) and Reset MFA on an
 * account with no two-step verification.
 */
export function availableAccountActions(card: AccountCard, grants: readonly Grant[]): CardAction[] {
  return allowedCardActions(card, grants).filter(
    (action) => !(action.onCard.event === 'lock' && card.status === 'SUSPENDED') && !(action.onCard.event === 'reset-mfa' && !card.mfaEnrolled),
  );
}

/** The card actions this caller may take on this account now: their grant covers it and its status allows it. */
export function allowedCardActions(card: AccountCard, grants: readonly Grant[]): CardAction[] {
  const grant = effectiveGrant(grants, card.organisation.id);
  if (!grant) return [];
  const allowed = new Set(
    allowedEvents(card.status, {
      deletionPolicy: card.organisation.deletionPolicy,
      authSource: card.authSource,
      hasSignedIn: card.lastSignInAt !== null,
      failedSignIns: card.failedSignIns,
      passwordTemporary: card.passwordTemporary,
      lockoutThreshold: card.organisation.lockoutThreshold,
    }),
  );
  return cardActions.filter((action) => roleIncludes(grant.role, action.requires) && allowed.has(action.onCard.event));
}
