import type { App } from '@slack/bolt';
import type { Actor } from '../../actions/actor.ts';
import { BULK_CHANGE_NAMES, bulkChangeTakes } from '../../actions/accounts/bulk/bulkChanges.ts';
import { listBulkJobs } from '../../actions/accounts/bulk/listBulkJobs.ts';
import { startBulkJob } from '../../actions/accounts/bulk/startBulkJob.ts';
import { organisationsWithRole } from '../../domain/roles.ts';
import { exportAccounts } from '../../actions/accounts/exportAccounts.ts';
import { previewBulkJob } from '../../actions/accounts/bulk/previewBulkJob.ts';
import { bulkJobsReply, bulkPreviewReply } from '../blocks/bulk.ts';
import { pendingRequestsReply } from '../blocks/approvalRequest.ts';
import { listApprovals } from '../../actions/approvals/listApprovals.ts';
import { runAction } from '../../actions/action.ts';
import { type AccountPage, listAccounts } from '../../actions/accounts/listAccounts.ts';
import { RefusedError } from '../../domain/errors.ts';
import { accountListReply } from '../blocks/accountList.ts';
import { sentenceBlocks } from '../blocks/usage.ts';
import { usersNotYet, usersUsageBlocks, type UsersSubcommand } from '../blocks/usersUsage.ts';
import { type ListenerDeps, requestCaller } from '../context.ts';
import type { Message } from '../delivery.ts';
import { type Answer, answerTo, answering } from '../replies.ts';
import { plainCommandText } from './parseUserCommand.ts';
import { requestImportTemplate } from '../../actions/accounts/import/importForms.ts';
import { openImportModal } from '../views/importAccounts.ts';

const NOT_YET = new Set(['audit']);
const HELP = new Set(['help', '-h', '--help', '?']);

/**
 * `/users` alone or `/users list [filters]` lists accounts; any other words are taken as a filter too
 * (`/users status:locked-out`). `import`, `export`, `bulk` and `jobs` work on many accounts, `approvals` lists the
 * requests that wait for a decision; the subcommands still to
 * come answer honestly that they are not here yet.
 */
export function registerUsersCommand(app: App, deps: ListenerDeps): void {
  app.command('/users', async ({ ack, command, client, context }) => {
    await ack();
    const { services } = deps;
    const answer = answerTo(client, services.logger, command.user_id, { channel: command.channel_id, responseUrl: command.response_url });
    await answering(answer, services.logger, async () => {
      const text = plainCommandText(command.text);
      const [first = '', ...rest] = text.split(/\s+/);
      const sub = first.toLowerCase();
      if (HELP.has(sub)) {
        await answer.privately({ text: 'How to use /users', blocks: usersUsageBlocks() });
        return;
      }
      if (sub === 'bulk') {
        const asked = bulkRequest(rest.join(' '));
        if (!asked) {
          await answer.privately({
            text: 'How to use /users bulk',
            blocks: usersUsageBlocks('Say which change: `/users bulk <change> [filters] [--reason <text>]`.', 'bulk'),
          });
          return;
        }
        await showOrUsage(
          answer,
          async () => bulkPreviewReply(await runAction(services, previewBulkJob, requestCaller(deps, context).actor, asked)),
          'privately',
          'bulk',
        );
        return;
      }
      if (sub === 'export') {
        const { filter, format } = exportRequest(rest.join(' '));
        const actor = requestCaller(deps, context).actor;
        await showOrUsage(
          answer,
          async () => {
            const started = await runAction(services, exportAccounts, actor, { filter, format, channel: command.channel_id });
            return { text: started.message, blocks: sentenceBlocks(started.message, ':outbox_tray:') };
          },
          'privately',
          'export',
        );
        return;
      }
      if (sub === 'import') {
        const { actor } = requestCaller(deps, context);
        if (rest.length === 1 && rest[0]!.toLowerCase() === 'template') {
          const sent = await runAction(services, requestImportTemplate, actor, { channel: command.channel_id });
          await answer.privately({ text: sent.message, blocks: sentenceBlocks(sent.message, ':page_facing_up:') });
          return;
        }
        if (rest.length > 0) {
          const problem = '`/users import` opens a form to share the file; `/users import template` gives an example file.';
          await answer.privately({ text: problem, blocks: usersUsageBlocks(problem, 'import') });
          return;
        }
        const request = { services, client, actor, triggerId: command.trigger_id, place: { channel: command.channel_id } };
        await openImportModal(request, deps.importLimits);
        return;
      }
      if (sub === 'jobs') {
        await answer.privately(bulkJobsReply(await runAction(services, listBulkJobs, requestCaller(deps, context).actor, {})));
        return;
      }
      if (sub === 'approvals') {
        await answer.privately(pendingRequestsReply(await runAction(services, listApprovals, requestCaller(deps, context).actor, {})));
        return;
      }
      if (NOT_YET.has(sub)) {
        const sentence = usersNotYet(sub);
        await answer.privately({ text: sentence, blocks: sentenceBlocks(sentence, ':construction:') });
        return;
      }
      const filter = sub === 'list' ? rest.join(' ') : text;
      const { actor } = requestCaller(deps, context);
      await showList(answer, () => runAction(services, listAccounts, actor, { filter }), 'privately', actor);
    });
  });
}

/** `[filters] [format:csv|xlsx]` after `/users export`: the format word is taken out, the rest is the filter. */
function exportRequest(text: string): { filter: string; format?: string } {
  const words = text.split(/\s+/).filter(Boolean);
  const format = words.find((word) => /^format:/i.test(word));
  return { filter: words.filter((word) => word !== format).join(' '), ...(format ? { format: format.slice('format:'.length).toLowerCase() } : {}) };
}

/** One word, or several in straight or curly quotes. */
const WORD = '(?:"([^"]*)"|“([^”]*)”|(\\S+))';

/**
 * `<change> [<role or group>] [filters] [--reason <text>]` after `/users bulk`: the reason and a group may be quoted;
 * a role or group follows the changes that take one; the rest is the filter.
 */
function bulkRequest(text: string): { change: string; value?: string; filter: string; reason?: string } | null {
  const reason = new RegExp(`\\s--reason\\s+${WORD}`).exec(` ${text}`);
  const rest = reason ? ` ${text}`.replace(reason[0], '').trim() : text.trim();
  const [, named, afterChange = ''] = /^(\S+)\s*(.*)$/s.exec(rest) ?? [];
  if (!named) return null;
  const change = named.toLowerCase();
  const taken = bulkChangeTakes(change) ? new RegExp(`^${WORD}\\s*(.*)$`, 's').exec(afterChange) : null;
  const value = taken ? wordOf(taken) : undefined;
  const filter = (taken ? taken[4]! : afterChange).split(/\s+/).filter(Boolean).join(' ');
  const because = reason ? wordOf(reason) : undefined;
  return { change, ...(value ? { value } : {}), filter, ...(because ? { reason: because } : {}) };
}

function wordOf(match: RegExpExecArray): string | undefined {
  return match[1] ?? match[2] ?? match[3];
}

/**
 * Shows a page of the list, with Export and bulk changes over it for a reader whose grant may make them (admin);
 * a filter that cannot be read is answered with the usage, under the sentence saying why.
 */
export function showList(answer: Answer, list: () => Promise<AccountPage>, how: 'replace' | 'privately', actor: Actor): Promise<void> {
  const mayChangeMany = organisationsWithRole(actor.grants, startBulkJob.requires)?.length !== 0;
  return showOrUsage(answer, async () => accountListReply(await list(), { bulk: mayChangeMany ? BULK_CHANGE_NAMES : [] }), how);
}

async function showOrUsage(answer: Answer, reply: () => Promise<Message>, how: 'replace' | 'privately', subcommand?: UsersSubcommand): Promise<void> {
  try {
    await answer[how](await reply());
  } catch (error) {
    if (!(error instanceof RefusedError && error.code === 'invalid-input')) throw error;
    await answer.privately({ text: error.userMessage, blocks: usersUsageBlocks(error.userMessage, subcommand) });
  }
}
