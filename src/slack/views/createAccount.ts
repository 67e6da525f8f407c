import type { App, ViewOutput, ViewSubmitAction } from '@slack/bolt';
import { runAction } from '../../actions/action.ts';
import { createAccount } from '../../actions/accounts/createAccount.ts';
import { RefusedError } from '../../domain/errors.ts';
import { CREATE_ACCOUNT_CALLBACK_ID, CREATE_FIELD_BLOCKS, SEND_INVITATION } from '../blocks/accountModals.ts';
import { type ListenerDeps, requestCaller } from '../context.ts';
import { answerTo, showOutcome } from '../replies.ts';
import { asFieldMessage, type FieldErrors, fieldErrors } from './formErrors.ts';
import { readCreateMetadata } from './modalMetadata.ts';
import { stateReader } from './stateReader.ts';
import { submitting } from './submitting.ts';

const b = CREATE_FIELD_BLOCKS;

/**
 * The create modal's submission runs `createAccount` with the chosen groups, all or nothing; a refusal stays on the
 * modal under the field it is about and changes nothing. Created, the modal closes and the account's card goes to the
 * person who asked.
 */
export function registerCreateAccountView(app: App, deps: ListenerDeps): void {
  app.view<ViewSubmitAction>(CREATE_ACCOUNT_CALLBACK_ID, async ({ ack, view, client, context }) => {
    const { services } = deps;
    await submitting(ack, services.logger, 'Add an account', async () => {
      const input = readCreateForm(view);
      const caller = requestCaller(deps, context);
      const { actor } = caller;
      let created: Awaited<ReturnType<typeof createAccount.run>>;
      try {
        created = await runAction(services, createAccount, actor, input);
      } catch (error) {
        if (error instanceof RefusedError) return { response: { response_action: 'errors', errors: createRefusalErrors(error, input) } };
        throw error;
      }
      const answer = answerTo(client, services.logger, actor.id, readCreateMetadata(view.private_metadata));
      return { afterwards: () => showOutcome(answer, services, caller, created, 'replace') };
    });
  });
}

function readCreateForm(view: ViewOutput) {
  const read = stateReader(view);
  return {
    firstName: read.text(b.firstName),
    lastName: read.text(b.lastName),
    email: read.text(b.email),
    username: read.text(b.username) || undefined,
    role: read.selected(b.role),
    organisation: read.selected(b.organisation),
    sendInvitation: read.selectedMany(b.sendInvitation).includes(SEND_INVITATION),
    groups: read.selectedMany(b.groups),
  };
}

/** A refusal under the field it is about; one about no field of the form (the organisation's grant) under the organisation. */
function createRefusalErrors(error: RefusedError, input: ReturnType<typeof readCreateForm>): FieldErrors {
  return fieldErrors(error, createAccount.input, input, b) ?? { [b.organisation]: asFieldMessage(error.userMessage) };
}
