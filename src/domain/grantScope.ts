import { roleIncludes, type Grant, type RosterRole } from './roles.ts';

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
