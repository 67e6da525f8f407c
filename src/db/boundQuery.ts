import type { EntityManager } from '@mikro-orm/postgresql';
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
