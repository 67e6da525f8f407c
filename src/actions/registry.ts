import type { AnyAction, CardAction, TypedAction } from './action.ts';
import { autoUnlock } from './accounts/autoUnlock.ts';
import { setAutoUnlock } from './organisations/setAutoUnlock.ts';
import { setApprovals } from './organisations/setApprovals.ts';
import { applyBulkChunk } from './accounts/bulk/applyBulkChunk.ts';
import { bulkJobRefusals } from './accounts/bulk/bulkJobRefusals.ts';
import { cancelBulkJob } from './accounts/bulk/cancelBulkJob.ts';
import { finishBulkJob } from './accounts/bulk/finishBulkJob.ts';
import { listBulkJobs } from './accounts/bulk/listBulkJobs.ts';
import { previewBulkJob } from './accounts/bulk/previewBulkJob.ts';
import { startBulkJob } from './accounts/bulk/startBulkJob.ts';
import { exportAccounts, exportSelection } from './accounts/exportAccounts.ts';
import { accountHistory } from './accounts/accountHistory.ts';
import { changeRole } from './accounts/changeRole.ts';
import { classifyImport } from './accounts/import/classifyImport.ts';
import { startImport } from './accounts/import/startImport.ts';
import { stageImportRows } from './accounts/import/stageImportRows.ts';
import { finishImportCheck } from './accounts/import/finishImportCheck.ts';
import { applyImport } from './accounts/import/applyImport.ts';
import { applyImportChunk } from './accounts/import/applyImportChunk.ts';
import { createAccount } from './accounts/createAccount.ts';
import { createOrganisation } from './organisations/createOrganisation.ts';
import { deactivateAccount } from './accounts/deactivateAccount.ts';
import { enrolMfa } from './accounts/enrolMfa.ts';
import { expireLock } from './accounts/expireLock.ts';
import { grantRole } from './access/grantRole.ts';
import { lockAccount } from './accounts/lockAccount.ts';
import { listAccounts } from './accounts/listAccounts.ts';
import { lookupAccount } from './accounts/lookupAccount.ts';
import { openMfaEnrolment } from './accounts/openMfaEnrolment.ts';
import { openPasswordLink } from './accounts/openPasswordLink.ts';
import { reactivateAccount } from './accounts/reactivateAccount.ts';
import { resetMfa } from './accounts/resetMfa.ts';
import { resetPassword } from './accounts/resetPassword.ts';
import { sendInvite } from './accounts/sendInvite.ts';
import { setPassword } from './accounts/setPassword.ts';
import { resendInvite } from './accounts/resendInvite.ts';
import { revokeRole } from './access/revokeRole.ts';
import { searchAccountsAction } from './accounts/searchAccounts.ts';
import { sweepInactiveAccounts } from './accounts/sweepInactiveAccounts.ts';
import { unlockAccount } from './accounts/unlockAccount.ts';
import { editAccount } from './accounts/editAccount.ts';
import { changeUsername } from './accounts/changeUsername.ts';
import { changeEmail } from './accounts/changeEmail.ts';
import { searchGroupsAction } from './groups/searchGroups.ts';
import { addToGroup } from './groups/addToGroup.ts';
import { changeGroupOwner } from './groups/changeGroupOwner.ts';
import { changeGroupRole } from './groups/changeGroupRole.ts';
import { createGroup } from './groups/createGroup.ts';
import { deleteGroup } from './groups/deleteGroup.ts';
import { groupInfo } from './groups/groupInfo.ts';
import { removeFromGroup } from './groups/removeFromGroup.ts';
import { renameGroup } from './groups/renameGroup.ts';
import { setAccountAddOn } from './accounts/setAccountAddOn.ts';
import { setAccountModule } from './accounts/setAccountModule.ts';
import { setDeveloperMode } from './accounts/setDeveloperMode.ts';
import { setGroupExternalId } from './groups/setGroupExternalId.ts';
import { setGroupLicence } from './groups/setGroupLicence.ts';
import { setGroupModule } from './groups/setGroupModule.ts';
import { signIn } from './accounts/signIn.ts';
import { createApiToken } from './access/createApiToken.ts';
import { listApiTokens } from './access/listApiTokens.ts';
import { revokeApiToken } from './access/revokeApiToken.ts';
import { requestDeletion } from './approvals/requestDeletion.ts';
import { requestBulkChange } from './approvals/requestBulkChange.ts';
import { approveRequest, rejectRequest } from './approvals/decideRequest.ts';
import { expireRequests } from './approvals/expireRequests.ts';
import { listApprovals } from './approvals/listApprovals.ts';
import { restoreAccount } from './accounts/restoreAccount.ts';
import { purgeDeletedAccounts } from './accounts/purgeDeletedAccounts.ts';
import { createProvisionedGroup, scimGroup, scimGroups, scimMembersCheck, updateProvisionedGroup } from './scim/scimGroups.ts';
import { scimUser, scimUsers } from './scim/scimUsers.ts';
import { updateProvisionedAccount } from './scim/updateProvisionedAccount.ts';

/** The actions people type (`/user <verb> ...` in Slack, `roster user <verb> ...` in the CLI), in the order help lists them. */
export const typedActions: readonly TypedAction[] = [
  accountHistory,
  grantRole,
  revokeRole,
  lockAccount,
  unlockAccount,
  deactivateAccount,
  reactivateAccount,
  requestDeletion,
  restoreAccount,
  resetMfa,
  resetPassword,
  sendInvite,
  resendInvite,
  changeRole,
  changeUsername,
  changeEmail,
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
];

/** The buttons of the account card, each an account action that a click runs on the version the card showed. */
export const cardActions: readonly CardAction[] = [
  lockAccount,
  unlockAccount,
  deactivateAccount,
  reactivateAccount,
  restoreAccount,
  resetMfa,
  resetPassword,
  sendInvite,
  resendInvite,
];

/** Every action, once: Slack, the CLI and jobs all run these definitions through runAction. */
export const registry: readonly AnyAction[] = [
  lookupAccount,
  searchAccountsAction,
  listAccounts,
  startImport,
  classifyImport,
  stageImportRows,
  finishImportCheck,
  applyImport,
  applyImportChunk,
  createAccount,
  editAccount,
  searchGroupsAction,
  createOrganisation,
  setAutoUnlock,
  setApprovals,
  autoUnlock,
  sweepInactiveAccounts,
  expireLock,
  signIn,
  createApiToken,
  listApiTokens,
  revokeApiToken,
  previewBulkJob,
  startBulkJob,
  applyBulkChunk,
  finishBulkJob,
  bulkJobRefusals,
  cancelBulkJob,
  listBulkJobs,
  exportAccounts,
  exportSelection,
  openPasswordLink,
  setPassword,
  openMfaEnrolment,
  enrolMfa,
  requestBulkChange,
  approveRequest,
  rejectRequest,
  listApprovals,
  expireRequests,
  purgeDeletedAccounts,
  scimUser,
  scimUsers,
  scimGroup,
  scimGroups,
  scimMembersCheck,
  createProvisionedGroup,
  updateProvisionedGroup,
  updateProvisionedAccount,
  ...typedActions,
];

export const actionsByName: ReadonlyMap<string, AnyAction> = new Map(registry.map((action) => [action.name, action]));

export const cardActionsByName: ReadonlyMap<string, CardAction> = new Map(cardActions.map((action) => [action.name, action]));

/** The actions a person can type, by every word that names them (name and synonyms). */
export const typedActionsByVerb: ReadonlyMap<string, TypedAction> = new Map(
  typedActions.flatMap((action) => [action.name, ...(action.command.synonyms ?? [])].map((verb) => [verb, action] as const)),
);
