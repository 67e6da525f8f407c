import { z } from 'zod';
import { copyJobItems, discardJobItems, type StagedItem } from '../../../db/bulkJobs.ts';
import { defineAction } from '../../action.ts';
import { candidateSchema, IMPORT_CHECK_BATCH } from './classifyImport.ts';
import { loadImportJob, newAccountValues, type StagedRow } from './importJob.ts';
import type { ImportCandidate } from './importRows.ts';

const errorSchema = z.object({ column: z.string().max(200), reason: z.string().max(1000) });

/** One row as the dry run decided it: what Apply would do with it, or why it cannot be imported. */
const rowSchema = z.discriminatedUnion('verdict', [
  z.object({
    seq: z.number().int().positive(),
    verdict: z.enum(['create', 'update', 'unchanged']),
    accountId: z.uuid().nullable(),
    candidate: candidateSchema,
  }),
  z.object({ seq: z.number().int().positive(), verdict: z.literal('invalid'), errors: z.array(errorSchema).min(1) }),
]);

export type CheckedRow =
  | { seq: number; verdict: 'create' | 'update' | 'unchanged'; accountId: string | null; candidate: ImportCandidate }
  | { seq: number; verdict: 'invalid'; errors: { column: string; reason: string }[] };

/**
 * Keeps a batch of an import's rows as its dry run read and decided them, so Apply applies exactly those rows, never a
 * second reading of the file. Once the import is cancelled, nothing more is staged and the dry run is told to stop.
 */
export const stageImportRows = defineAction({
  name: 'import-stage',
  describedAs: 'importing accounts',
  requires: 'admin',
  input: z.object({ jobId: z.uuid(), rows: z.array(rowSchema).max(IMPORT_CHECK_BATCH) }),
  async run(ctx, { jobId, rows }): Promise<{ stopped: boolean }> {
    const { params } = await loadImportJob(ctx, jobId);
    const copied = await copyJobItems(
      ctx.em,
      jobId,
      'checking',
      rows.map((row): StagedItem => {
        if (row.verdict === 'invalid')
          return { seq: row.seq, state: 'refused', accountId: null, data: { errors: row.errors }, detail: errorsDetail(row.errors) };
        if (row.verdict === 'unchanged')
          return { seq: row.seq, state: 'unchanged', accountId: row.accountId, data: { candidate: row.candidate }, detail: null };
        const staged: StagedRow =
          row.verdict === 'create'
            ? { verdict: 'create', candidate: row.candidate, account: newAccountValues(row.candidate, params) }
            : { verdict: 'update', candidate: row.candidate };
        return { seq: row.seq, state: 'pending', accountId: row.accountId, data: { ...staged }, detail: null };
      }),
    );
    return { stopped: !copied };
  },
});

/**
 * Empties an import's stage before its dry run reads the file: one read again after its worker died stages every row
 * afresh. Stopped: the import was cancelled meanwhile.
 */
export const restartImportStaging = defineAction({
  name: 'import-restart',
  describedAs: 'importing accounts',
  requires: 'admin',
  input: z.object({ jobId: z.uuid() }),
  async run(ctx, { jobId }): Promise<{ stopped: boolean }> {
    const { job } = await loadImportJob(ctx, jobId, { lock: 'exclusive' });
    if (job.state !== 'checking') return { stopped: true };
    await discardJobItems(ctx.em, jobId);
    return { stopped: false };
  },
});

/** A refused row's errors in one line, for summaries: the first, and how many more the error report lists. */
export function errorsDetail(errors: readonly { column: string; reason: string }[]): string {
  const [first] = errors;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `${first!.column}: ${first!.reason}${more}`.slice(0, 500);
}
