import type { App, BlockExternalSelectAction } from '@slack/bolt';
import { runAction } from '../actions/action.ts';
import { lookupAccount } from '../actions/accounts/lookupAccount.ts';
import { homeOverview } from '../actions/home/homeOverview.ts';
import { RefusedError } from '../domain/errors.ts';
import { HOME_FIND_ACTION_ID, homeView } from './blocks/home.ts';
import { lookupReply } from './blocks/lookupReply.ts';
import { mrkdwnSentence } from './blocks/text.ts';
import { type ListenerDeps, requestActor, requestCaller } from './context.ts';
import { answerTo, answering } from './replies.ts';

/**
 * The Home tab: built when opened (and kept current by jobs/homeViews.ts after changes); its picker searches as the
 * account picker does (src/slack/options), and a picked account's card comes as a DM, where its buttons work as anywhere.
 */
export function registerHome(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', async ({ event, client, context }) => {
    if (event.tab !== 'home') return;
    const { services } = deps;
    try {
      const overview = await runAction(services, homeOverview, requestActor(context), {});
      await client.views.publish({ user_id: event.user, view: homeView(overview, new Date()) });
      await services.home?.opened(event.user);
    } catch (error) {
      if (!(error instanceof RefusedError)) throw error;
      await client.views.publish({
        user_id: event.user,
        view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:no_entry: ${mrkdwnSentence(error.userMessage)}` } }] },
      });
    }
  });

  app.action<BlockExternalSelectAction>(HOME_FIND_ACTION_ID, async ({ ack, body, action, client, context }) => {
    await ack();
    const { services } = deps;
    // Home has no channel to answer in: the card comes as a DM from the app.
    const answer = answerTo(client, services.logger, body.user.id, {});
    await answering(answer, services.logger, async () => {
      const caller = requestCaller(deps, context);
      const found = await runAction(services, lookupAccount, caller.actor, { query: action.selected_option?.value ?? '' });
      await answer.privately(lookupReply(found, caller.reader));
    });
  });
}
