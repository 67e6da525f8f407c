import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { TOKEN_PURPOSES } from '../../domain/tokens.ts';
import { Account } from './Account.ts';

/**
 * A single-use link token (invitation, password reset). Only its SHA-256 is stored: the raw token exists in the mail
 * alone. A newer token of the same purpose marks the older ones replaced, so only the latest link works.
 */
export const AccountToken = defineEntity({
  name: 'AccountToken',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    account: () => p.manyToOne(Account).deleteRule('cascade'),
    purpose: p.enum(TOKEN_PURPOSES),
    /** Hex SHA-256 of the raw token. */
    hash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    replacedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['account', 'purpose'] }],
});

export type IAccountToken = InferEntity<typeof AccountToken>;
