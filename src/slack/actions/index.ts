import type { App, BlockButtonAction } from '@slack/bolt';
import { runAction } from '../../actions/action.ts';
import { slackActor } from '../../actions/actor.ts';
import { lookupAccount } from '../../actions/lookupAccount.ts';
import { lookupReply } from '../blocks/lookupReply.ts';
import { requestServices, type ListenerDeps } from '../context.ts';
import { answering } from '../replies.ts';

export function registerActions(app: App, deps: ListenerDeps): void {
  // "Open" next to one of several name matches: replace the list with that account's card.
  app.action<BlockButtonAction>('account.open', async ({ ack, body, action, respond, context }) => {
    await ack();
    const services = requestServices(deps, context);
    await answering(respond, services.logger, async () => {
      const actor = await slackActor(services.orm.em, body.user.id);
      const result = await runAction(services, lookupAccount, actor, { query: action.value ?? '' });
      await respond({ replace_original: true, ...lookupReply(result) });
    });
  });
}
