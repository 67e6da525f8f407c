import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { activeApiTokenByPrefix } from '../../db/apiTokens.ts';
import type { ApiScope } from '../../domain/apiTokens.ts';
import type { RosterRole } from '../../domain/roles.ts';
import type { Actor } from '../actor.ts';

/**
 * `roster_<prefix>.<secret>`: the prefix (72 random bits) finds the row and names the token in lists; the secret (256
 * bits) is what makes it a credential. A plain SHA-256 suffices to store it: there is nothing to guess, unlike a password.
 */
const TOKEN_FORMAT = /^roster_([A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{43})$/;

export interface NewApiToken {
  raw: string;
  prefix: string;
  hash: string;
}

export function newApiToken(): NewApiToken {
  const prefix = randomBytes(9).toString('base64url');
  const raw = `roster_${prefix}.${randomBytes(32).toString('base64url')}`;
  return { raw, prefix, hash: sha256(raw) };
}

/** How a token is named where it is shown: its prefix, which is not secret. */
export function tokenLabel(prefix: string): string {
  return `roster_${prefix}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The role an API token acts with, limited to its organisation. Its scopes, not the role, say what it may ask for:
 * the sign-in action refuses any caller that is not a token with the sign-in scope, and only `/scim/v2` takes a token
 * with the SCIM scope, which creates, edits and deactivates accounts as an organisation admin does.
 */
function apiTokenRole(scopes: readonly ApiScope[]): RosterRole {
  return scopes.includes('scim') ? 'admin' : 'helpdesk';
}

/** Who a bearer token is to Roster: an actor limited to the token's organisation, or undefined for no such live token. */
export interface ApiActors {
  actorForToken(bearer: string): Promise<Actor | undefined>;
}

export function apiActorsFromDatabase(em: EntityManager): ApiActors {
  return {
    async actorForToken(bearer) {
      const parts = TOKEN_FORMAT.exec(bearer);
      if (!parts) return undefined;
      const token = await activeApiTokenByPrefix(em, parts[1]!);
      if (!token || !timingSafeEqual(Buffer.from(token.hash, 'hex'), Buffer.from(sha256(bearer), 'hex'))) return undefined;
      return {
        kind: 'api',
        id: `api-token:${tokenLabel(parts[1]!)}`,
        grants: [{ role: apiTokenRole(token.scopes), organisationId: token.organisationId }],
        scopes: token.scopes,
        organisationSlug: token.organisationSlug,
      };
    },
  };
}
