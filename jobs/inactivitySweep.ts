import type { Job } from 'bullmq';
import type { ActionServices } from '../src/actions/action.ts';
import { systemActor } from '../src/actions/actor.ts';
import { sweepAllInactiveAccounts, sweptByJob, type SweepResult } from '../src/actions/accounts/sweepInactiveAccounts.ts';
import type { InactivitySweepData, Queues } from './queues.ts';

export interface SweepDeps extends ActionServices {
  queues: Queues;
  reportsChannel?: string;
}

export async function processInactivitySweep(job: Job<InactivitySweepData>, deps: SweepDeps): Promise<SweepResult> {
  const swept = await sweepAllInactiveAccounts(deps, systemActor('inactivity-sweep'), { dryRun: job.data.dryRun ?? false, jobId: job.id });
  const result = swept.dryRun ? swept : await sweptByJob(deps.orm.em.fork(), job.id!);
  deps.logger.info({ jobId: job.id, suspended: result.suspended }, 'inactivity sweep finished');
  if (deps.reportsChannel) {
    // The job id makes the report idempotent: a sweep job retried after a crash does not post twice.
    await deps.queues.slackNotify.add('report', { channel: deps.reportsChannel, text: sweepSummary(result) }, { jobId: `sweep-report-${job.id}` });
  }
  return result;
}

export function sweepSummary(result: SweepResult): string {
  const verb = result.dryRun ? 'would suspend' : 'suspended';
  if (result.suspended === 0)
    return `Inactivity sweep${result.dryRun ? ' (dry run)' : ''}: no account ${verb === 'suspended' ? 'needed suspending' : 'would be suspended'}.`;
  const lines = result.byOrganisation.map((org) => `• ${org.slug}: ${org.count} (no sign-in for ${org.inactivityDays} days)`);
  return [`Inactivity sweep${result.dryRun ? ' (dry run)' : ''}: ${verb} ${result.suspended} account${result.suspended === 1 ? '' : 's'}.`, ...lines].join(
    '\n',
  );
}
