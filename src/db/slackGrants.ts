import type { EntityManager } from '@mikro-orm/postgresql';
import type { Grant, RosterRole } from '../domain/roles.ts';
import { preparedQuery } from './boundQuery.ts';

const GRANTS_SQL = 'select role, organisation_id from slack_grant where slack_user_id = $1';

/**
 * The grants a Slack user holds now. Every request reads them, so outside a transaction this is a named prepared
 * statement on the pool (no ORM unit of work, no planning); inside one it is read as of that transaction.
 */
export async function grantsOfSlackUser(em: EntityManager, slackUserId: string): Promise<Grant[]> {
  const rows = await preparedQuery<GrantRow>(em, GRANTS_SQL, [slackUserId]);
  return rows.map((row) => ({ role: row.role, organisationId: row.organisation_id }));
}

interface GrantRow {
  role: RosterRole;
  organisation_id: string | null;
}
