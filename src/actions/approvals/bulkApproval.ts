import type { EntityManager } from '@mikro-orm/postgresql';
import { selectionByOrganisation } from '../../db/approvalRequests.ts';
import type { SqlWhere } from '../../db/bulkJobs.ts';
import { Organisation } from '../../db/entities/index.ts';
import { bulkChangeNeedsApproval, CHANGES_THAT_MAY_NEED_APPROVAL } from '../../domain/approvals.ts';

export interface BulkApproval {
  /** A second person must approve before a job makes the change. */
  needed: boolean;
  /** The selection's accounts in each organisation (read only for changes that may need approval). */
  organisations: { organisationId: string; count: number }[];
}

/** Whether a bulk change over this selection waits for approval, by the rules of each organisation it touches. */
export async function bulkApproval(em: EntityManager, change: string, selection: SqlWhere): Promise<BulkApproval> {
  if (!CHANGES_THAT_MAY_NEED_APPROVAL.includes(change)) return { needed: false, organisations: [] };
  const counts = (await selectionByOrganisation(em, selection)).map((row) => ({ organisationId: row.organisationId, count: Number(row.count) }));
  const rules = new Map(
    (await em.find(Organisation, { id: { $in: counts.map((row) => row.organisationId) } })).map((o) => [
      o.id,
      { bulkDeactivateOver: o.bulkDeactivateApprovalOver ?? null },
    ]),
  );
  return { needed: counts.some((row) => bulkChangeNeedsApproval(change, row.count, rules.get(row.organisationId)!)), organisations: counts };
}
