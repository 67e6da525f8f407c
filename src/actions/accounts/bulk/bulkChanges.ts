import type { AccountRole, GroupRole } from '../../../domain/accounts.ts';
import { RefusedError } from '../../../domain/errors.ts';
import type { MailTemplate } from '../../../domain/tokens.ts';
import { type AccountStatus, type LifecycleEvent, type TransitionContext, transition } from '../../../domain/statuses.ts';
import type { AnyAction, CardAction } from '../../action.ts';
import type { FieldChanges } from '../../audit.ts';
import type { GroupInOrganisation } from '../../groups/groups.ts';
import { addToGroup } from '../../groups/addToGroup.ts';
import { ownerCannotLeave, removeFromGroup } from '../../groups/removeFromGroup.ts';
import { deletedUntilRestored } from '../account.ts';
import { changeRole } from '../changeRole.ts';
import { deactivateAccount } from '../deactivateAccount.ts';
import { lockAccount } from '../lockAccount.ts';
import { reactivateAccount } from '../reactivateAccount.ts';
import { resendInvite } from '../resendInvite.ts';
import { resetMfa } from '../resetMfa.ts';
import { resetPassword } from '../resetPassword.ts';
import { sendInvite } from '../sendInvite.ts';
import { unlockAccount } from '../unlockAccount.ts';
import { requestDeletion } from '../../approvals/requestDeletion.ts';

interface BulkChangeBasics {
  /**
   * The single-account action it applies to many: its rules, and the name its audit events carry. Bulk changes need
   * an admin, which covers the role every one of these needs.
   */
  single: AnyAction;
  /** The change as the preview, the start's reply and the progress message say it: `doing('12 accounts', shown value)`. */
  doing: (accounts: string, shown: string) => string;
}

/** A change of status: the status machine decides for each account. */
export interface StatusChange extends BulkChangeBasics {
  kind: 'status';
  single: CardAction | typeof requestDeletion;
  event: LifecycleEvent;
  /** The status machine may remove the account for good (a deletion where the organisation deletes hard). */
  purges?: true;
  /** Why, when the person gave no reason: kept as the status reason, as the single action does. */
  defaultReason: string | null;
  /** `set` clauses for the account row (`a`), beyond status and failed sign-ins. */
  alsoSets: string;
  /** Whether an account must be left as it is although the status machine allows the event (nothing to change). */
  unchanged?: (row: BulkRow) => boolean;
  /** A refusal of the single action that the status machine does not make (e.g. a group owner cannot be deactivated). */
  refuse?: (row: BulkRow) => string | undefined;
  /** The mail each changed account is sent (through the outbox, in the chunk's transaction), as the single action does. */
  mail?: MailTemplate;
}

/**
 * A change that is no status-machine event: a new role (the value is the role), or joining or leaving a group (the
 * value names the group, found in each account's own organisation).
 */
export interface PlaceChange extends BulkChangeBasics {
  kind: 'role' | 'join' | 'leave';
  /**
   * The statement that makes the change, over the decided rows `v` (id, role, "groupId"), returning the IDs of the
   * accounts it changed: a chunk writes one audit event for each of those.
   */
  writes: string;
}

export type BulkChange = StatusChange | PlaceChange;

/** What the status machine and the change's own rules need to know of an account. */
export type BulkRow = Omit<TransitionContext, 'subject'> & {
  status: AccountStatus;
  organisationId: string;
  ownsGroups: boolean;
  mfaEnrolled: boolean;
  firstName?: string;
  lastName?: string;
} & Partial<AccountPlace>;

/** Where an account stands for a role or group change; read only for those. */
export interface AccountPlace {
  role: AccountRole;
  /** Its role in the change's group of its organisation; null: not a member. */
  memberAs: GroupRole | null;
  ownsTargetGroup: boolean;
}

/**
 * A bulk change as one run applies it: the change, with its value checked (the role) or found (the group in each
 * organisation of the grant), and that value as messages show it.
 */
export type BulkTarget =
  | { kind: 'status'; change: StatusChange; shown: '' }
  | { kind: 'role'; change: PlaceChange; role: AccountRole; shown: string }
  | {
      kind: 'group';
      change: PlaceChange;
      /** The group in each organisation where the value names one (or why it names several). */
      groups: ReadonlyMap<string, GroupInOrganisation>;
      /** Why an account of an organisation without that group is refused. */
      missing: string;
      shown: string;
    };

/** The groups a change's accounts join or leave (one per organisation), for reading where each account stands. */
export function targetGroupIds(target: BulkTarget): string[] {
  if (target.kind !== 'group') return [];
  return [...target.groups.values()].flatMap((found) => ('group' in found ? [found.group.id] : []));
}

export type BulkDecision =
  | { refused: string }
  | { unchanged: true }
  /** What the audit event says changed, and the values the change's statement takes for the account. */
  | { changes: FieldChanges; values: Record<string, unknown> };

/** A status change's decision: the status and failed sign-ins the status machine moves the account to. */
export type StatusDecision =
  | { refused: string }
  | { unchanged: true }
  | { changes: FieldChanges; values: { before: AccountStatus; status: AccountStatus | 'PURGED'; failed: number } };

/**
 * What a bulk change does to one account, as the single action would decide: outside the grant's organisations,
 * refused by the change's own rule or by the status machine (with its sentence), nothing to change, or the new values.
 */
export function decideBulkChange(target: BulkTarget, row: BulkRow, scope: string[] | null): BulkDecision {
  if (scope && !scope.includes(row.organisationId)) return { refused: 'your grant does not cover its organisation.' };
  switch (target.kind) {
    case 'status':
      return decideStatusChange(target.change, row);
    case 'role':
      return decideRoleChange(target.role, row);
    case 'group':
      return decideMembershipChange(target, row);
  }
}

/** What a change of status does to one account, by the change's own rule and the status machine (an import's status column too). */
export function decideStatusChange(change: StatusChange, row: BulkRow): StatusDecision {
  const own = change.refuse?.(row);
  if (own) return { refused: own };
  let result: { to: AccountStatus | 'PURGED'; failedSignIns: number };
  try {
    result = transition(row.status, change.event, { ...row, subject: fullNameOf(row) });
  } catch (error) {
    if (error instanceof RefusedError) return { refused: error.userMessage };
    throw error;
  }
  if (result.to === 'PURGED' && !change.purges) return { refused: 'a bulk change never purges accounts.' };
  if (result.to === row.status && (change.unchanged?.(row) ?? true)) return { unchanged: true };
  const changes: FieldChanges = {};
  if (result.to !== row.status) changes.status = { before: row.status, after: result.to };
  if (change.event === 'reset-mfa') changes.mfaEnrolled = { before: true, after: false };
  if (change.mail) changes.credential = { before: null, after: change.mail === 'invitation' ? 'invitation mail' : 'password reset mail' };
  if (result.failedSignIns !== row.failedSignIns) changes.failedSignIns = { before: row.failedSignIns, after: result.failedSignIns };
  return { changes, values: { before: row.status, status: result.to, failed: result.failedSignIns } };
}

/** As changeRole: a deleted account keeps its role, and one already in the role is left as it is. */
function decideRoleChange(role: AccountRole, row: BulkRow): BulkDecision {
  if (row.status === 'DELETED') return { refused: deletedUntilRestored(fullNameOf(row)) };
  const before = placeOf(row).role;
  if (before === role) return { unchanged: true };
  return { changes: { role: { before, after: role } }, values: { role } };
}

/**
 * As addToGroup and removeFromGroup: a deleted account joins no group, the group is the one of the account's own
 * organisation, a member is not added again nor a non-member removed, and the group's owner does not leave it.
 */
function decideMembershipChange(target: Extract<BulkTarget, { kind: 'group' }>, row: BulkRow): BulkDecision {
  const joins = target.change.kind === 'join';
  if (joins && row.status === 'DELETED') return { refused: deletedUntilRestored(fullNameOf(row)) };
  const found = target.groups.get(row.organisationId) ?? { refused: target.missing };
  if ('refused' in found) return found;
  const { group } = found;
  const place = placeOf(row);
  if (joins === (place.memberAs !== null)) return { unchanged: true };
  if (!joins && place.ownsTargetGroup) return { refused: ownerCannotLeave(fullNameOf(row), group.name) };
  return { changes: { [`groups.${group.name}`]: { before: place.memberAs, after: joins ? 'member' : null } }, values: { groupId: group.id } };
}

/** The account's name for a sentence; a preview counts accounts alike together, so it has none. */
function fullNameOf(row: BulkRow): string {
  return row.firstName ? `${row.firstName} ${row.lastName ?? ''}`.trim() : 'The account';
}

function placeOf(row: BulkRow): AccountPlace {
  if (row.role === undefined || row.memberAs === undefined || row.ownsTargetGroup === undefined) {
    throw new Error('a role or group change was decided without reading where the account stands');
  }
  return { role: row.role, memberAs: row.memberAs, ownsTargetGroup: row.ownsTargetGroup };
}

const verb =
  (doing: string) =>
  (accounts: string): string =>
    `${doing} ${accounts}`;

/** The changes `/users bulk` applies, by the name people type for each. */
export const BULK_CHANGES: Readonly<Record<string, BulkChange>> = {
  deactivate: {
    kind: 'status',
    single: deactivateAccount,
    event: 'deactivate',
    defaultReason: 'deactivated by an admin',
    alsoSets: '',
    refuse: (row) => (row.ownsGroups ? 'it owns groups; give them another owner first.' : undefined),
    doing: verb('Deactivating'),
  },
  reactivate: { kind: 'status', single: reactivateAccount, event: 'reactivate', defaultReason: null, alsoSets: '', doing: verb('Reactivating') },
  lock: {
    kind: 'status',
    single: lockAccount,
    event: 'lock',
    defaultReason: 'locked by an admin',
    alsoSets: ', suspended_until = null',
    doing: verb('Locking'),
  },
  unlock: { kind: 'status', single: unlockAccount, event: 'unlock', defaultReason: null, alsoSets: ', suspended_until = null', doing: verb('Unlocking') },
  'send-invite': {
    kind: 'status',
    single: sendInvite,
    event: 'send-invite',
    defaultReason: 'invitation sent',
    alsoSets: '',
    mail: 'invitation',
    doing: verb('Inviting'),
  },
  'resend-invite': {
    kind: 'status',
    single: resendInvite,
    event: 'resend-invite',
    defaultReason: null,
    alsoSets: '',
    mail: 'invitation',
    doing: verb('Resending invitations to'),
  },
  'reset-password': {
    kind: 'status',
    single: resetPassword,
    event: 'reset-password',
    defaultReason: 'password reset link sent',
    alsoSets: '',
    mail: 'password-reset',
    doing: verb('Sending password reset links to'),
  },
  'reset-mfa': {
    kind: 'status',
    single: resetMfa,
    event: 'reset-mfa',
    defaultReason: null,
    // As resetMfa: the old authenticator's secret goes with the enrolment.
    alsoSets: ', mfa_enrolled = false, totp_secret = null, totp_last_step = null',
    unchanged: (row) => !row.mfaEnrolled,
    doing: verb('Resetting MFA of'),
  },
  role: {
    kind: 'role',
    single: changeRole,
    doing: (accounts, role) => `Changing the role of ${accounts} to ${role}`,
    writes: 'update account a set role = v.role, updated_at = now(), version = a.version + 1 from v where a.id = v.id returning a.id',
  },
  'add-to-group': {
    kind: 'join',
    single: addToGroup,
    doing: (accounts, group) => `Adding ${accounts} to ${group}`,
    writes: `insert into membership (account_id, group_id, role, created_at) select v.id, v."groupId", 'member', now() from v
             on conflict do nothing returning account_id as id`,
  },
  'remove-from-group': {
    kind: 'leave',
    single: removeFromGroup,
    doing: (accounts, group) => `Removing ${accounts} from ${group}`,
    writes: 'delete from membership m using v where m.account_id = v.id and m.group_id = v."groupId" returning m.account_id as id',
  },
  delete: {
    kind: 'status',
    single: requestDeletion,
    event: 'delete',
    defaultReason: 'deleted in bulk',
    purges: true,
    alsoSets: ', deleted_at = now()',
    refuse: (row) => (row.ownsGroups ? 'it owns groups; give them another owner first.' : undefined),
    doing: verb('Deleting'),
  },
};

export const BULK_CHANGE_NAMES = Object.keys(BULK_CHANGES);

/** What a change takes after its name (`/users bulk role <role>`), if anything. */
export function bulkChangeTakes(name: string): 'role' | 'group' | null {
  const kind = BULK_CHANGES[name]?.kind;
  if (kind === 'role') return 'role';
  return kind === 'join' || kind === 'leave' ? 'group' : null;
}

/** "Locking 12 accounts (org:acme)": the preview's question, the start's reply and the progress message's first line. */
export function bulkHeadline(name: string, shown: string, total: number, description: string): string {
  const accounts = `${total.toLocaleString('en')} accounts`;
  const change = BULK_CHANGES[name];
  return `${change ? change.doing(accounts, shown) : `${name}: ${accounts}`} (${description})`;
}

/** The change as job lists, summaries and audit labels name it: `unlock`, `role manager`, `add-to-group “Field Crew”`. */
export function bulkChangeTitle(name: string, shown: string | undefined): string {
  return shown ? `${name} ${shown}` : name;
}
