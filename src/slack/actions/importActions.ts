import type { App, BlockButtonAction } from '@slack/bolt';
import { runAction } from '../../actions/action.ts';
import type { Actor } from '../../actions/actor.ts';
import { cancelBulkJob } from '../../actions/accounts/bulk/cancelBulkJob.ts';
import { applyImport } from '../../actions/accounts/import/applyImport.ts';
import { IMPORT_APPLY_ACTION_ID, IMPORT_CANCEL_ACTION_ID } from '../blocks/importBlocks.ts';
import { escapeMrkdwn, slackDate } from '../blocks/text.ts';
import { sentenceBlocks } from '../blocks/usage.ts';
import { type ListenerDeps, requestCaller } from '../context.ts';
import { actionPlace } from '../places.ts';
import { answerTo, answering } from '../replies.ts';

/**
 * Apply and Cancel on an import's dry run. The grant is checked again on the click, so a viewer pressing an admin's
 * Apply is refused, alone, and nothing changes. Cancel edits the dry run in place, so the channel shows what became
 * of it; after Apply the job itself turns the dry run into its progress, then its summary (an edit from here could
 * land after the summary), so the person who pressed Apply is answered alone.
 */
export function registerImportActions(app: App, deps: ListenerDeps): void {
  const buttons: [string, (jobId: string, actor: Actor) => Promise<{ message: string }>, 'privately' | 'replace', string][] = [
    [IMPORT_APPLY_ACTION_ID, (jobId, actor) => runAction(deps.services, applyImport, actor, { jobId }), 'privately', ':hourglass_flowing_sand:'],
    [IMPORT_CANCEL_ACTION_ID, (jobId, actor) => runAction(deps.services, cancelBulkJob, actor, { jobId }), 'replace', ':wastebasket:'],
  ];
  for (const [actionId, press, how, emoji] of buttons) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, client, context }) => {
      await ack();
      const answer = answerTo(client, deps.services.logger, body.user.id, actionPlace(body));
      await answering(answer, deps.services.logger, async () => {
        const { actor } = requestCaller(deps, context);
        const done = await press(action.value ?? '', actor);
        const line = `${escapeMrkdwn(done.message)} (<@${actor.id}>, ${slackDate(new Date())})`;
        await answer[how]({ text: done.message, blocks: sentenceBlocks(line, emoji) });
      });
    });
  }
}
