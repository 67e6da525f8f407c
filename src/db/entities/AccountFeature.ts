import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './Account.ts';
import { Feature } from './Feature.ts';

/** A module or add-on installed for an account; add-ons can be installed but switched off. */
export const AccountFeature = defineEntity({
  name: 'AccountFeature',
  properties: {
    account: () => p.manyToOne(Account).primary().deleteRule('cascade'),
    feature: () => p.manyToOne(Feature).primary().deleteRule('cascade'),
    active: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type IAccountFeature = InferEntity<typeof AccountFeature>;
