import { userInfo } from 'node:os';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SlackGrant } from '../db/entities/index.ts';
import { ALL_USERS, type GrantChanges } from '../db/grantChanges.ts';
import type { Grant } from '../domain/roles.ts';

/** Who asks for an action, with every grant they hold. */
export interface Actor {
  kind: 'slack' | 'cli' | 'system';
  id: string;
  grants: readonly Grant[];
}

/** Who a Slack user is to Roster: the grants they hold now. */
export interface SlackActors {
  actorFor(slackUserId: string): Promise<Actor>;
}

/** Users whose grants are held at most; past it the longest-held is forgotten (everyone in a big workspace may type /user). */
const MAX_CACHED_USERS = 10_000;

/**
 * Each Slack user's grants, read once and held in memory until the database announces that they changed (a trigger
 * on slack_grant notifies every process). Nothing is held while the announcements are not being listened for, and
 * everything is forgotten when listening stops or starts again, since changes meanwhile went unannounced. A read
 * that raced with an announcement is used once and not kept. A revoked grant is thus gone from every process as
 * soon as the announcement arrives (within milliseconds of the commit); changes re-check grants in their own
 * transaction regardless.
 */
export function cachedSlackActors(em: EntityManager, changes: GrantChanges): SlackActors {
  const held = new Map<string, readonly Grant[]>();
  let announcements = 0;
  changes.onChange((slackUserId) => {
    announcements += 1;
    if (slackUserId === ALL_USERS) held.clear();
    else held.delete(slackUserId);
  });
  return {
    async actorFor(slackUserId) {
      const known = held.get(slackUserId);
      if (known) return { kind: 'slack', id: slackUserId, grants: [...known] };
      const before = announcements;
      const actor = await slackActor(em, slackUserId);
      if (changes.listening && announcements === before) {
        if (held.size >= MAX_CACHED_USERS) held.delete(held.keys().next().value!);
        held.set(
          slackUserId,
          actor.grants.map((grant) => Object.freeze({ ...grant })),
        );
      }
      return actor;
    },
  };
}

export async function slackActor(em: EntityManager, slackUserId: string): Promise<Actor> {
  return { kind: 'slack', id: slackUserId, grants: await grantsOf(em.fork(), slackUserId) };
}

/** The actor's grants as the database holds them now, read through `em` (inside a transaction, as of that transaction). */
export async function currentGrants(em: EntityManager, actor: Actor): Promise<readonly Grant[]> {
  return actor.kind === 'slack' ? grantsOf(em, actor.id) : actor.grants;
}

async function grantsOf(em: EntityManager, slackUserId: string): Promise<Grant[]> {
  const rows = await em.find(SlackGrant, { slackUserId }, { fields: ['role', 'organisation'] });
  return rows.map((row) => ({ role: row.role, organisationId: row.organisation?.id ?? null }));
}

/** Whoever runs the CLI already holds the database credentials, so the CLI acts as a platform owner. */
export function cliActor(): Actor {
  return { kind: 'cli', id: `cli:${userInfo().username}`, grants: [{ role: 'owner', organisationId: null }] };
}

export function systemActor(process: string): Actor {
  return { kind: 'system', id: process, grants: [{ role: 'owner', organisationId: null }] };
}
