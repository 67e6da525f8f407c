import type { App, BlockButtonAction, ViewSubmitAction } from '@slack/bolt';
import { runAction } from '../../actions/action.ts';
import { approveRequest, rejectRequest } from '../../actions/approvals/decideRequest.ts';
import { RefusedError } from '../../domain/errors.ts';
import { sentenceModal } from '../blocks/accountModals.ts';
import { APPROVE_ACTION_ID, REJECT_ACTION_ID, REJECT_CALLBACK_ID, rejectReasonModal } from '../blocks/approvalRequest.ts';
import { sentenceBlocks } from '../blocks/usage.ts';
import { type ListenerDeps, requestCaller } from '../context.ts';
import { actionPlace } from '../places.ts';
import { answerTo, answering } from '../replies.ts';
import { asFieldMessage } from '../views/formErrors.ts';
import { openModal } from '../views/openAccountModals.ts';
import { stateReader } from '../views/stateReader.ts';
import { submitting } from '../views/submitting.ts';

/**
 * Approve and Reject on a request (in the approvals channel, or in `/users approvals`). The decision is answered to
 * the clicker alone; the request's message is edited by the decision's follow-up, wherever it was clicked from.
 */
export function registerApprovalActions(app: App, deps: ListenerDeps): void {
  app.action<BlockButtonAction>(APPROVE_ACTION_ID, async ({ ack, body, action, client, context }) => {
    await ack();
    const { services } = deps;
    const { channel } = actionPlace(body);
    const answer = answerTo(client, services.logger, body.user.id, { channel, responseUrl: body.response_url });
    await answering(answer, services.logger, async () => {
      const done = await runAction(services, approveRequest, requestCaller(deps, context).actor, { request: action.value });
      await answer.privately({ text: done.message, blocks: sentenceBlocks(done.message, ':white_check_mark:') });
    });
  });

  app.action<BlockButtonAction>(REJECT_ACTION_ID, async ({ ack, body, action, client }) => {
    await ack();
    await openModal(client, body.trigger_id, rejectReasonModal(action.value ?? ''));
  });

  app.view<ViewSubmitAction>(REJECT_CALLBACK_ID, async ({ ack, view, context }) => {
    const { services } = deps;
    await submitting(ack, services.logger, 'Reject request', async () => {
      const reason = stateReader(view).text('reason');
      try {
        const done = await runAction(services, rejectRequest, requestCaller(deps, context).actor, { request: view.private_metadata, reason });
        return { response: { response_action: 'update', view: sentenceModal('Rejected', [`:no_entry_sign: ${done.message}`]) } };
      } catch (error) {
        if (!(error instanceof RefusedError)) throw error;
        return { response: { response_action: 'errors', errors: { reason: asFieldMessage(error.userMessage) } } };
      }
    });
  });
}
