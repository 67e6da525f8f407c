import type { EntityManager, PostgreSqlConnection } from '@mikro-orm/postgresql';
import type { Grant, RosterRole } from '../domain/roles.ts';

const GRANTS_SQL = 'select role, organisation_id from slack_grant where slack_user_id = $1';

/**
 * The grants a Slack user holds now. Every request reads them, so outside a transaction this is a named prepared
 * statement on the pool (no ORM unit of work, no planning); inside one it is read as of that transaction.
 */
export async function grantsOfSlackUser(em: EntityManager, slackUserId: string): Promise<Grant[]> {
  const rows = em.isInTransaction()
    ? await em.execute<GrantRow[]>(GRANTS_SQL.replace('$1', '?'), [slackUserId])
    : (
        await (
          await (em.getConnection() as PostgreSqlConnection).getNativeClient()
        ).query<GrantRow>({ name: 'slack-grants', text: GRANTS_SQL, values: [slackUserId] })
      ).rows;
  return rows.map((row) => ({ role: row.role, organisationId: row.organisation_id }));
}

interface GrantRow {
  role: RosterRole;
  organisation_id: string | null;
}
