import type { App, BlockButtonAction, ViewOutput, ViewSubmitAction } from '@slack/bolt';
import { runAction } from '../../actions/action.ts';
import { editAccount } from '../../actions/accounts/editAccount.ts';
import { RefusedError } from '../../domain/errors.ts';
import { EDIT_ACCOUNT_CALLBACK_ID, EDIT_FIELD_BLOCKS, sentenceModal } from '../blocks/accountModals.ts';
import { EDIT_BUTTON_ACTION_ID, parseCardActionValue } from '../blocks/cardActions.ts';
import { escapeMrkdwn } from '../blocks/text.ts';
import { requestCaller, type ListenerDeps } from '../context.ts';
import { actionPlace } from '../places.ts';
import { answerTo, answering, showOutcome } from '../replies.ts';
import { fieldErrors } from './formErrors.ts';
import { readEditMetadata } from './modalMetadata.ts';
import { openEditAccountModal } from './openAccountModals.ts';
import { stateReader } from './stateReader.ts';
import { submitting } from './submitting.ts';

const b = EDIT_FIELD_BLOCKS;
const TITLE = 'Edit account';

export function registerEditAccountView(app: App, deps: ListenerDeps): void {
  // "Edit" on the account card (admins only see it). The modal shows the account as it is now, not as the card was.
  app.action<BlockButtonAction>(EDIT_BUTTON_ACTION_ID, async ({ ack, body, action, client, context }) => {
    await ack();
    const { services } = deps;
    const place = actionPlace(body);
    await answering(answerTo(client, services.logger, body.user.id, place), services.logger, async () => {
      const target = parseCardActionValue(action.value ?? '');
      if (!target) throw new RefusedError('That button is not one Roster knows; look the account up again.', 'invalid-input');
      const caller = requestCaller(deps, context);
      const { actor } = caller;
      await openEditAccountModal({ services, client, actor, triggerId: body.trigger_id, place }, target.accountId);
    });
  });

  // The submission runs `edit` against the version the form was opened with: a change made meanwhile is refused whole.
  app.view<ViewSubmitAction>(EDIT_ACCOUNT_CALLBACK_ID, async ({ ack, view, client, context }) => {
    const { services } = deps;
    await submitting(ack, services.logger, TITLE, async () => {
      const opened = readEditMetadata(view.private_metadata);
      if (!opened)
        return { response: { response_action: 'update', view: sentenceModal(TITLE, [':warning: This form is out of date; close it and open it again.']) } };
      const input = readEditForm(view);
      const caller = requestCaller(deps, context);
      const { actor } = caller;
      let outcome: Awaited<ReturnType<typeof editAccount.run>>;
      try {
        outcome = await runAction(services, editAccount, actor, { account: opened.accountId, expectedVersion: opened.version, ...input });
      } catch (error) {
        if (!(error instanceof RefusedError)) throw error;
        const errors = fieldErrors(error, editAccount.input, { account: opened.accountId, ...input }, b);
        if (errors) return { response: { response_action: 'errors', errors } };
        const sentences = error.code === 'conflict' ? staleSentences(input) : [`:no_entry: ${error.userMessage}`];
        return { response: { response_action: 'update', view: sentenceModal(TITLE, sentences) } };
      }
      const answer = answerTo(client, services.logger, actor.id, opened.place);
      return { afterwards: () => showOutcome(answer, services, caller, outcome, 'replace') };
    });
  });
}

function readEditForm(view: ViewOutput) {
  const read = stateReader(view);
  return {
    firstName: read.text(b.firstName),
    lastName: read.text(b.lastName),
    username: read.text(b.username),
    email: read.text(b.email),
    organisation: read.selected(b.organisation),
  };
}

/** Not a problem with any one field: the whole form shows values that are no longer current. What was typed is kept to copy. */
function staleSentences(input: ReturnType<typeof readEditForm>): string[] {
  const typed = [
    `First name: ${input.firstName}`,
    `Last name: ${input.lastName}`,
    `Username: ${input.username}`,
    `Email: ${input.email}`,
    `Organisation: ${input.organisation ?? ''}`,
  ];
  return [
    ':warning: This account was changed by someone else meanwhile; nothing was changed. Close this form and open it again to edit the current values.',
    `What you entered:\n${escapeMrkdwn(typed.join('\n'))}`,
  ];
}
