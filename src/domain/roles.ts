import { RefusedError } from './errors.ts';

/** Roster roles granted to Slack users, weakest first: each includes everything before it. */
export const ROSTER_ROLES = ['viewer', 'helpdesk', 'admin', 'owner'] as const;
export type RosterRole = (typeof ROSTER_ROLES)[number];

export function roleIncludes(held: RosterRole, needed: RosterRole): boolean {
  return ROSTER_ROLES.indexOf(held) >= ROSTER_ROLES.indexOf(needed);
}

/** A caller's grant: a role, limited to one organisation when `organisationId` is set. */
export interface Grant {
  role: RosterRole;
  organisationId: string | null;
}

/**
 * The strongest grant that covers the organisation (`null` = the action is not about one organisation,
 * which only platform-wide grants cover).
 */
export function effectiveGrant(grants: readonly Grant[], organisationId: string | null): Grant | undefined {
  return strongest(grants.filter((g) => g.organisationId === null || g.organisationId === organisationId));
}

export function strongest(grants: readonly Grant[]): Grant | undefined {
  return [...grants].sort((a, b) => ROSTER_ROLES.indexOf(b.role) - ROSTER_ROLES.indexOf(a.role))[0];
}

/**
 * The grant under which the actor may do `what` in the organisation, or a RefusedError naming the role needed.
 * `'any'` asks whether some grant, for any organisation, has the role: the check made before a target is known.
 */
export function requireRole(grants: readonly Grant[], needed: RosterRole, organisationId: string | null | 'any', what: string): Grant {
  const grant = organisationId === 'any' ? strongest(grants) : effectiveGrant(grants, organisationId);
  if (!grant) {
    throw new RefusedError(
      `You have no Roster role${typeof organisationId === 'string' && organisationId !== 'any' ? ' for this organisation' : ''}; ${what} needs ${article(needed)} ${needed}. Ask a Roster owner for a grant.`,
      'forbidden',
    );
  }
  if (!roleIncludes(grant.role, needed)) {
    throw new RefusedError(`You are ${article(grant.role)} ${grant.role}; ${what} needs ${article(needed)} ${needed} or above.`, 'forbidden');
  }
  return grant;
}

function article(role: RosterRole): string {
  return role === 'admin' || role === 'owner' ? 'an' : 'a';
}

/** The organisations the grants let someone read: `null` for every organisation (a platform-wide grant). */
export function readableOrganisations(grants: readonly Grant[]): string[] | null {
  if (grants.some((g) => g.organisationId === null)) return null;
  return grants.map((g) => g.organisationId!);
}

/**
 * The organisations in which the grants hold at least `role`: `null` for every organisation (a platform-wide grant
 * with that role), else their ids (possibly none). What a form offers to choose from, e.g. where one may create.
 */
export function organisationsWithRole(grants: readonly Grant[], role: RosterRole): string[] | null {
  if (grants.some((g) => g.organisationId === null && roleIncludes(g.role, role))) return null;
  return [...new Set(grants.filter((g) => g.organisationId !== null && roleIncludes(g.role, role)).map((g) => g.organisationId!))];
}

/** Whether the grants let someone read accounts in the organisation. */
export function mayRead(grants: readonly Grant[], organisationId: string): boolean {
  return grants.some((g) => g.organisationId === null || g.organisationId === organisationId);
}
