import { z } from 'zod';
import { countsByOrganisation, lockedOutAccounts, type LockedOutLine, type OrganisationCounts } from '../../db/homeOverview.ts';
import { organisationsWithRole, strongest, type RosterRole } from '../../domain/roles.ts';
import { defineAction } from '../action.ts';
import { type BulkJobLine, recentBulkJobs } from '../accounts/bulk/listBulkJobs.ts';
import { type PendingRequests, pendingRequests } from '../approvals/listApprovals.ts';

/** Organisations and locked-out accounts the Home tab shows before it says "and N more". */
export const HOME_ORGANISATIONS = 10;
export const HOME_LOCKED_OUT = 10;

export interface HomeOverview {
  /** The caller's strongest role, as the tab names it. */
  role: RosterRole;
  organisations: { shown: OrganisationCounts[]; total: number };
  /** Each with whether the caller may unlock it (helpdesk or above in its organisation). */
  lockedOut: { accounts: (LockedOutLine & { mayUnlock: boolean })[]; total: number };
  /** Requests waiting in the organisations the caller administers; null for a caller who is no admin anywhere. */
  approvals: PendingRequests | null;
  /** Running and recent jobs; null for a caller who is no admin anywhere. */
  jobs: BulkJobLine[] | null;
}

/**
 * What an admin starts the day with, within what their grants may see: accounts by status per organisation, who is
 * locked out, the requests that wait for a decision and the jobs that run. A read: nothing is audited but a refusal.
 */
export const homeOverview = defineAction({
  name: 'home',
  describedAs: 'reading the Home tab',
  requires: 'viewer',
  readOnly: true,
  input: z.object({}),
  async run(ctx): Promise<HomeOverview> {
    const readable = ctx.organisationsInScope();
    const role = strongest(ctx.actor.grants)!.role;
    const administered = organisationsWithRole(ctx.actor.grants, 'admin');
    const isAdmin = administered === null || administered.length > 0;
    const helpdeskIn = organisationsWithRole(ctx.actor.grants, 'helpdesk');
    const mayUnlock = (organisationId: string) => helpdeskIn === null || helpdeskIn.includes(organisationId);
    const [organisations, lockedOut] = [
      await countsByOrganisation(ctx.em, readable, HOME_ORGANISATIONS),
      await lockedOutAccounts(ctx.em, readable, HOME_LOCKED_OUT),
    ];
    return {
      role,
      organisations: { shown: organisations.organisations, total: organisations.total },
      lockedOut: {
        total: lockedOut.total,
        accounts: lockedOut.accounts.map((account) => ({ ...account, mayUnlock: mayUnlock(account.organisationId) })),
      },
      approvals: isAdmin ? await pendingRequests(ctx.em, ctx.actor, administered) : null,
      jobs: isAdmin ? await recentBulkJobs(ctx.em, administered === null ? null : ctx.actor.id) : null,
    };
  },
});
