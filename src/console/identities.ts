import type { ActionServices } from '../actions/action.ts';
import { runAction } from '../actions/action.ts';
import { slackActor, systemActor } from '../actions/actor.ts';
import { grantRole } from '../actions/access/grantRole.ts';
import type { RosterRole } from '../domain/roles.ts';

/** Who you can be in the console: one Slack user per Roster role, and one with no grant at all. */
export const IDENTITY_KEYS = ['owner', 'admin', 'helpdesk', 'viewer', 'none'] as const;
export type IdentityKey = (typeof IDENTITY_KEYS)[number];

export interface Identity {
  key: IdentityKey;
  userId: string;
  name: string;
  realName: string;
  email: string;
  /** The Roster role the console grants this user at start; none for `none`. */
  role?: RosterRole;
}

export const IDENTITIES: { readonly [K in IdentityKey]: Identity } = {
  owner: { key: 'owner', userId: 'U0LOCALOWNER', name: 'olivia', realName: 'Olivia Owner', email: 'olivia.owner@roster.local', role: 'owner' },
  admin: { key: 'admin', userId: 'U0LOCALADMIN', name: 'adam', realName: 'Adam Admin', email: 'adam.admin@roster.local', role: 'admin' },
  helpdesk: { key: 'helpdesk', userId: 'U0LOCALHELP', name: 'hana', realName: 'Hana Helpdesk', email: 'hana.helpdesk@roster.local', role: 'helpdesk' },
  viewer: { key: 'viewer', userId: 'U0LOCALVIEW', name: 'victor', realName: 'Victor Viewer', email: 'victor.viewer@roster.local', role: 'viewer' },
  none: { key: 'none', userId: 'U0LOCALNONE', name: 'nadia', realName: 'Nadia Nobody', email: 'nadia.nobody@roster.local' },
};

export const identityByUserId = (userId: string): Identity | undefined => Object.values(IDENTITIES).find((identity) => identity.userId === userId);

/**
 * Gives the console's people their roles, as Roster's own actions would: the owner is bootstrapped like
 * ROSTER_BOOTSTRAP_ADMINS, then grants the others itself (so the grants are audited under the owner's name).
 */
export async function grantConsoleIdentities(services: ActionServices): Promise<void> {
  const owner = IDENTITIES.owner;
  await runAction(services, grantRole, systemActor('console'), { slackUserId: owner.userId, role: 'owner' });
  const ownerActor = await slackActor(services.orm.em.fork(), owner.userId);
  for (const identity of Object.values(IDENTITIES)) {
    if (identity.role && identity.key !== 'owner') await runAction(services, grantRole, ownerActor, { slackUserId: identity.userId, role: identity.role });
  }
}
