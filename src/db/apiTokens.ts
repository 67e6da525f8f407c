import type { EntityManager } from '@mikro-orm/postgresql';
import type { ApiScope } from '../domain/apiTokens.ts';
import { preparedQuery } from './boundQuery.ts';

const TOKEN_SQL =
  'select t.id, t.organisation_id, o.slug, t.hash, t.scopes from api_token t join organisation o on o.id = t.organisation_id where t.prefix = $1 and t.revoked_at is null';

export interface ActiveApiToken {
  id: string;
  organisationId: string;
  organisationSlug: string;
  hash: string;
  scopes: ApiScope[];
}

/** The unrevoked token with this prefix: read on every API request, as a prepared statement (preparedQuery). */
export async function activeApiTokenByPrefix(em: EntityManager, prefix: string): Promise<ActiveApiToken | undefined> {
  const rows = await preparedQuery<{ id: string; organisation_id: string; slug: string; hash: string; scopes: ApiScope[] }>(em, TOKEN_SQL, [prefix]);
  const row = rows[0];
  return row ? { id: row.id, organisationId: row.organisation_id, organisationSlug: row.slug, hash: row.hash, scopes: row.scopes } : undefined;
}
