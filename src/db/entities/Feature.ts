import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { FEATURE_KINDS } from '../../domain/accounts.ts';

/** The catalogue of functional modules and custom SDK add-ons (plug-ins) that can be given to accounts and groups. */
export const Feature = defineEntity({
  name: 'Feature',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    key: p.string().length(100).unique(),
    name: p.string().length(200),
    kind: p.enum(FEATURE_KINDS),
  },
});

export type IFeature = InferEntity<typeof Feature>;
