import type { EntityManager } from '@mikro-orm/postgresql';

export interface DeletedAccountTrace {
  accountId: string;
  organisationId: string;
  name: string;
}

/**
 * The account an email named before it was deleted, from the approved request that deleted it (a purged account's row
 * is gone, but its audit events keep its id): how the trail of a purged account is still found by its email.
 */
export async function deletedAccountByEmail(em: EntityManager, email: string): Promise<DeletedAccountTrace | null> {
  const [found] = await em.execute<DeletedAccountTrace[]>(
    `select account_id as "accountId", organisation_id as "organisationId", subject->>'name' as name from approval_request
     where state = 'approved' and kind = 'delete' and subject->>'email' = ? order by decided_at desc limit 1`,
    [email],
  );
  return found ?? null;
}

/** The account a request is about, as the audit trail names it, for a refusal made before the request is loaded. */
export async function approvalTarget(
  em: EntityManager,
  requestId: string,
): Promise<{ type: 'account'; id: string; label: string; organisationId: string } | null> {
  const [found] = await em.execute<{ id: string; label: string; organisationId: string }[]>(
    `select account_id as id, (subject->>'name') || ' <' || (subject->>'email') || '>' as label, organisation_id as "organisationId"
     from approval_request where id = ?`,
    [requestId],
  );
  return found ? { type: 'account', ...found } : null;
}

/** How many accounts a selection holds in each organisation, for a bulk request (which is about one organisation). */
export function selectionByOrganisation(em: EntityManager, where: { sql: string; params: unknown[] }): Promise<{ organisationId: string; count: string }[]> {
  return em.execute(`select a.organisation_id as "organisationId", count(*) as count from account a where ${where.sql} group by 1`, where.params);
}
