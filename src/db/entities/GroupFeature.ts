import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Group } from './Group.ts';
import { Feature } from './Feature.ts';

export const GroupFeature = defineEntity({
  name: 'GroupFeature',
  properties: {
    group: () => p.manyToOne(Group).primary().deleteRule('cascade'),
    feature: () => p.manyToOne(Feature).primary().deleteRule('cascade'),
    active: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type IGroupFeature = InferEntity<typeof GroupFeature>;
