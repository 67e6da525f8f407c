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
});

export type IGroup = InferEntity<typeof Group>;
