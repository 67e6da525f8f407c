import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Group } from './Group.ts';

/** A licence installed for a group: a product with a number of seats, optionally until a date. */
export const Licence = defineEntity({
  name: 'Licence',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    group: () => p.manyToOne(Group).deleteRule('cascade'),
    product: p.string().length(200),
    seats: p.integer(),
    expiresAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['group'] }],
});

export type ILicence = InferEntity<typeof Licence>;
