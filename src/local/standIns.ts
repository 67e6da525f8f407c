import { resolve } from 'node:path';

/** Which of Roster's services are stood in for locally, each because its variable is unset. */
export interface LocalStandIns {
  /** No DATABASE_URL: an embedded PostgreSQL with its data under the local directory. */
  database: boolean;
  /** No REDIS_URL: BullMQ's PostgreSQL backend (and the shared state) in Roster's database. */
  queue: boolean;
  /** Where local mode keeps its data (`.roster/`, or ROSTER_LOCAL_DIR). */
  directory: string;
}

/** Where local mode keeps its data: `.roster/` in the directory Roster is started from, or ROSTER_LOCAL_DIR. */
export const localDirectory = (env: NodeJS.ProcessEnv = process.env) => resolve(env.ROSTER_LOCAL_DIR || '.roster');

const isUnset = (value: string | undefined) => value === undefined || value === '';

/** The stand-ins this environment asks for (loadConfig has refused them with NODE_ENV=production). */
export function localStandIns(env: NodeJS.ProcessEnv = process.env): LocalStandIns {
  return { database: isUnset(env.DATABASE_URL), queue: isUnset(env.REDIS_URL), directory: localDirectory(env) };
}
