import type { App, BlockButtonAction } from '@slack/bolt';
import { runAction } from '../../actions/action.ts';
import type { AccountOutcome } from '../../actions/accounts/account.ts';
import { lookupAccount } from '../../actions/accounts/lookupAccount.ts';
import { actionsByName } from '../../actions/registry.ts';
import { findAccountCard } from '../../db/accountCards.ts';
import { RefusedError } from '../../domain/errors.ts';
import { CARD_ACTION_PREFIX, parseCardActionValue } from '../blocks/cardActions.ts';
import { cardReply, lookupReply } from '../blocks/lookupReply.ts';
import { secretReply } from '../blocks/secretReply.ts';
import { requestActor, requestServices, type ListenerDeps } from '../context.ts';
import { answering, replyWithAccount, type Message } from '../replies.ts';

export function registerActions(app: App, deps: ListenerDeps): void {
  // "Open" next to one of several name matches: replace the list with that account's card.
  app.action<BlockButtonAction>('account.open', async ({ ack, action, respond, context }) => {
    await ack();
    const services = requestServices(deps, context);
    await answering(respond, services.logger, async () => {
      const actor = requestActor(context);
      const result = await runAction(services, lookupAccount, actor, { query: action.value ?? '' });
      await respond({ replace_original: true, ...lookupReply(result, actor.grants) });
    });
  });

  // A button on the account card. The message is edited in place so a channel shows the truth; a click made on a
  // stale card is refused and the card refreshed instead.
  app.action<BlockButtonAction>(new RegExp(`^${CARD_ACTION_PREFIX.replace('.', '\\.')}`), async ({ ack, body, action, respond, client, context }) => {
    await ack();
    const services = requestServices(deps, context);
    const replaceMessage = (message: Message) =>
      body.container.is_ephemeral || !body.channel?.id || !body.message?.ts
        ? respond({ replace_original: true, ...message })
        : client.chat.update({ channel: body.channel.id, ts: body.message.ts, ...message });
    await answering(respond, services.logger, async () => {
      const definition = actionsByName.get(action.action_id.slice(CARD_ACTION_PREFIX.length));
      const target = parseCardActionValue(action.value ?? '');
      if (!definition?.onCard || !target) throw new RefusedError('That button is not one Roster knows; look the account up again.', 'invalid-input');
      const actor = requestActor(context);
      try {
        const outcome = (await runAction(services, definition, actor, {
          account: target.accountId,
          expectedVersion: target.expectedVersion,
        } as never)) as AccountOutcome;
        await replyWithAccount(services, actor, outcome, replaceMessage);
        // The card may be a channel message that everyone sees: a secret goes to the clicker alone.
        if (outcome.secret) await respond({ response_type: 'ephemeral', replace_original: false, ...secretReply(outcome.secret) });
      } catch (error) {
        const card =
          error instanceof RefusedError && error.code === 'conflict'
            ? await findAccountCard(services.orm.em.fork(), { by: 'id', value: target.accountId })
            : null;
        if (!card) throw error;
        await replaceMessage(cardReply(card, actor.grants, `:warning: ${(error as RefusedError).userMessage}`));
      }
    });
  });
}
