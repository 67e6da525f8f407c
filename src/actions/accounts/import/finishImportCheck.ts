import { z } from 'zod';
import { jobCounts, pendingVerdicts, refreshItemStatistics } from '../../../db/bulkJobs.ts';
import { defineAction } from '../../action.ts';
import type { ImportCheck } from './classifyImport.ts';
import { IMPORT_FORMATS, importParamsSchema, loadImportJob } from './importJob.ts';

export interface ImportPreview {
  jobId: string;
  fileName: string;
  organisation: string;
  sendInvitations: boolean;
  format: (typeof IMPORT_FORMATS)[number];
  layoutName: string;
  unknownColumns: string[];
  ignoredColumns: { column: string; reason: string }[];
  /** Data rows read. */
  rows: number;
  counts: ImportCheck['counts'];
  /** Whether Apply would change anything: the job waits for Apply, or it is done already. */
  applicable: boolean;
  requestedBy: string;
  channel: string | null;
  messageTs: string | null;
}

/**
 * Ends an import's dry run once every row is staged: it keeps what the file's columns were, counts what Apply would
 * do from the staged rows themselves, and waits for Apply (or, with nothing to create or update, is done). Returns
 * null for an import cancelled meanwhile.
 */
export const finishImportCheck = defineAction({
  name: 'import-preview',
  describedAs: 'importing accounts',
  requires: 'admin',
  input: z.object({
    jobId: z.uuid(),
    format: z.enum(IMPORT_FORMATS),
    layoutName: z.string().max(200),
    unknownColumns: importParamsSchema.shape.unknownColumns.unwrap(),
    ignoredColumns: importParamsSchema.shape.ignoredColumns.unwrap(),
    columnNames: importParamsSchema.shape.columnNames.unwrap(),
  }),
  async run(ctx, { jobId, columnNames, ...columns }): Promise<ImportPreview | null> {
    const { job, params } = await loadImportJob(ctx, jobId, { lock: 'exclusive' });
    if (job.state !== 'checking') return null;
    const [counts, verdicts] = await Promise.all([jobCounts(ctx.em, jobId), pendingVerdicts(ctx.em, jobId)]);
    const applicable = verdicts.create + verdicts.update > 0;
    job.params = { ...params, ...columns, columnNames };
    job.total = counts.pending + counts.refused + counts.unchanged;
    job.state = applicable ? 'previewed' : 'done';
    if (applicable) await refreshItemStatistics(ctx.em);
    else job.finishedAt = new Date();
    return {
      jobId,
      fileName: params.fileName,
      organisation: params.organisation,
      sendInvitations: params.sendInvitations,
      ...columns,
      rows: job.total,
      counts: { ...verdicts, unchanged: counts.unchanged, invalid: counts.refused },
      applicable,
      requestedBy: job.requestedBy,
      channel: job.channel ?? null,
      messageTs: job.messageTs ?? null,
    };
  },
});
