import type { App, BlockButtonAction } from '@slack/bolt';
import { runAction } from '../../actions/action.ts';
import { cancelBulkJob } from '../../actions/accounts/bulk/cancelBulkJob.ts';
import { startBulkJob } from '../../actions/accounts/bulk/startBulkJob.ts';
import { requestBulkChange } from '../../actions/approvals/requestBulkChange.ts';
import { RefusedError } from '../../domain/errors.ts';
import { BULK_CANCEL_ACTION_ID, BULK_CONFIRM_ACTION_ID, parseBulkConfirmValue } from '../blocks/bulk.ts';
import { sentenceBlocks } from '../blocks/usage.ts';
import { type ListenerDeps, requestCaller } from '../context.ts';
import { actionPlace } from '../places.ts';
import { answerTo, answering } from '../replies.ts';

export function registerBulkActions(app: App, deps: ListenerDeps): void {
  // Confirm on a preview: the grant is checked again here, so a viewer pressing an admin's Confirm changes nothing.
  app.action<BlockButtonAction>(BULK_CONFIRM_ACTION_ID, async ({ ack, body, action, client, context }) => {
    await ack();
    const { services } = deps;
    const answer = answerTo(client, services.logger, body.user.id, actionPlace(body));
    await answering(answer, services.logger, async () => {
      const asked = parseBulkConfirmValue(action.value ?? '');
      if (!asked) throw new RefusedError('That button is not one Roster knows; ask for the preview again.', 'invalid-input');
      const { actor } = requestCaller(deps, context);
      // A change that needs approval is asked for, not started: a second person's Approve starts its job.
      const { approval, ...request } = asked;
      const input = { ...request, channel: body.channel?.id };
      const started = approval ? await runAction(services, requestBulkChange, actor, input) : await runAction(services, startBulkJob, actor, input);
      await answer.replace({ text: started.message, blocks: sentenceBlocks(started.message, ':hourglass_flowing_sand:') });
    });
  });

  app.action<BlockButtonAction>(new RegExp(`^${BULK_CANCEL_ACTION_ID.replace('.', '\\.')}\\.`), async ({ ack, body, action, client, context }) => {
    await ack();
    const { services } = deps;
    const answer = answerTo(client, services.logger, body.user.id, actionPlace(body));
    await answering(answer, services.logger, async () => {
      const { actor } = requestCaller(deps, context);
      const cancelled = await runAction(services, cancelBulkJob, actor, { jobId: action.value ?? '' });
      await answer.privately({ text: cancelled.message, blocks: sentenceBlocks(cancelled.message, ':octagonal_sign:') });
    });
  });
}
