import { LockMode } from '@mikro-orm/core';
import { ApprovalRequest, type ApprovalSelection, type ApprovalSubject, type IApprovalRequest } from '../../db/entities/index.ts';
import type { DecisionAttempt } from '../../domain/approvals.ts';
import { RefusedError } from '../../domain/errors.ts';
import { effectiveGrant } from '../../domain/roles.ts';
import type { ActionContext } from '../action.ts';
import type { Actor } from '../actor.ts';
import type { AuditTarget } from '../auditTargets.ts';
import type { ApprovalFacts } from '../../present/approvalFacts.ts';

/** What a request is about, in words: `Ana Lima <ana@example.com>`, or `12 accounts (org:acme status:deactivated)`. */
export function requestLabel(request: { subject?: ApprovalSubject | null; selection?: ApprovalSelection | null }): string {
  if (request.subject) return `${request.subject.name} <${request.subject.email}>`;
  const selection = request.selection!;
  return `${selection.count.toLocaleString('en')} accounts (${selection.description})`;
}

/**
 * What a request is about as the audit trail names it, by the facts kept on the request (the account may be purged):
 * its account, or for a bulk request its organisation.
 */
export function requestTarget(request: IApprovalRequest): AuditTarget {
  const organisationId = request.organisation.id;
  return request.accountId
    ? { type: 'account', id: request.accountId, label: requestLabel(request), organisationId }
    : { type: 'organisation', id: organisationId, label: `${request.organisation.slug}: ${requestLabel(request)}`.slice(0, 500), organisationId };
}

/**
 * The request, locked until the transaction ends, once the caller's grant is checked against its organisation. A
 * second decision made at the same moment waits here for the first to commit, then sees it decided.
 */
export async function loadRequestForDecision(ctx: ActionContext, id: string): Promise<IApprovalRequest> {
  const request = await ctx.em.findOne(ApprovalRequest, { id }, { populate: ['organisation'], lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!request) throw new RefusedError('There is no such approval request.', 'not-found');
  ctx.aboutTarget(requestTarget(request));
  ctx.authorize(request.organisation.id);
  return request;
}

/** "12 Dec 09:30 UTC": when a request expires or a deleted account can no longer be restored. */
export function whenText(at: Date): string {
  return `${at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })} ${at.toISOString().slice(11, 16)} UTC`;
}

/** A decision on the request by this caller, under their strongest grant for its organisation, as of now. */
export function decisionAttempt(actor: Actor, request: IApprovalRequest): DecisionAttempt {
  return {
    deciderId: actor.id,
    deciderRole: effectiveGrant(actor.grants, request.organisation.id)?.role ?? 'viewer',
    requesterId: request.requestedBy,
    approvers: request.organisation.approvers,
    state: request.state,
    expiresAt: request.expiresAt,
    now: new Date(),
  };
}

/** What a request's message says of it. */
export function approvalFacts(request: IApprovalRequest): ApprovalFacts {
  return {
    id: request.id,
    organisation: request.organisation.slug,
    deletionPolicy: request.organisation.deletionPolicy,
    subject: request.subject ?? null,
    selection: request.selection ?? null,
    reason: request.reason,
    requestedBy: request.requestedBy,
    requestedAt: request.requestedAt,
    expiresAt: request.expiresAt,
    state: request.state,
    decidedBy: request.decidedBy ?? null,
    decidedAt: request.decidedAt ?? null,
    decisionNote: request.decisionNote ?? null,
  };
}
