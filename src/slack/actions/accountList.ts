import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { runAction } from '../../actions/action.ts';
import { listAccounts } from '../../actions/accounts/listAccounts.ts';
import { RefusedError } from '../../domain/errors.ts';
import { ACCOUNT_LIST_ACTIONS } from '../blocks/accountList.ts';
import { showList } from '../commands/users.ts';
import { type ListenerDeps, requestCaller } from '../context.ts';
import { actionPlace } from '../places.ts';
import { answerTo, answering } from '../replies.ts';

const buttonValue = z.object({ filter: z.string(), after: z.string().optional(), before: z.string().optional() });

/** Next, Previous and Reset filters on a list: the page the button names replaces the list in place. */
export function registerAccountListActions(app: App, deps: ListenerDeps): void {
  for (const actionId of Object.values(ACCOUNT_LIST_ACTIONS)) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, client, context }) => {
      await ack();
      const { services } = deps;
      const answer = answerTo(client, services.logger, body.user.id, actionPlace(body));
      await answering(answer, services.logger, async () => {
        const value = buttonValue.safeParse(parseJson(action.value ?? ''));
        if (!value.success) throw new RefusedError('That button is not one Roster knows; type `/users list` again.', 'invalid-input');
        const { actor } = requestCaller(deps, context);
        await showList(answer, () => runAction(services, listAccounts, actor, value.data), 'replace');
      });
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
