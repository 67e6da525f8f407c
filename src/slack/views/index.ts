import type { App } from '@slack/bolt';
import type { PlainTextOption } from '@slack/types';
import { requestActor, type ListenerDeps } from '../context.ts';
import { GROUP_PICK_ACTION_ID, groupOptions } from '../options/groupPick.ts';
import { registerCreateAccountView } from './createAccount.ts';
import { registerEditAccountView } from './editAccount.ts';
import { registerImportView } from './importAccounts.ts';
import { registerMoreActionsView } from './moreActions.ts';
import { registerBulkValueView } from './bulkValue.ts';
import { registerGroupPeopleViews } from './groupPeople.ts';
import { BULK_GROUP_PICK_ACTION_ID } from '../blocks/bulk.ts';

/** The modals: the account forms (the card's Edit button and "More actions…" menu open them), the import form, the bulk change's role or group, a group card's person, and their group pickers. */
export function registerViews(app: App, deps: ListenerDeps): void {
  registerCreateAccountView(app, deps);
  registerEditAccountView(app, deps);
  registerMoreActionsView(app, deps);
  registerImportView(app, deps);
  registerBulkValueView(app, deps);
  registerGroupPeopleViews(app, deps);
  for (const pickerId of [GROUP_PICK_ACTION_ID, BULK_GROUP_PICK_ACTION_ID]) {
    app.options(pickerId, async ({ ack, body, context }) => {
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
}
