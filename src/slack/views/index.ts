import type { App } from '@slack/bolt';
import type { PlainTextOption } from '@slack/types';
import { requestActor, type ListenerDeps } from '../context.ts';
import { GROUP_PICK_ACTION_ID, groupOptions } from '../options/groupPick.ts';
import { registerCreateAccountView } from './createAccount.ts';
import { registerEditAccountView } from './editAccount.ts';
import { registerImportView } from './importAccounts.ts';
import { registerMoreActionsView } from './moreActions.ts';

/** The account and import modals: their submissions, the card's Edit button and "More actions…" menu that open one, and the create modal's group picker. */
export function registerViews(app: App, deps: ListenerDeps): void {
  registerCreateAccountView(app, deps);
  registerEditAccountView(app, deps);
  registerMoreActionsView(app, deps);
  registerImportView(app, deps);
  app.options(GROUP_PICK_ACTION_ID, async ({ ack, body, context }) => {
    const { services } = deps;
    let options: PlainTextOption[] = [];
    try {
      options = await groupOptions(services, requestActor(context), body.value);
    } catch (error) {
      // An options request cannot show an error; the picker offers nothing, and the log has why.
      services.logger.error({ err: error }, 'group picker options failed');
    }
    await ack({ options });
  });
}
