import { RefusedError } from './errors.ts';
import { roleIncludes, type RosterRole } from './roles.ts';

/** A request waits (pending) until someone decides it or its time runs out; each later state is final. */
export const APPROVAL_STATES = ['pending', 'approved', 'rejected', 'expired'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

/** What a request asks to do once approved: delete one account, or run a bulk change (a deletion, say) over a selection. */
export const APPROVAL_KINDS = ['delete', 'bulk'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

/** Who may approve an organisation's requests: its owners only (the default), or its admins as well. */
export const APPROVER_POLICIES = ['owners', 'admins'] as const;
export type ApproverPolicy = (typeof APPROVER_POLICIES)[number];

/** How long a soft-deleted account can be restored before the purge removes it for good. */
export const RESTORE_WINDOW_DAYS = 30;

export interface DecisionAttempt {
  deciderId: string;
  deciderRole: RosterRole;
  requesterId: string;
  approvers: ApproverPolicy;
  state: ApprovalState;
  expiresAt: Date;
  now: Date;
}

/**
 * Why the rules do not allow this decision, or undefined when they do: nobody decides their own request, only the
 * organisation's approvers decide, and a request is decided once, before it expires.
 */
export function decisionRefusal(attempt: DecisionAttempt): RefusedError | undefined {
  if (attempt.state !== 'pending') return new RefusedError(`This request was already ${attempt.state}; nothing was changed.`, 'conflict');
  if (attempt.expiresAt.getTime() <= attempt.now.getTime())
    return new RefusedError('This request has expired; ask again if the change is still needed.', 'invalid-state');
  if (attempt.deciderId === attempt.requesterId) return new RefusedError('Nobody decides their own request: another approver must.', 'forbidden');
  const needed: RosterRole = attempt.approvers === 'admins' ? 'admin' : 'owner';
  if (!roleIncludes(attempt.deciderRole, needed))
    return new RefusedError(
      `You are ${attempt.deciderRole === 'admin' ? 'an' : 'a'} ${attempt.deciderRole}; deciding this organisation's requests needs ${needed === 'admin' ? 'an admin' : 'an owner'} or above.`,
      'forbidden',
    );
  return undefined;
}

/** Which changes of an organisation wait for a second person besides deletions, which always do. */
export interface ApprovalRules {
  /** A bulk deactivate of more accounts than this (in the organisation) needs approval; null: never. */
  bulkDeactivateOver: number | null;
}

/** The bulk changes an organisation's rules may send for approval (the others never wait). */
export const CHANGES_THAT_MAY_NEED_APPROVAL: readonly string[] = ['delete', 'deactivate'];

/** Whether a bulk change of `count` accounts of an organisation must be approved before a job runs it. */
export function bulkChangeNeedsApproval(change: string, count: number, rules: ApprovalRules): boolean {
  if (change === 'delete') return true;
  return change === 'deactivate' && rules.bulkDeactivateOver !== null && count > rules.bulkDeactivateOver;
}
