import type { App } from '@slack/bolt';
import { runAction } from '../../actions/action.ts';
import { type AccountPage, listAccounts } from '../../actions/accounts/listAccounts.ts';
import { RefusedError } from '../../domain/errors.ts';
import { accountListReply } from '../blocks/accountList.ts';
import { sentenceBlocks } from '../blocks/usage.ts';
import { USERS_NOT_YET, usersUsageBlocks } from '../blocks/usersUsage.ts';
import { type ListenerDeps, requestCaller } from '../context.ts';
import { type Answer, answerTo, answering } from '../replies.ts';
import { plainCommandText } from './parseUserCommand.ts';

const NOT_YET = new Set(['import', 'export', 'bulk', 'jobs', 'approvals', 'audit']);
const HELP = new Set(['help', '-h', '--help', '?']);

/**
 * `/users` alone or `/users list [filters]` lists accounts; any other words are taken as a filter too
 * (`/users status:locked-out`). The subcommands still to come answer honestly that they are not here yet.
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
      if (NOT_YET.has(sub)) {
        await answer.privately({ text: USERS_NOT_YET, blocks: sentenceBlocks(USERS_NOT_YET, ':construction:') });
        return;
      }
      const filter = sub === 'list' ? rest.join(' ') : text;
      await showList(answer, () => runAction(services, listAccounts, requestCaller(deps, context).actor, { filter }), 'privately');
    });
  });
}

/** Shows a page of the list; a filter that cannot be read is answered with the usage, under the sentence saying why. */
export async function showList(answer: Answer, list: () => Promise<AccountPage>, how: 'replace' | 'privately'): Promise<void> {
  try {
    await answer[how](accountListReply(await list()));
  } catch (error) {
    if (!(error instanceof RefusedError && error.code === 'invalid-input')) throw error;
    await answer.privately({ text: error.userMessage, blocks: usersUsageBlocks(error.userMessage) });
  }
}
