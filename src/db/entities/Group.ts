import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Organisation } from './Organisation.ts';
import { Account } from './Account.ts';

export const Group = defineEntity({
  name: 'Group',
  tableName: 'account_group',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organisation: () => p.manyToOne(Organisation),
    name: p.string().length(200),
    externalId: p.string().length(200).nullable(),
    owner: () => p.manyToOne(Account).nullable().deleteRule('set null'),
    parent: (): any => p.manyToOne(Group).nullable().deleteRule('set null'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    version: p.integer().version(),
  },
  uniques: [{ properties: ['organisation', 'name'] }, { properties: ['organisation', 'externalId'] }],
  // Whether an account owns a group is asked before it is deactivated or deleted, one account or a bulk chunk at a time.
  indexes: [{ properties: ['owner'] }],
});

export type IGroup = InferEntity<typeof Group>;
