import type { App } from '@slack/bolt';
import type { PlainTextOption } from '@slack/types';
import { requestActor, type ListenerDeps } from '../context.ts';
import { HOME_FIND_ACTION_ID } from '../blocks/home.ts';
import { ACCOUNT_PICK_ACTION_ID, accountOptions } from './accountPick.ts';

/** External select menus: Slack asks for options (block_suggestion) as the user types, and waits at most 3 seconds. */
export function registerOptions(app: App, deps: ListenerDeps): void {
  // The modals' account picker and the Home tab's "Find an account" offer the same accounts.
  app.options(new RegExp(`^(${ACCOUNT_PICK_ACTION_ID}|${HOME_FIND_ACTION_ID})$`.replaceAll('.', '\\.')), async ({ ack, body, context }) => {
    const { services } = deps;
    let options: PlainTextOption[] = [];
    try {
      options = await accountOptions(services, requestActor(context), body.value);
    } catch (error) {
      // An options request cannot show an error; the picker just offers nothing, and the log has why.
      services.logger.error({ err: error }, 'account picker options failed');
    }
    await ack({ options });
  });
}
