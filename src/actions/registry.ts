import type { AnyAction } from './action.ts';
import { accountHistory } from './accountHistory.ts';
import { changeRole } from './changeRole.ts';
import { createAccount } from './createAccount.ts';
import { createOrganisation } from './createOrganisation.ts';
import { deactivateAccount } from './deactivateAccount.ts';
import { expireLock } from './expireLock.ts';
import { grantRole } from './grantRole.ts';
import { lockAccount } from './lockAccount.ts';
import { lookupAccount } from './lookupAccount.ts';
import { reactivateAccount } from './reactivateAccount.ts';
import { resetMfa } from './resetMfa.ts';
import { revokeRole } from './revokeRole.ts';
import { searchAccountsAction } from './searchAccounts.ts';
import { sweepInactiveAccounts } from './sweepInactiveAccounts.ts';
import { unlockAccount } from './unlockAccount.ts';

/** Every action, once. Slack, the CLI and jobs all run these definitions through runAction. */
export const actions = {
  lookupAccount,
  accountHistory,
  searchAccountsAction,
  createAccount,
  createOrganisation,
  grantRole,
  revokeRole,
  sweepInactiveAccounts,
  lockAccount,
  unlockAccount,
  expireLock,
  deactivateAccount,
  reactivateAccount,
  resetMfa,
  changeRole,
} as const;

export const actionsByName: ReadonlyMap<string, AnyAction> = new Map(Object.values(actions).map((action) => [action.name, action as AnyAction]));

/** The actions a person can type, by every word that names them (name and synonyms). */
export const actionsByVerb: ReadonlyMap<string, AnyAction> = new Map(
  Object.values(actions as Record<string, AnyAction>)
    .filter((action) => action.command)
    .flatMap((action) => [action.name, ...(action.command!.synonyms ?? [])].map((verb) => [verb, action] as const)),
);
