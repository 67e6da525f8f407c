import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { Actor } from '../actor.ts';
import { ApprovalRequest } from '../../db/entities/index.ts';
import type { ApprovalFacts } from '../../present/approvalFacts.ts';
import { approvalFacts, decisionAttempt } from './approvals.ts';
import { decisionRefusal } from '../../domain/approvals.ts';
import { defineAction } from '../action.ts';

/** Requests one answer lists; a Slack message holds this many with their buttons. */
export const APPROVALS_PAGE_SIZE = 10;

export interface PendingRequest extends ApprovalFacts {
  /** The caller may approve or reject it (an approver of its organisation, and not its requester). */
  mayDecide: boolean;
}

export interface PendingRequests {
  requests: PendingRequest[];
  /** How many wait in all, within the caller's organisations. */
  total: number;
}

/** The requests waiting for a decision in the organisations the caller administers, oldest first. */
export const listApprovals = defineAction({
  name: 'approvals',
  describedAs: 'reading the approvals queue',
  requires: 'admin',
  readOnly: true,
  input: z.object({}),
  run: (ctx) => pendingRequests(ctx.em, ctx.actor, ctx.organisationsInScope()),
});

/** The requests that wait in these organisations (null: all), oldest first, each saying whether `actor` may decide it. */
export async function pendingRequests(em: EntityManager, actor: Actor, scope: readonly string[] | null): Promise<PendingRequests> {
  const where = { state: 'pending' as const, expiresAt: { $gt: new Date() }, ...(scope ? { organisation: { $in: [...scope] } } : {}) };
  const [requests, total] = await em.findAndCount(ApprovalRequest, where, {
    populate: ['organisation'],
    orderBy: { requestedAt: 'asc' },
    limit: APPROVALS_PAGE_SIZE,
  });
  return {
    total,
    requests: requests.map((request) => ({ ...approvalFacts(request), mayDecide: decisionRefusal(decisionAttempt(actor, request)) === undefined })),
  };
}
