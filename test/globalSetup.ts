import type { TestProject } from 'vitest/node';
import { createOrm, migrate } from '../src/db/orm.ts';
import { onServer, serverUrl } from './support/database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

/** Migrates one template database per run; each test file copies it (create database ... template ...). */
export default async function setup(project: TestProject) {
  const template = `roster_test_${process.pid}_template`;
  await onServer(async (client) => {
    await client.query(`drop database if exists "${template}"`);
    await client.query(`create database "${template}"`);
  });
  const orm = await createOrm(serverUrl(template), () => {});
  await migrate(orm);
  await orm.close();
  project.provide('templateDatabase', template);

  return async () => {
    await onServer(async (client) => {
      const { rows } = await client.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`roster_test_${process.pid}_%`]);
      for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`);
    });
  };
}
