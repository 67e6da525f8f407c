import type { ApprovalSelection, ApprovalSubject } from '../db/entities/index.ts';
import type { ApprovalState } from '../domain/approvals.ts';
import type { DeletionPolicy } from '../domain/statuses.ts';

/** What an approval request's message says: whom it deletes (one account, or a selection of them), who asked and why, until when, and how it ended. */
export interface ApprovalFacts {
  id: string;
  organisation: string;
  deletionPolicy: DeletionPolicy;
  /** The account a one-account request deletes; null for a bulk request, which has its selection instead. */
  subject: ApprovalSubject | null;
  selection: ApprovalSelection | null;
  reason: string;
  requestedBy: string;
  requestedAt: Date;
  expiresAt: Date;
  state: ApprovalState;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
}
