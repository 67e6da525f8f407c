import type { IAccount } from '../db/entities/index.ts';

/** What an audit event is about. */
export interface AuditTarget {
  type: 'account' | 'group' | 'organisation' | 'grant' | 'job' | 'api-token';
  id: string | null;
  /** Kept as it was at the time, so the trail stays readable after the target is purged. */
  label: string | null;
  organisationId: string | null;
}

/** How the audit trail names a person: `First Last <email>`. */
export function accountLabel(account: { firstName: string; lastName: string; email: string }): string {
  return `${account.firstName} ${account.lastName} <${account.email}>`;
}

export function accountTarget(account: IAccount): AuditTarget {
  return { type: 'account', id: account.id, label: accountLabel(account), organisationId: account.organisation.id };
}
