import { userInfo } from 'node:os';
import type { EntityManager } from '@mikro-orm/postgresql';
import { grantsOfSlackUser } from '../db/slackGrants.ts';
import type { ApiScope } from '../domain/apiTokens.ts';
import type { Grant } from '../domain/roles.ts';

/** Who asks for an action, with every grant they hold. */
export interface Actor {
  kind: 'slack' | 'cli' | 'system' | 'api';
  id: string;
  grants: readonly Grant[];
  /** An API token's scopes (kind `api` only): what the organisation's platform may ask for with it. */
  scopes?: readonly ApiScope[];
  /** An API token's organisation (kind `api` only): where the accounts it provisions are created. */
  organisationSlug?: string;
}

/** Who a Slack user is to Roster: the grants they hold now. */
export interface SlackActors {
  actorFor(slackUserId: string): Promise<Actor>;
}

/**
 * Reads the caller's grants on every request, so a revoked grant is refused on the very next one, in every process:
 * one prepared statement on an indexed column, cheaper than anything that would have to be kept in step.
 */
export function slackActorsFromDatabase(em: EntityManager): SlackActors {
  return { actorFor: (slackUserId) => slackActor(em, slackUserId) };
}

export async function slackActor(em: EntityManager, slackUserId: string): Promise<Actor> {
  return { kind: 'slack', id: slackUserId, grants: await grantsOfSlackUser(em, slackUserId) };
}

/** The actor's grants as the database holds them now, read through `em` (inside a transaction, as of that transaction). */
export async function currentGrants(em: EntityManager, actor: Actor): Promise<readonly Grant[]> {
  return actor.kind === 'slack' ? grantsOfSlackUser(em, actor.id) : actor.grants;
}

/** Whoever runs the CLI already holds the database credentials, so the CLI acts as a platform owner. */
export function cliActor(): Actor {
  return { kind: 'cli', id: `cli:${userInfo().username}`, grants: [{ role: 'owner', organisationId: null }] };
}

export function systemActor(process: string): Actor {
  return { kind: 'system', id: process, grants: [{ role: 'owner', organisationId: null }] };
}

/**
 * Whoever opens a mailed link. The link's token is their credential, and the actions the pages run check it before
 * anything else and then the grant against the token's own account: the grant only lets those actions run.
 */
export function linkHolderActor(): Actor {
  return { kind: 'system', id: 'mail-link', grants: [{ role: 'owner', organisationId: null }] };
}
