import { z } from 'zod';
import { pendingVerdicts } from '../../../db/bulkJobs.ts';
import { Organisation } from '../../../db/entities/index.ts';
import { bulkChangeNeedsApproval } from '../../../domain/approvals.ts';
import { RefusedError } from '../../../domain/errors.ts';
import { type DoneOutcome, defineAction } from '../../action.ts';
import { importLabel, loadImportJob } from './importJob.ts';

const n = (value: number) => value.toLocaleString('en');

/** Why an import that is not waiting for Apply cannot be applied, by its state. */
const NOT_WAITING: Record<string, string> = {
  checking: 'Its dry run is still reading the file; press Apply on the dry run once it shows.',
  running: 'It is being applied already.',
  cancelling: 'It was cancelled.',
  cancelled: 'It was cancelled, so nothing of it was imported; share the file again to import it.',
  done: 'It has been applied already.',
  failed: 'It stopped with a problem, so there is nothing to apply; share the file again.',
};

/**
 * Apply on an import's dry run: the caller's grant is checked again for the import's organisation (a viewer, or an
 * admin of another organisation, pressing an admin's Apply changes nothing), and the rows its dry run staged are
 * handed to the bulk workers, which apply them in chunks.
 */
export const applyImport = defineAction({
  name: 'import-apply',
  describedAs: 'importing accounts',
  requires: 'admin',
  input: z.object({ jobId: z.uuid() }),
  async run(ctx, { jobId }): Promise<DoneOutcome> {
    const { job, params } = await loadImportJob(ctx, jobId, { lock: 'exclusive' });
    if (job.state !== 'previewed') throw new RefusedError(`This import cannot be applied now. ${NOT_WAITING[job.state] ?? ''}`.trim(), 'invalid-state');
    const jobs = ctx.services.bulkJobs;
    if (!jobs) throw new RefusedError('Imports need the job queue, which this process does not have.', 'invalid-state');
    const verdicts = await pendingVerdicts(ctx.em, jobId);
    // An import's status column is no way round the organisation's rule that many deactivations wait for approval.
    const organisation = await ctx.em.findOneOrFail(Organisation, { id: params.organisationId });
    if (bulkChangeNeedsApproval('deactivate', verdicts.deactivate, { bulkDeactivateOver: organisation.bulkDeactivateApprovalOver ?? null }))
      throw new RefusedError(
        `This import would deactivate ${n(verdicts.deactivate)} accounts; ${organisation.slug} sends deactivations of more than ${n(organisation.bulkDeactivateApprovalOver!)} for approval. Import the file without its status column, then deactivate them with \`/users bulk deactivate\`, which asks.`,
        'forbidden',
      );
    job.state = 'running';
    ctx.audit.record({
      action: 'import-apply',
      target: { type: 'job', id: job.id, label: importLabel(job), organisationId: params.organisationId },
      changes: { create: { before: null, after: verdicts.create }, update: { before: null, after: verdicts.update } },
      jobId,
    });
    ctx.afterCommit(() => jobs.start(jobId));
    return {
      kind: 'done',
      message: `Importing ${params.fileName} into ${params.organisation}: ${n(verdicts.create)} to create, ${n(verdicts.update)} to update${params.sendInvitations ? ', each new account invited' : ''}. The dry run's message shows the progress, then the summary.`,
    };
  },
});
