import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { GROUP_ROLES } from '../../domain/accounts.ts';
import { Account } from './Account.ts';
import { Group } from './Group.ts';

export const Membership = defineEntity({
  name: 'Membership',
  properties: {
    account: () => p.manyToOne(Account).primary().deleteRule('cascade'),
    group: () => p.manyToOne(Group).primary().deleteRule('cascade'),
    role: p.enum(GROUP_ROLES).default('member'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['group'] }],
});

export type IMembership = InferEntity<typeof Membership>;
