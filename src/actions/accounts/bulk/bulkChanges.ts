import type { LifecycleEvent } from '../../../domain/statuses.ts';
import type { CardAction } from '../../action.ts';
import { deactivateAccount } from '../deactivateAccount.ts';
import { lockAccount } from '../lockAccount.ts';
import { reactivateAccount } from '../reactivateAccount.ts';
import { resetMfa } from '../resetMfa.ts';
import { unlockAccount } from '../unlockAccount.ts';

/** The fields a change sets besides the status the status machine decides, as SQL over the row being updated. */
interface BulkChange {
  /** The single-account action it applies to many: its name, role and wording. */
  single: CardAction;
  event: LifecycleEvent;
  /** Why, when the person gave no reason: kept as the status reason, as the single action does. */
  defaultReason: string | null;
  /** `set` clauses for the account row (`a`), beyond status and failed sign-ins. */
  alsoSets: string;
  /** Whether an account must be left as it is although the status machine allows the event (nothing to change). */
  unchanged?: (row: BulkRow) => boolean;
  /** A refusal of the single action that the status machine does not make (e.g. a group owner cannot be deactivated). */
  refuse?: (row: BulkRow) => string | undefined;
  /** The verb in progress messages: "Deactivating 1,200 accounts". */
  doing: string;
}

export interface BulkRow {
  ownsGroups: boolean;
  mfaEnrolled: boolean;
  status: string;
}

/** The changes `/users bulk` applies, by the name of the action each repeats for one account. */
export const BULK_CHANGES: Readonly<Record<string, BulkChange>> = {
  deactivate: {
    single: deactivateAccount,
    event: 'deactivate',
    defaultReason: 'deactivated by an admin',
    alsoSets: '',
    refuse: (row) => (row.ownsGroups ? 'it owns groups; give them another owner first.' : undefined),
    doing: 'Deactivating',
  },
  reactivate: { single: reactivateAccount, event: 'reactivate', defaultReason: null, alsoSets: '', doing: 'Reactivating' },
  lock: { single: lockAccount, event: 'lock', defaultReason: 'locked by an admin', alsoSets: ', suspended_until = null', doing: 'Locking' },
  unlock: { single: unlockAccount, event: 'unlock', defaultReason: null, alsoSets: ', suspended_until = null', doing: 'Unlocking' },
  'reset-mfa': {
    single: resetMfa,
    event: 'reset-mfa',
    defaultReason: null,
    alsoSets: ', mfa_enrolled = false',
    unchanged: (row) => !row.mfaEnrolled,
    doing: 'Resetting MFA of',
  },
};

export const BULK_CHANGE_NAMES = Object.keys(BULK_CHANGES);
