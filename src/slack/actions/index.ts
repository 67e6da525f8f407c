import type { App, BlockButtonAction } from '@slack/bolt';
import { runAction } from '../../actions/action.ts';
import { lookupAccount } from '../../actions/accounts/lookupAccount.ts';
import { cardActionsByName } from '../../actions/registry.ts';
import { RefusedError } from '../../domain/errors.ts';
import { CARD_ACTION_PREFIX, parseCardActionValue } from '../blocks/cardActions.ts';
import { cardReply, lookupReply } from '../blocks/lookupReply.ts';
import { type ListenerDeps, requestCaller } from '../context.ts';
import { actionPlace } from '../places.ts';
import { answerTo, answering, showOutcome } from '../replies.ts';
import { registerAccountListActions } from './accountList.ts';
import { registerBulkActions } from './bulk.ts';
import { registerHelpdeskAlertActions } from './helpdeskAlert.ts';
import { registerApprovalActions } from './approvals.ts';
import { registerImportActions } from './importActions.ts';

export function registerActions(app: App, deps: ListenerDeps): void {
  registerAccountListActions(app, deps);
  registerBulkActions(app, deps);
  registerHelpdeskAlertActions(app, deps);
  registerImportActions(app, deps);
  registerApprovalActions(app, deps);

  // "Open" next to one of several name matches: replace the list with that account's card.
  app.action<BlockButtonAction>('account.open', async ({ ack, body, action, client, context }) => {
    await ack();
    const { services } = deps;
    const answer = answerTo(client, services.logger, body.user.id, actionPlace(body));
    await answering(answer, services.logger, async () => {
      const caller = requestCaller(deps, context);
      const { actor } = caller;
      const result = await runAction(services, lookupAccount, actor, { query: action.value ?? '' });
      await answer.replace(lookupReply(result, caller.reader));
    });
  });

  // A button on the account card. The message is edited in place so a channel shows the truth; a click made on a
  // stale card is refused and the card refreshed instead.
  app.action<BlockButtonAction>(new RegExp(`^${CARD_ACTION_PREFIX.replace('.', '\\.')}`), async ({ ack, body, action, client, context }) => {
    await ack();
    const { services } = deps;
    const answer = answerTo(client, services.logger, body.user.id, actionPlace(body));
    await answering(answer, services.logger, async () => {
      const definition = cardActionsByName.get(action.action_id.slice(CARD_ACTION_PREFIX.length));
      const target = parseCardActionValue(action.value ?? '');
      if (!definition || !target) throw new RefusedError('That button is not one Roster knows; look the account up again.', 'invalid-input');
      const caller = requestCaller(deps, context);
      const { actor } = caller;
      try {
        const outcome = await runAction(services, definition, actor, { account: target.accountId, expectedVersion: target.expectedVersion });
        await showOutcome(answer, services, caller, outcome, 'replace');
      } catch (error) {
        if (!(error instanceof RefusedError && error.code === 'conflict')) throw error;
        const current = await runAction(services, lookupAccount, actor, { query: target.accountId });
        if (current.kind !== 'card') throw error;
        await answer.replace(cardReply(current.card, caller.reader, `:warning: ${error.userMessage}`));
      }
    });
  });
}
