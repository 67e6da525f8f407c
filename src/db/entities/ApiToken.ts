import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { ApiScope } from '../../domain/apiTokens.ts';
import { Organisation } from './Organisation.ts';

/**
 * A bearer token an organisation's platform uses for Roster's HTTP API. Only its SHA-256 is stored; the prefix (the
 * token's first, random part) finds the row without scanning and lets `token list` name it, and says nothing of the rest.
 */
export const ApiToken = defineEntity({
  name: 'ApiToken',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organisation: () => p.manyToOne(Organisation).deleteRule('cascade'),
    name: p.string().length(100),
    prefix: p.string().length(16).unique(),
    /** Hex SHA-256 of the whole token. */
    hash: p.string().length(64),
    /** What the token may be used for (API_SCOPES); more than one once other APIs exist. */
    scopes: p.array<ApiScope>(),
    createdBy: p.string().length(64),
    createdAt: p.datetime().onCreate(() => new Date()),
    revokedAt: p.datetime().nullable(),
    revokedBy: p.string().length(64).nullable(),
  },
  indexes: [{ properties: ['organisation'] }],
});

export type IApiToken = InferEntity<typeof ApiToken>;
