import { describe, expect, it } from 'vitest';
import { type DecisionAttempt, decisionRefusal } from '../../src/domain/approvals.ts';

const now = new Date('2026-12-01T12:00:00Z');
const attempt = (overrides: Partial<DecisionAttempt> = {}): DecisionAttempt => ({
  deciderId: 'U0DECIDER',
  deciderRole: 'owner',
  requesterId: 'U0ASKER',
  approvers: 'owners',
  state: 'pending',
  expiresAt: new Date(now.getTime() + 60_000),
  now,
  ...overrides,
});
const refusal = (overrides: Partial<DecisionAttempt>) => decisionRefusal(attempt(overrides))?.userMessage;

describe('who may decide a request', () => {
  it('lets another owner decide a pending request before it expires', () => {
    expect(decisionRefusal(attempt())).toBeUndefined();
  });

  it('never lets the requester decide their own request, whatever their role', () => {
    expect(refusal({ deciderId: 'U0ASKER' })).toBe('Nobody decides their own request: another approver must.');
    expect(refusal({ deciderId: 'U0ASKER', approvers: 'admins', deciderRole: 'admin' })).toContain('Nobody decides their own request');
  });

  it('needs an owner unless the organisation lets admins decide too; helpdesk and viewers never decide', () => {
    expect(refusal({ deciderRole: 'admin' })).toContain('needs an owner or above');
    expect(decisionRefusal(attempt({ deciderRole: 'admin', approvers: 'admins' }))).toBeUndefined();
    expect(refusal({ deciderRole: 'helpdesk', approvers: 'admins' })).toContain('needs an admin or above');
    expect(refusal({ deciderRole: 'viewer' })).toContain('You are a viewer');
  });

  it('refuses a request that is decided or expired, saying which', () => {
    expect(refusal({ state: 'approved' })).toBe('This request was already approved; nothing was changed.');
    expect(refusal({ state: 'expired' })).toContain('already expired');
    expect(refusal({ expiresAt: now })).toContain('has expired');
  });
});
