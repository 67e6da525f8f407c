import { createHash } from 'node:crypto';
import type { EntityManager, PostgreSqlConnection } from '@mikro-orm/postgresql';
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';

/**
 * Runs SQL with `$1`-style parameters that PostgreSQL binds itself, in the entity manager's transaction when it has one.
 * `em.execute` writes every parameter into the statement's text, escaping it character by character: for the megabyte
 * of JSON a bulk chunk sends, that escaping and the statement PostgreSQL then parses cost more than the work itself.
 */
export async function boundQuery<T>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<T[]> {
  const runner: Kysely<unknown> | Transaction<unknown> = em.getTransactionContext<Transaction<unknown>>() ?? em.getConnection().getClient();
  const result = await runner.executeQuery<T>(CompiledQuery.raw(sql, [...params]));
  return [...result.rows];
}

/**
 * A statement every request runs, as a prepared statement on the pool, named by its text: each pooled connection
 * parses and plans it once (planning a one-row read costs more than running it). Inside a transaction it runs there,
 * bound as above. A caller must bring a bounded set of texts: each stays prepared on a connection for its life.
 */
export async function preparedQuery<T>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<T[]> {
  if (em.isInTransaction()) return boundQuery<T>(em, sql, params);
  const pool = await (em.getConnection() as PostgreSqlConnection).getNativeClient();
  const name = `roster-${createHash('sha256').update(sql).digest('base64url').slice(0, 22)}`;
  const { rows } = await pool.query({ name, text: sql, values: [...params] });
  return rows as T[];
}

/** `?` placeholders as PostgreSQL's `$1`, `$2`...: for SQL built with `?` (as MikroORM writes it), bound by PostgreSQL. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
