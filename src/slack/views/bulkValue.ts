import type { App, ViewSubmitAction } from '@slack/bolt';
import { runAction } from '../../actions/action.ts';
import { type BulkPreview, previewBulkJob } from '../../actions/accounts/bulk/previewBulkJob.ts';
import { RefusedError } from '../../domain/errors.ts';
import { sentenceModal } from '../blocks/accountModals.ts';
import { BULK_VALUE_BLOCK_ID, BULK_VALUE_CALLBACK_ID, bulkPreviewReply } from '../blocks/bulk.ts';
import { type ListenerDeps, requestCaller } from '../context.ts';
import { answerTo } from '../replies.ts';
import { asFieldMessage } from './formErrors.ts';
import { readBulkValueMetadata } from './modalMetadata.ts';
import { stateReader } from './stateReader.ts';
import { submitting } from './submitting.ts';

const TITLE = 'Change them all';

/**
 * The role or group for a change chosen on a list: the preview runs as the submitter (their grant checked), a refusal
 * stays on the form under the field, and the preview, with its Confirm button, goes where the list is.
 */
export function registerBulkValueView(app: App, deps: ListenerDeps): void {
  app.view<ViewSubmitAction>(BULK_VALUE_CALLBACK_ID, async ({ ack, view, client, context }) => {
    const { services } = deps;
    await submitting(ack, services.logger, TITLE, async () => {
      const asked = readBulkValueMetadata(view.private_metadata);
      if (!asked)
        return {
          response: { response_action: 'update', view: sentenceModal(TITLE, [':warning: This form is out of date; close it and choose the change again.']) },
        };
      const { actor } = requestCaller(deps, context);
      let preview: BulkPreview;
      try {
        preview = await runAction(services, previewBulkJob, actor, {
          change: asked.change,
          value: stateReader(view).selected(BULK_VALUE_BLOCK_ID),
          filter: asked.filter,
        });
      } catch (error) {
        if (!(error instanceof RefusedError)) throw error;
        return { response: { response_action: 'errors', errors: { [BULK_VALUE_BLOCK_ID]: asFieldMessage(error.userMessage) } } };
      }
      const answer = answerTo(client, services.logger, actor.id, asked.place);
      return { afterwards: () => answer.privately(bulkPreviewReply(preview)) };
    });
  });
}
