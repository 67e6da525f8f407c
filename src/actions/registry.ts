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
import { resetPassword } from './resetPassword.ts';
import { sendInvite } from './sendInvite.ts';
import { resendInvite } from './resendInvite.ts';
import { revokeRole } from './revokeRole.ts';
import { searchAccountsAction } from './searchAccounts.ts';
import { sweepInactiveAccounts } from './sweepInactiveAccounts.ts';
import { unlockAccount } from './unlockAccount.ts';
import { editAccount } from './editAccount.ts';
import { changeUsername } from './changeUsername.ts';
import { changeEmail } from './changeEmail.ts';
import { searchGroupsAction } from './searchGroups.ts';
import { addToGroup } from './addToGroup.ts';
import { changeGroupOwner } from './changeGroupOwner.ts';
import { changeGroupRole } from './changeGroupRole.ts';
import { createGroup } from './createGroup.ts';
import { deleteGroup } from './deleteGroup.ts';
import { groupInfo } from './groupInfo.ts';
import { removeFromGroup } from './removeFromGroup.ts';
import { renameGroup } from './renameGroup.ts';
import { setAccountAddOn } from './setAccountAddOn.ts';
import { setAccountModule } from './setAccountModule.ts';
import { setDeveloperMode } from './setDeveloperMode.ts';
import { setGroupExternalId } from './setGroupExternalId.ts';
import { setGroupLicence } from './setGroupLicence.ts';
import { setGroupModule } from './setGroupModule.ts';

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
  resetPassword,
  sendInvite,
  resendInvite,
  changeRole,
  editAccount,
  changeUsername,
  changeEmail,
  searchGroupsAction,
  addToGroup,
  removeFromGroup,
  changeGroupRole,
  changeGroupOwner,
  groupInfo,
  createGroup,
  renameGroup,
  setGroupExternalId,
  deleteGroup,
  setGroupModule,
  setGroupLicence,
  setAccountModule,
  setAccountAddOn,
  setDeveloperMode,
} as const;

export const actionsByName: ReadonlyMap<string, AnyAction> = new Map(Object.values(actions).map((action) => [action.name, action as AnyAction]));

/** The actions a person can type, by every word that names them (name and synonyms). */
export const actionsByVerb: ReadonlyMap<string, AnyAction> = new Map(
  Object.values(actions as Record<string, AnyAction>)
    .filter((action) => action.command)
    .flatMap((action) => [action.name, ...(action.command!.synonyms ?? [])].map((verb) => [verb, action] as const)),
);
