import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withDefaultUser } from '../../src/config.ts';

/** Where tests create their databases: DATABASE_URL's server (default local), never its database. */
export function serverUrl(database: string): string {
  const url = new URL(withDefaultUser(process.env.DATABASE_URL ?? 'postgres://127.0.0.1:5432/roster'));
  url.pathname = `/${database}`;
  return url.toString();
}

export async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A database of its own for one test file, copied from the migrated template that globalSetup made. */
export async function createTestDatabase(template: string): Promise<TestDatabase> {
  const name = `${template.replace(/_template$/, '')}_${randomBytes(4).toString('hex')}`;
  await onServer((client) => client.query(`create database "${name}" template "${template}"`));
  return {
    name,
    url: serverUrl(name),
    drop: () => onServer((client) => client.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  };
}
