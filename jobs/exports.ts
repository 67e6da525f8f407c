import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { WebClient } from '@slack/web-api';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { type ActionServices, type ExportQueue, type ExportRequest, runAction } from '../src/actions/action.ts';
import { type Actor, slackActor } from '../src/actions/actor.ts';
import { exportSelection } from '../src/actions/accounts/exportAccounts.ts';
import { type ExportRow, selectionExportRows } from '../src/db/accountList.ts';
import { RefusedError } from '../src/domain/errors.ts';
import { writeAccountExport } from './accountExport.ts';
import { handOff } from './handOff.ts';
import { EXPORT_JOB, type Queues } from './queues.ts';
import { SlackFileError, uploadSlackFile } from './slackFiles.ts';

export function exportQueue(queues: Queues, logger: Logger): ExportQueue {
  return {
    async start(request) {
      const jobId = `export-${randomUUID()}`;
      await handOff(queues.exports.add(EXPORT_JOB, request, { jobId }), logger, { queue: queues.exports.name, exportJobId: jobId });
    },
  };
}

/** While an export streams, the grant of the person who asked is read again after every this many accounts. */
export const EXPORT_GRANT_CHECK_EVERY = 50_000;

/**
 * The accounts of an export, as the database streams them, within the grant of the person who asked: read again every
 * `grantCheckEvery` accounts, and once it no longer covers every organisation the export began with, the export stops
 * with the sentence Roster gives any refusal by role.
 */
export async function* exportedAccounts(
  services: ActionServices,
  actor: Actor,
  filter: string,
  grantCheckEvery = EXPORT_GRANT_CHECK_EVERY,
): AsyncGenerator<ExportRow> {
  const selection = await runAction(services, exportSelection, actor, { filter });
  let unchecked = 0;
  for await (const rows of selectionExportRows(services.orm.em.fork(), selection)) {
    unchecked += rows.length;
    if (unchecked >= grantCheckEvery) {
      unchecked = 0;
      await runAction(services, exportSelection, actor, { filter, stillCovered: selection.organisationIds });
    }
    yield* rows;
  }
}

export interface ExportDeps extends ActionServices {
  slack: WebClient;
}

/**
 * Streams the accounts, a page at a time, into a CSV or XLSX file that goes to Slack as it is written, so memory stays
 * flat whatever the number of accounts. Each page is read as the person who asked, with their grant read again; a
 * grant revoked meanwhile ends the export with a sentence to them.
 */
export async function processExport(job: Job<ExportRequest>, deps: ExportDeps): Promise<number> {
  const { requestedBy, filter, format, channel } = job.data;
  const actor = await slackActor(deps.orm.em, requestedBy);
  const file = new PassThrough();
  const day = new Date().toISOString().slice(0, 10);
  try {
    const [count] = await Promise.all([
      writeAccountExport(exportedAccounts(deps, actor, filter), format, file),
      uploadSlackFile(deps.slack, {
        to: channel,
        filename: `roster-accounts-${day}.${format}`,
        title: `Accounts${filter ? ` (${filter})` : ''}, ${day}`,
        initialComment: `<@${requestedBy}>'s export${filter ? ` of \`${filter.replace(/`/g, "'")}\`` : ''}: every cell that a spreadsheet would run as a formula starts with a quote.`,
        content: file,
      }),
    ]);
    return count;
  } catch (error) {
    file.destroy();
    const told = error instanceof RefusedError ? error.userMessage : error instanceof SlackFileError ? error.message : undefined;
    await deps.slack.chat
      .postMessage({ channel: requestedBy, text: `Your export stopped: ${told ?? EXPORT_FAILED}` })
      .catch((tellError: unknown) => deps.logger.warn({ err: tellError }, 'could not tell of a stopped export'));
    // Anything but a refusal stays a failed job, with its error in the worker's log.
    if (error instanceof RefusedError) return 0;
    throw error;
  }
}

const EXPORT_FAILED = 'it failed on an error, which the worker logged; ask for it again.';
