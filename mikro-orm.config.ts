import { defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './src/db/entities/index.ts';
import { withDefaultUser } from './src/config.ts';

/** The ORM config; for the MikroORM CLI (generating migrations), DATABASE_URL or the local server's roster database. */
export function ormConfig(databaseUrl = withDefaultUser(process.env.DATABASE_URL || 'postgres://127.0.0.1:5432/roster'), log?: (message: string) => void) {
  return defineConfig({
    clientUrl: databaseUrl,
    entities,
    extensions: [Migrator],
    migrations: {
      path: new URL('./migrations', import.meta.url).pathname,
      glob: '!(*.d).ts',
      emit: 'ts',
      snapshot: false,
    },
    pool: { min: 0, max: 10 },
    debug: false,
    colors: false,
    ...(log ? { logger: log } : {}),
  });
}

export default ormConfig();
