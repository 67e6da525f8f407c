import type { EntityManager, PostgreSqlConnection } from '@mikro-orm/postgresql';
import type { ApiScope } from '../domain/apiTokens.ts';

const TOKEN_SQL =
  'select t.id, t.organisation_id, o.slug, t.hash, t.scopes from api_token t join organisation o on o.id = t.organisation_id where t.prefix = $1 and t.revoked_at is null';

export interface ActiveApiToken {
  id: string;
  organisationId: string;
  organisationSlug: string;
  hash: string;
  scopes: ApiScope[];
}

/** The unrevoked token with this prefix: read on every API request, as one named prepared statement on the pool. */
export async function activeApiTokenByPrefix(em: EntityManager, prefix: string): Promise<ActiveApiToken | undefined> {
  const client = await (em.getConnection() as PostgreSqlConnection).getNativeClient();
  const { rows } = await client.query<{ id: string; organisation_id: string; slug: string; hash: string; scopes: ApiScope[] }>({
    name: 'api-token-by-prefix',
    text: TOKEN_SQL,
    values: [prefix],
  });
  const row = rows[0];
  return row ? { id: row.id, organisationId: row.organisation_id, organisationSlug: row.slug, hash: row.hash, scopes: row.scopes } : undefined;
}
