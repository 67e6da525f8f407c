import { z } from 'zod';
import { BulkJob, Organisation, type IOrganisation } from '../../../db/entities/index.ts';
import { RefusedError } from '../../../domain/errors.ts';
import { type ActionContext, type DoneOutcome, defineAction } from '../../action.ts';
import { slugSchema } from '../../inputs.ts';
import { organisationBySlug } from '../../organisations/organisations.ts';
import { IMPORT_ACTION, type ImportParams, importLabel } from './importJob.ts';

interface StartedImport extends DoneOutcome {
  jobId: string;
}

/**
 * Starts an import of a file shared in Slack (the import modal, or a file shared in the app's DM): the job is created
 * and audited here, and its dry run (download, every row checked) runs in a job after the commit. Nothing changes in
 * any account until the person presses Apply on the dry run.
 */
export const startImport = defineAction({
  name: 'import-start',
  describedAs: 'importing accounts',
  requires: 'admin',
  input: z.object({
    fileId: z.string().regex(/^F[A-Z0-9]{2,}$/, 'must be a Slack file ID such as F012ABCDEF'),
    fileName: z.string().trim().min(1).max(255),
    /** Needed unless the caller's grant covers one organisation only. */
    organisation: slugSchema.optional(),
    sendInvitations: z.boolean().default(false),
    /** Where the dry run and the progress go: the channel the import was asked from (a DM when the app cannot post there). */
    channel: z.string().max(64).optional(),
  }),
  async run(ctx, input): Promise<StartedImport> {
    const organisation = await importedInto(ctx, input.organisation);
    ctx.aboutTarget({ type: 'organisation', id: organisation.id, label: organisation.slug, organisationId: organisation.id });
    ctx.authorize(organisation.id);
    const imports = ctx.services.imports;
    if (!imports) throw new RefusedError('Imports need the job queue, which this process does not have.', 'invalid-state');
    const params: ImportParams = {
      organisationId: organisation.id,
      organisation: organisation.slug,
      sendInvitations: input.sendInvitations,
      fileId: input.fileId,
      fileName: input.fileName,
    };
    const job = ctx.em.create(BulkJob, {
      action: IMPORT_ACTION,
      state: 'checking',
      params: { ...params },
      description: `${input.fileName} into ${organisation.slug}`.slice(0, 500),
      requestedBy: ctx.actor.id,
      total: 0,
      channel: input.channel ?? null,
    });
    await ctx.em.flush();
    ctx.audit.record({
      action: 'import-start',
      target: { type: 'job', id: job.id, label: importLabel(job), organisationId: organisation.id },
      changes: { file: { before: null, after: input.fileName }, sendInvitations: { before: null, after: input.sendInvitations } },
      jobId: job.id,
    });
    ctx.afterCommit(() => imports.check(job.id));
    return {
      kind: 'done',
      jobId: job.id,
      message: `Checking ${input.fileName} for ${organisation.slug}: the dry run shows what it would do, with Apply and Cancel. Nothing changes before Apply.`,
    };
  },
});

/** The organisation named, or the only one the caller's grant lets them import into. */
async function importedInto(ctx: ActionContext, slug: string | undefined): Promise<IOrganisation> {
  if (slug !== undefined) return organisationBySlug(ctx.em, slug);
  const scope = ctx.organisationsInScope();
  const only = scope?.length === 1 ? await ctx.em.findOne(Organisation, { id: scope[0]! }) : null;
  if (!only) throw new RefusedError('Say which organisation the accounts go to: `import org:<slug>`.', 'invalid-input');
  return only;
}
