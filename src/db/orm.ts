import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from '../../mikro-orm.config.ts';

export type Orm = MikroORM;

/** MikroORM 7's PostgreSQL connection already listens for pool errors, so a database restart does not crash the process. */
export async function createOrm(databaseUrl: string, log?: (message: string) => void): Promise<Orm> {
  return MikroORM.init(ormConfig(databaseUrl, log));
}

/** Creates the database if it does not exist yet, applies pending migrations (committed under migrations/) and returns their names. */
export async function migrate(orm: Orm): Promise<string[]> {
  await orm.schema.ensureDatabase();
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}
