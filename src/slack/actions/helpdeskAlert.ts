import type { App, BlockButtonAction } from '@slack/bolt';
import { runAction } from '../../actions/action.ts';
import { lookupAccount } from '../../actions/accounts/lookupAccount.ts';
import { unlockAccount } from '../../actions/accounts/unlockAccount.ts';
import { HELPDESK_LOOKUP_ACTION_ID, HELPDESK_UNLOCK_ACTION_ID } from '../blocks/helpdeskAlert.ts';
import { lookupReply } from '../blocks/lookupReply.ts';
import { type ListenerDeps, requestCaller } from '../context.ts';
import { actionPlace } from '../places.ts';
import { answerTo, answering, showOutcome } from '../replies.ts';

/**
 * The buttons of a lockout alert in the helpdesk channel. Unlock runs the same action as the card (helpdesk or
 * above); once it has committed, the alert is edited to say who unlocked it, as it is after an unlock from anywhere
 * else. A refusal goes to the clicker alone and the alert stays as it was.
 */
export function registerHelpdeskAlertActions(app: App, deps: ListenerDeps): void {
  app.action<BlockButtonAction>(HELPDESK_UNLOCK_ACTION_ID, async ({ ack, body, action, client, context }) => {
    await ack();
    const { services } = deps;
    // Only to the clicker: the alert itself is edited by the unlock's follow-up.
    const { channel } = actionPlace(body);
    const answer = answerTo(client, services.logger, body.user.id, { channel, responseUrl: body.response_url });
    await answering(answer, services.logger, async () => {
      const caller = requestCaller(deps, context);
      const outcome = await runAction(services, unlockAccount, caller.actor, { account: action.value ?? '' });
      await showOutcome(answer, services, caller, outcome, 'privately');
    });
  });

  app.action<BlockButtonAction>(HELPDESK_LOOKUP_ACTION_ID, async ({ ack, body, action, client, context }) => {
    await ack();
    const { services } = deps;
    const { channel } = actionPlace(body);
    const answer = answerTo(client, services.logger, body.user.id, { channel, responseUrl: body.response_url });
    await answering(answer, services.logger, async () => {
      const caller = requestCaller(deps, context);
      await answer.privately(lookupReply(await runAction(services, lookupAccount, caller.actor, { query: action.value ?? '' }), caller.reader));
    });
  });
}
